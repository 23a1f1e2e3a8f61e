"""`GET /discussion/<page>/events`: a page's live updates as Server-Sent Events.

Served by a coroutine on the front's event loop (config/front.py), never by one of Django's
threads: an open stream costs a socket, a queue and a few hundred bytes. The stream first
sends what the reader missed (after the `Last-Event-ID` the browser sends on reconnecting,
or after the page `version` its box shows), then each new event as the hub hands it over,
with a comment line as a heartbeat so that proxies keep idle streams open. A reader whose
last event is older than the log keeps (ten minutes) is told to reload the box instead.
`?once=1` answers with what is missed and ends: the polling of browsers without EventSource.
A publisher's page that embeds the box follows its page's stream from its own origin: the
answer lets the site's allowed embedding origins read it (CORS, without cookies), as every
box endpoint does (web/embedding.py); a site's moderators' stream is for Rejoinder's own pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from http.cookies import CookieError, SimpleCookie
from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import get_user

from rejoinder.live import store
from rejoinder.live.hub import Hub, Signal, Subscriber
from rejoinder.live.store import Entry
from rejoinder.moderation.roles import is_moderator
from rejoinder.pages.embedding import site_allows
from rejoinder.pages.models import Page

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Coroutine[Any, Any, None]]

_PATH = re.compile(r"/(discussion|moderation)/([1-9][0-9]{0,17})/events/?")


def _cookie(header: str, name: str) -> str:
    try:
        morsel = SimpleCookie(header).get(name)
    except CookieError:
        return ""
    return morsel.value if morsel is not None else ""


class Refused(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        retry_after: int | None = None,
        origin: str | None = None,
    ):
        super().__init__(detail)
        self.status, self.title, self.detail, self.retry_after = status, title, detail, retry_after
        self.origin = origin  # a page of another origin that may read the refusal


def _foreign_origin(scope: MutableMapping[str, Any], headers: dict[str, str]) -> str | None:
    """The request's `Origin` when it is another origin than Rejoinder's own, else None."""
    origin = headers.get("origin", "").strip().rstrip("/")
    if not origin:
        return None
    own = {
        settings.PUBLIC_URL.lower(),
        f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower(),
    }
    return None if origin.lower() in own else origin


def number(value: str, name: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > store.MAX_ID_DIGITS:
        raise Refused(400, "Bad request", f"{name}: not an event id of this server.")
    return int(value)


@functools.lru_cache(maxsize=256)  # one event goes to every stream of its channel
def frame(entry: Entry) -> bytes:
    return f"id: {entry.id}\nevent: {entry.kind}\ndata: {entry.data}\n\n".encode()


RELOAD = b"event: reload\ndata: {}\n\n"
KEEP_ALIVE = b": keep-alive\n\n"
_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
]


def _allowed(channel: str, session_key: str, origin: str | None) -> int:
    """The status a request for this channel gets: 200, or 404 (no such page), or 403; a
    request from another origin (`origin`) gets 200 only for a page its site lets embed."""
    kind, _, number = channel.partition(":")
    if kind == "page":
        page = Page.objects.select_related("site").filter(pk=int(number)).first()
        if page is None:
            return 404
        return 200 if origin is None or site_allows(page.site, origin) else 403
    # A site's stream is for its moderators only: the signed-in user of the session cookie.
    if not session_key or origin is not None:
        return 403
    engine = import_module(settings.SESSION_ENGINE)
    user = get_user(SimpleNamespace(session=engine.SessionStore(session_key)))  # type: ignore[arg-type]
    return 200 if is_moderator(user, int(number)) else 403


def _catch_up(
    channel: str, after_id: int | None, version: int | None
) -> tuple[int, list[Entry] | None]:
    # The channel's last id is read before the replay: an event committed between the two is
    # in the replay or reaches the stream through the hub, and is sent once either way.
    last = store.last_of(channel)
    return last, store.replay(channel, after_id=after_id, version=version)


class Streams:
    """The ASGI side of the live updates, given to the front."""

    def __init__(self, hub: Hub, *, heartbeat: float, max_streams: int) -> None:
        self.hub = hub
        self.heartbeat = heartbeat
        self.max_streams = max_streams
        self._beating: asyncio.Task[None] | None = None

    def route(self, scope: MutableMapping[str, Any]) -> str | None:
        """The channel this request asks to follow, or None when it is not a stream."""
        if scope.get("method") != "GET":
            return None
        match = _PATH.fullmatch(scope.get("path", ""))
        if match is None:
            return None
        number = int(match.group(2))
        if match.group(1) == "discussion":
            return store.page_channel(number)
        return store.site_channel(number)

    async def start(self) -> None:
        await self.hub.start()
        if self._beating is None:
            self._beating = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
        await self.hub.stop()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            self.hub.keep_alive()

    async def __call__(
        self,
        target: str,
        scope: MutableMapping[str, Any],
        headers: dict[str, str],
        receive: Receive,
        send: Send,
    ) -> None:
        try:
            await self._serve(target, scope, headers, receive, send)
        except Refused as refused:
            await _send_problem(send, refused)

    async def _serve(
        self,
        channel: str,
        scope: MutableMapping[str, Any],
        headers: dict[str, str],
        receive: Receive,
        send: Send,
    ) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        last_event = headers.get("last-event-id", "").strip() or (query.get("last") or [""])[0]
        after_id = number(last_event, "Last-Event-ID") if last_event else None
        raw_version = (query.get("version") or [""])[0]
        version = number(raw_version, "version") if raw_version else None
        once = (query.get("once") or [""])[0] == "1"
        if self.hub.closing:
            raise Refused(503, "Stopping", "This server is stopping; try again.", 1)
        if not once and self.hub.count >= self.max_streams:
            raise Refused(
                503, "Too many streams", "This server has all the live streams it can hold.", 10
            )
        await self.start()
        session_key = _cookie(headers.get("cookie", ""), settings.SESSION_COOKIE_NAME)
        origin = _foreign_origin(scope, headers)
        allowed = await self.hub.db(_allowed, channel, session_key, origin)
        if allowed == 404:
            raise Refused(404, "Not found", "There is no discussion with that id.", origin=origin)
        if allowed == 403 and channel.startswith("page:"):
            raise Refused(
                403,
                "Forbidden",
                f"This site ({origin}) is not allowed to embed discussions from"
                f" {settings.PUBLIC_URL}. Add it to the site's allowed embedding origins in"
                " the admin.",
                origin=origin,  # readable by the page that asked, so that it can say why
            )
        if allowed == 403:
            raise Refused(403, "Forbidden", "Only the site's moderators may follow its queues.")
        cors = _cors(origin)
        subscriber = None if once else self.hub.subscribe(channel)
        try:
            try:
                last, missed = await self.hub.db(_catch_up, channel, after_id, version)
            except store.Unknown:
                raise Refused(
                    400,
                    "Bad request",
                    "Last-Event-ID: not an event of this discussion.",
                    origin=origin,
                ) from None
            await send({"type": "http.response.start", "status": 200, "headers": _HEADERS + cors})
            if missed is None:
                await send({"type": "http.response.body", "body": RELOAD})
                return
            replay = b"retry: 3000\n\n" + b"".join(frame(entry) for entry in missed)
            if subscriber is None:
                await send({"type": "http.response.body", "body": replay})
                return
            await send({"type": "http.response.body", "body": replay, "more_body": True})
            subscriber.caught_up(max([last, after_id or 0, *(e.id for e in missed)]))
            await self._follow(subscriber, receive, send)
        finally:
            if subscriber is not None:
                self.hub.unsubscribe(subscriber)

    async def _follow(self, subscriber: Subscriber, receive: Receive, send: Send) -> None:
        # The stream waits on its queue alone (no timer or second waiter each): a watcher
        # tells it when the client goes, the hub's one timer when a heartbeat is due.
        async def gone() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            subscriber.signal(Signal.GONE)

        watcher = asyncio.ensure_future(gone())
        try:
            while True:
                items = [await subscriber.queue.get()]
                while not subscriber.queue.empty():
                    items.append(subscriber.queue.get_nowait())
                if Signal.GONE in items:
                    return
                body = b"".join(frame(item) for item in items if isinstance(item, Entry))
                if Signal.STOP in items:
                    await send({"type": "http.response.body", "body": body})
                    return
                await send(
                    {"type": "http.response.body", "body": body or KEEP_ALIVE, "more_body": True}
                )
        except Exception:  # whatever the server raises for a closed connection
            return  # the client went away mid-send
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher


def _cors(origin: str | None) -> list[tuple[bytes, bytes]]:
    """The headers that let an embedding page of `origin` read the answer (none for our own)."""
    if origin is None:
        return []
    return [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]


async def _send_problem(send: Send, refused: Refused) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": refused.title,
            "status": refused.status,
            "detail": refused.detail,
        }
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if refused.retry_after is not None:
        headers.append((b"retry-after", str(refused.retry_after).encode()))
    headers += _cors(refused.origin)
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
