"""Slow and idle clients cannot stall `rejoinder serve` for everyone else.

The slow clients come from their own loopback addresses (127.0.0.0/8 is all loopback), as
they would from other machines; the readers timed here come from 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.servers import running_server

pytestmark = pytest.mark.processes  # each test starts `rejoinder serve`

PAGE = "/slow-clients/"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path, PAGE, RATE_LIMITS="0") as base:
        yield base


def _connect(base: str, source: str) -> socket.socket:
    port = int(base.rpartition(":")[2])
    sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
    return sock


def _slow_headers(sock: socket.socket, stop: threading.Event) -> None:
    """Send a request line, then one header line every two seconds, never finishing."""
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    n = 0
    while not stop.wait(2):
        n += 1
        sock.sendall(f"X-Slow-{n}: yes\r\n".encode())


def _slow_body(sock: socket.socket, stop: threading.Event) -> None:
    """Send a comment's headers at once, then its body one byte every second, never finishing."""
    sock.sendall(
        b"POST /api/v1/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"
    )
    while not stop.wait(1):
        sock.sendall(b" ")


def _timed(request: urllib.request.Request | str) -> tuple[float, int]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.monotonic() - started, status


def _post_comment(base: str, n: int) -> urllib.request.Request:
    body = json.dumps({"uri": PAGE, "name": f"Reader {n}", "body": f"Still here {n}"}).encode()
    return urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/comments",
        data=body,
        headers={"Content-Type": "application/json", "Origin": base},
    )


def test_readers_are_answered_within_a_second_while_fifty_clients_dawdle(server: str) -> None:
    stop = threading.Event()
    sockets = [_connect(server, f"127.0.0.{2 + n}") for n in range(50)]
    # 20 send headers slowly, 20 send bodies slowly, 10 connect and say nothing.
    senders = [
        threading.Thread(target=_slow_headers if n < 20 else _slow_body, args=(s, stop))
        for n, s in enumerate(sockets[:40])
    ]
    for sender in senders:
        sender.start()
    try:
        time.sleep(1)  # every slow client has begun
        timings = []
        deadline = time.monotonic() + 6
        n = 0
        while time.monotonic() < deadline:
            n += 1
            timings.append(_timed(f"{server}/api/v1/threads?uri={PAGE}"))
            timings.append(_timed(_post_comment(server, n)))
            timings.append(_timed(f"{server}/favicon.ico"))
        statuses = {status for _, status in timings}
        slowest = max(seconds for seconds, _ in timings)
        # The slow clients were still connected throughout: nothing timed them out first.
        for sock in sockets:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
    finally:
        stop.set()
        for sender in senders:
            sender.join()
        for sock in sockets:
            sock.close()
    assert statuses <= {200, 201}, statuses
    assert slowest < 1.0, f"slowest answer took {slowest:.2f} s"
    assert len(timings) >= 30


def test_slow_headers_and_bodies_are_cut_off_after_their_timeouts(tmp_path: Path) -> None:
    with running_server(
        tmp_path, PAGE, HEADER_TIMEOUT_SECONDS="2", BODY_TIMEOUT_SECONDS="2"
    ) as base:
        stop = threading.Event()
        headers, body = _connect(base, "127.0.0.2"), _connect(base, "127.0.0.3")
        senders = [
            threading.Thread(target=_slow_headers, args=(headers, stop)),
            threading.Thread(target=_slow_body, args=(body, stop)),
        ]
        for sender in senders:
            sender.start()
        try:
            body.settimeout(10)
            answer = body.recv(4096)
            headers.settimeout(10)
            try:
                cut = headers.recv(4096)
            except ConnectionResetError:
                cut = b""
        finally:
            stop.set()
            for sender in senders:
                sender.join()
            headers.close()
            body.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
    assert b"did not arrive within 2 seconds" in answer
    # The header reader is answered with an error or dropped, never left hanging.
    assert cut == b"" or cut.startswith(b"HTTP/1.1 4"), cut[:80]


def test_one_address_may_hold_only_so_many_requests(tmp_path: Path) -> None:
    with running_server(tmp_path, PAGE, REQUESTS_PER_ADDRESS="3", RATE_LIMITS="0") as base:
        stop = threading.Event()
        hogs = [_connect(base, "127.0.0.9") for _ in range(3)]
        senders = [threading.Thread(target=_slow_body, args=(s, stop)) for s in hogs]
        for sender in senders:
            sender.start()
        try:
            time.sleep(0.5)
            extra = _connect(base, "127.0.0.9")
            extra.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            extra.settimeout(5)
            refused = extra.recv(4096)
            extra.close()
            other_seconds, other_status = _timed(f"{base}/favicon.ico")
        finally:
            stop.set()
            for sender in senders:
                sender.join()
            for sock in hogs:
                sock.close()
    assert refused.startswith(b"HTTP/1.1 429"), refused[:80]
    assert b"retry-after: 1" in refused.lower()
    assert (other_status, other_seconds < 1.0) == (200, True)
