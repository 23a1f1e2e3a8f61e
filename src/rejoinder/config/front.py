"""The event-loop front of `rejoinder serve`: whole requests in, Django's WSGI app on threads.

A synchronous worker that reads its own request is held by whoever sends it slowly; a handful
of slow or idle sockets used to stall every reader. Here the HTTP server (granian, ASGI) reads
headers in its event loop with a timeout, and this front reads the body in the same loop, with
a deadline, into a spooled buffer, before a thread of a fixed pool runs Django on the complete
request. A slow client costs a coroutine and a socket, never a thread. One client address may
have only so many requests in flight at once; past that it is answered 429 at once
(docs/security.md, rule 5).

Long-lived responses (the live updates' streams, rejoinder/live/streams.py) are coroutines on
this loop too, never threads, and do not count as requests in flight: see docs/decisions.md,
"Serving" and "Live updates".
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import mmap
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Coroutine, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Coroutine[Any, Any, None]]
WSGIApp = Callable[..., Iterable[bytes]]


class StreamApp(Protocol):
    """The live streams: which request is one (`route`), and serving it on the loop."""

    def route(self, scope: Scope) -> str | None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def __call__(
        self, target: str, scope: Scope, headers: dict[str, str], receive: Receive, send: Send
    ) -> None: ...


# Bodies up to this size stay in memory; larger ones (the admin's figure uploads) go to a file.
_IN_MEMORY_BODY = 256 * 1024


@dataclass(frozen=True)
class FrontLimits:
    threads: int  # Django runs on this many threads per process
    per_address: int  # requests one client address may have in flight at once
    body_seconds: float  # the whole body must arrive within this
    max_body: int  # bytes; longer bodies are refused before they are read
    streams_per_address: int = 20  # live streams one client address may hold open at once


class AddressCounts:
    """Requests in flight per client address, shared by the processes forked after it is made.

    The counts live in an anonymous shared mapping, one slot per keyed hash of an address
    (65,536 slots; the key is drawn at start so no one can aim two addresses at one slot).
    """

    def __init__(self, slots: int = 1 << 16) -> None:
        self._memory = mmap.mmap(-1, slots * 4)  # MAP_SHARED: forked workers see one count
        self._counts = memoryview(self._memory).cast("i")
        self._lock = multiprocessing.Lock()
        self._key = os.urandom(16)

    def _slot(self, address: str) -> int:
        digest = hashlib.blake2b(address.encode(), key=self._key, digest_size=8).digest()
        return int.from_bytes(digest) % len(self._counts)

    def enter(self, address: str, limit: int) -> bool:
        """Count one more request of `address`, unless it already has `limit`."""
        slot = self._slot(address)
        with self._lock:
            if self._counts[slot] >= limit:
                return False
            self._counts[slot] += 1
            return True

    def leave(self, address: str) -> None:
        slot = self._slot(address)
        with self._lock:
            self._counts[slot] -= 1


class _Refused(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


class Front:
    """An ASGI application that buffers each request, then runs a WSGI app on a thread pool."""

    def __init__(
        self,
        wsgi_app: WSGIApp,
        limits: FrontLimits,
        client_address: Callable[[str, str], str],
        streams: StreamApp | None = None,
    ) -> None:
        self.wsgi_app = wsgi_app
        self.streams = streams
        self.limits = limits
        # (peer address, X-Forwarded-For) -> the client's address, as the app decides it.
        self.client_address = client_address
        self.in_flight = AddressCounts()
        self.open_streams = AddressCounts()
        self.pool = ThreadPoolExecutor(limits.threads, thread_name_prefix="rejoinder-django")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        # Other kinds (websocket) are not served: returning closes them.

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.streams is not None:
                    await self.streams.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # Wait for the threads off the loop: a thread streaming an answer needs the
                # loop to send its chunks, so blocking the loop here would wait forever.
                if self.streams is not None:
                    await self.streams.stop()
                await asyncio.to_thread(self.pool.shutdown, wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        peer = (scope.get("client") or ("", 0))[0]
        address = self.client_address(peer, headers.get("x-forwarded-for", ""))
        target = self.streams.route(scope) if self.streams is not None else None
        if target is not None and self.streams is not None:
            # A stream stays open: it is not a request in flight, but has a cap of its own.
            if not self.open_streams.enter(address, self.limits.streams_per_address):
                await _send_problem(
                    send,
                    _Refused(
                        429,
                        "Too many streams",
                        "This address has too many live streams open; close one and try again.",
                    ),
                    retry_after=10,
                )
                return
            try:
                await self.streams(target, scope, headers, receive, send)
            finally:
                self.open_streams.leave(address)
            return
        if not self.in_flight.enter(address, self.limits.per_address):
            await _send_problem(
                send,
                _Refused(
                    429,
                    "Too many requests at once",
                    "This address has too many requests in progress; try again in a moment.",
                ),
                retry_after=1,
            )
            return
        try:
            try:
                body = await self._read_body(receive, headers)
            except _Refused as refused:
                await _send_problem(send, refused)
                return
            environ = _environ(scope, headers, body)
            loop = asyncio.get_running_loop()
            answer = await loop.run_in_executor(self.pool, self._run, environ, loop, send)
            if answer is not None:
                status, response_headers, content = answer
                await send(
                    {"type": "http.response.start", "status": status, "headers": response_headers}
                )
                await send({"type": "http.response.body", "body": content})
        finally:
            self.in_flight.leave(address)

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> Any:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_body:
            raise _Refused(413, "Request too large", _too_large(self.limits.max_body))
        body = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY_BODY)  # noqa: SIM115 - handed on
        try:
            async with asyncio.timeout(self.limits.body_seconds):
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _Refused(400, "Request not finished", "The client went away.")
                    body.write(message.get("body", b""))
                    if body.tell() > self.limits.max_body:
                        raise _Refused(413, "Request too large", _too_large(self.limits.max_body))
                    more = message.get("more_body", False)
        except TimeoutError:
            body.close()
            raise _Refused(
                408,
                "Request too slow",
                f"The request body did not arrive within {self.limits.body_seconds:g} seconds.",
            ) from None
        except _Refused:
            body.close()
            raise
        return body

    def _run(
        self, environ: dict[str, Any], loop: asyncio.AbstractEventLoop, send: Send
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        """Run the WSGI app on this thread; return a whole response, or stream it and return None.

        Django's ordinary responses are returned whole, so the thread is free before a slow
        reader has taken a byte. Streaming responses are sent chunk by chunk from here.
        """
        started: list[Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            started[:] = [
                int(status[:3]),
                [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            ]
            return lambda data: None  # the legacy write() callable; Django never uses it

        result = self.wsgi_app(environ, start_response)
        try:
            if not getattr(result, "streaming", False):
                content = b"".join(result)
                return started[0], started[1], content

            async def sending(message: Message) -> None:
                await send(message)  # granian's send returns an awaitable, not a coroutine

            def send_now(message: Message) -> None:
                # A client that stopped reading must not hold this thread for ever.
                sent = asyncio.run_coroutine_threadsafe(sending(message), loop)
                sent.result(timeout=self.limits.body_seconds)

            send_now({"type": "http.response.start", "status": started[0], "headers": started[1]})
            for chunk in result:
                if chunk:
                    send_now({"type": "http.response.body", "body": chunk, "more_body": True})
            send_now({"type": "http.response.body", "body": b""})
            return None
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
            environ["wsgi.input"].close()


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name; repeated ones joined as HTTP allows."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        if name in headers:
            headers[name] += ("; " if name == "cookie" else ", ") + value
        else:
            headers[name] = value
    return headers


def _environ(scope: Scope, headers: dict[str, str], body: Any) -> dict[str, Any]:
    """The WSGI environ (PEP 3333) of a buffered request."""
    size = body.tell()
    body.seek(0)
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    path = scope["path"].encode("utf-8", "surrogateescape").decode("latin-1")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0],
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
        elif name != "content-length":
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    # The length read, whatever was declared (a chunked body declares none).
    environ["CONTENT_LENGTH"] = str(size) if size or "content-length" in headers else ""
    return environ


def _too_large(limit: int) -> str:
    return f"The request body is larger than the {limit} bytes this server accepts."


async def _send_problem(send: Send, refused: _Refused, retry_after: int | None = None) -> None:
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
        (b"connection", b"close"),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
