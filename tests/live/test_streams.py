"""The streams, called as the front calls them (ASGI, on an event loop): who may open one,
what a refused one is answered, and the moderators' queue counts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.live.hub import Hub
from rejoinder.live.streams import Streams
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.pages.models import Page, Site

pytestmark = pytest.mark.django_db(transaction=True)


class Call:
    """One request to the streams; `disconnect()` is the client going away."""

    def __init__(self, streams: Streams, path: str, headers: dict[str, str]) -> None:
        self.streams, self.path, self.headers = streams, path, headers
        self.messages: list[dict[str, Any]] = []
        self.gone = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    async def run(self) -> None:
        path, _, query = self.path.partition("?")
        scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode()}
        target = self.streams.route(scope)
        assert target is not None
        await self.streams(target, scope, self.headers, self.receive, self.send)

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"]) if self.messages else 0

    @property
    def body(self) -> str:
        return b"".join(m.get("body", b"") for m in self.messages[1:]).decode()

    def header(self, name: bytes) -> str:
        return dict(self.messages[0]["headers"]).get(name, b"").decode()

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for block in self.body.split("\n\n"):
            fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
            if "event" in fields:
                found.append((fields["event"], json.loads(fields["data"])))
        return found


def _serve(test: Callable[[Streams], Awaitable[None]], max_streams: int = 100) -> None:
    async def main() -> None:
        streams = Streams(Hub(0.1, None), heartbeat=0.2, max_streams=max_streams)
        await streams.start()
        try:
            await asyncio.wait_for(test(streams), 20)
        finally:
            await streams.stop()

    # On a thread of its own: the browser tests leave Playwright's loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, main()).result()


async def _until(check: Callable[[], bool]) -> None:
    while not check():
        await asyncio.sleep(0.02)


def _post(page: Page, author: Commenter, body: str) -> int:
    with transaction.atomic():
        return post_comment(page=page, author=author, name="Ana", body=body).pk


def test_refusals_open_no_stream(page: Page) -> None:
    async def test(streams: Streams) -> None:
        base = f"/discussion/{page.pk}/events"
        cases = {
            (f"/discussion/{page.pk + 1000}/events", ""): 404,
            (base, "12x"): 400,
            (base, "9" * 19): 400,
            (base, "123456"): 400,  # no such event
        }
        for (path, last), status in cases.items():
            call = Call(streams, path, {"last-event-id": last} if last else {})
            await call.run()
            assert (call.status, call.header(b"content-type")) == (
                status,
                "application/problem+json",
            ), (path, last)
        assert streams.hub.count == 0

    _serve(test)


def test_past_the_cap_a_stream_is_refused_with_retry_after(page: Page) -> None:
    async def test(streams: Streams) -> None:
        first = Call(streams, f"/discussion/{page.pk}/events", {})
        running = asyncio.create_task(first.run())
        await _until(lambda: first.status == 200)
        second = Call(streams, f"/discussion/{page.pk}/events", {})
        await second.run()
        assert second.status == 503
        assert second.header(b"retry-after") == "10"
        first.gone.set()
        await running
        assert streams.hub.count == 0

    _serve(test, max_streams=1)


def test_a_stream_sends_new_events_and_heartbeats_then_ends_with_the_client(
    page: Page, reader: Commenter
) -> None:
    async def test(streams: Streams) -> None:
        version = page.version
        call = Call(streams, f"/discussion/{page.pk}/events?version={version}", {})
        running = asyncio.create_task(call.run())
        await _until(lambda: call.status == 200)
        assert call.header(b"content-type").startswith("text/event-stream")
        posted = await asyncio.to_thread(_post, page, reader, "Live from the loop")
        await _until(lambda: len(call.events()) == 1)
        await _until(lambda: ": keep-alive" in call.body)
        assert [(kind, data["id"]) for kind, data in call.events()] == [("comment", posted)]
        call.gone.set()
        await running
        assert streams.hub.count == 0
        # Polling without EventSource: what came after the version, then the answer ends.
        once = Call(streams, f"/discussion/{page.pk}/events?version={version}&once=1", {})
        await once.run()
        assert [data["id"] for _, data in once.events()] == [posted]

    _serve(test)


def test_the_queue_counts_stream_is_for_the_sites_moderators_only(
    page: Page, site: Site, reader: Commenter, django_user_model: Any
) -> None:
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=moderator, site=site, role="moderator")
    outsider = django_user_model.objects.create_user("other", "other@example.org", "pw")
    other_site = Site.objects.create(name="Other", domain="other.example")
    ModeratorRole.objects.create(user=outsider, site=other_site, role="moderator")
    cookies = {}
    for user in (moderator, outsider):
        client = Client()
        client.force_login(user)
        cookies[user.username] = f"sessionid={client.cookies['sessionid'].value}"
    rules = settings_for(site)
    rules.mode = "pre"
    rules.save()

    async def test(streams: Streams) -> None:
        path = f"/moderation/{site.pk}/events"
        for headers in ({}, {"cookie": cookies["other"]}, {"cookie": "sessionid=forged"}):
            refused = Call(streams, path, headers)
            await refused.run()
            assert refused.status == 403
        call = Call(streams, path, {"cookie": cookies["mod"]})
        running = asyncio.create_task(call.run())
        await _until(lambda: call.status == 200)
        await asyncio.to_thread(_post, page, reader, "Held for a moderator")
        await _until(lambda: len(call.events()) == 1)
        [(kind, data)] = call.events()
        assert kind == "counts"
        assert data["counts"]["pending"] == 1
        assert "Held for a moderator" not in call.body  # counts only, never the comment
        call.gone.set()
        await running

    _serve(test)


def test_a_comment_another_moderator_handled_leaves_my_list_with_who_did_what(
    page: Page, site: Site, reader: Commenter, django_user_model: Any
) -> None:
    clients: dict[str, Client] = {}
    for name in ("mod", "bea"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
        ModeratorRole.objects.create(user=user, site=site, role="moderator")
        clients[name] = Client()
        clients[name].force_login(user)
    bea = django_user_model.objects.get(username="bea")
    rules = settings_for(site)
    rules.mode = "pre"
    rules.save()
    held = [_post(page, reader, f"Held {n}") for n in range(3)]
    my_queue = clients["mod"].get(f"/moderation/{site.pk}/queue/pending/")
    assert my_queue.status_code == 200
    assert all(f'data-rj-item="{pk}"' in my_queue.content.decode() for pk in held)
    cookie = f"sessionid={clients['mod'].cookies['sessionid'].value}"

    def bea_acts(action: str, ids: list[int]) -> int:
        answer = clients["bea"].post(
            f"/moderation/{site.pk}/act",
            {"action": action, "comment_ids": [str(pk) for pk in ids]},
        )
        return answer.status_code

    async def test(streams: Streams) -> None:
        call = Call(streams, f"/moderation/{site.pk}/events", {"cookie": cookie})
        running = asyncio.create_task(call.run())
        await _until(lambda: call.status == 200)
        assert (
            await asyncio.to_thread(bea_acts, "remove", held[:2]) == 302
        )  # done; back to the list
        await _until(lambda: any(kind == "handled" for kind, _ in call.events()))
        await asyncio.to_thread(bea_acts, "approve", held[2:])
        await _until(lambda: [k for k, _ in call.events()].count("handled") == 2)
        handled = [data for kind, data in call.events() if kind == "handled"]
        assert [(d["ids"], d["action"], d["name"], d["by"]) for d in handled] == [
            (held[:2], "remove", "bea", bea.pk),
            (held[2:], "approve", "bea", bea.pk),
        ]
        # The queue counts come along: a held comment removed was never visible.
        assert [d["counts"]["pending"] for d in handled] == [1, 0]
        assert "Held 0" not in call.body  # who did what to which id, never the comment
        call.gone.set()
        await running

    _serve(test)
    # The page words the note in the moderator's language, and knows who is reading.
    queue = clients["mod"].get(f"/moderation/{site.pk}/queue/pending/").content.decode()
    assert 'id="rj-mod-handled-template"' in queue
    assert "Handled by {name}: removed" in queue
    mod = django_user_model.objects.get(username="mod")
    assert f'data-rj-me="{mod.pk}"' in queue


def test_an_embedding_page_follows_the_stream_from_the_sites_allowed_origins_only(
    page: Page, site: Site, reader: Commenter, django_user_model: Any
) -> None:
    site.allowed_origins = "https://news.example\nhttps://www.news.example/"
    site.save()
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=moderator, site=site, role="moderator")
    client = Client()
    client.force_login(moderator)
    session = f"sessionid={client.cookies['sessionid'].value}"

    async def test(streams: Streams) -> None:
        path = f"/discussion/{page.pk}/events"
        call = Call(streams, path, {"origin": "https://www.news.example"})
        running = asyncio.create_task(call.run())
        await _until(lambda: call.status == 200)
        assert call.header(b"access-control-allow-origin") == "https://www.news.example"
        assert call.header(b"vary") == "Origin"
        assert call.header(b"access-control-allow-credentials") == ""  # never with cookies
        posted = await asyncio.to_thread(_post, page, reader, "Seen from the publisher's page")
        await _until(lambda: len(call.events()) == 1)
        assert [(kind, data["id"]) for kind, data in call.events()] == [("comment", posted)]
        call.gone.set()
        await running

        # The polling of browsers without EventSource answers the same way.
        once = Call(streams, f"{path}?once=1&version=0", {"origin": "https://news.example"})
        await once.run()
        assert once.status == 200
        assert once.header(b"access-control-allow-origin") == "https://news.example"

        # Another origin is refused, in words its publisher can act on, and may read why.
        refused = Call(streams, path, {"origin": "https://elsewhere.example"})
        await refused.run()
        assert refused.status == 403
        assert refused.header(b"access-control-allow-origin") == "https://elsewhere.example"
        assert "https://elsewhere.example" in json.loads(refused.body)["detail"]
        assert "allowed embedding origins" in json.loads(refused.body)["detail"]

        # Rejoinder's own pages send no foreign origin and get no CORS headers.
        own = Call(streams, f"{path}?once=1", {"origin": "http://127.0.0.1:8000"})
        await own.run()
        assert own.status == 200
        assert own.header(b"access-control-allow-origin") == ""

        # The moderators' stream is never answered to another origin, even with their cookie.
        moderators = Call(
            streams,
            f"/moderation/{site.pk}/events",
            {"origin": "https://news.example", "cookie": session},
        )
        await moderators.run()
        assert moderators.status == 403
        assert moderators.header(b"access-control-allow-origin") == ""

    _serve(test)
