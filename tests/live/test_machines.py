"""Two machines behind one proxy: two `rejoinder serve` on one database and one Redis.

Like tests/live/test_two_servers.py, the servers share one database (the test's own on the
PostgreSQL of scripts/with-postgres, as `make test` runs it; otherwise one SQLite file both open)
and a redis-server of the test's own, so the cache is Redis as in a deployment of several
machines. What one machine does, the other must honour: the posting limits, what a reader
reads right after writing, the comments a killed machine acknowledged, the mail each sends.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from tests.live.redis_server import Redis
from tests.outbox.smtp_sink import SmtpSink
from tests.outbox.worker_kills import QUEUE
from tests.servers import page_id, served, server_env

pytestmark = pytest.mark.processes


def _post(
    base: str, uri: str, body: str, reader: str | None = None
) -> tuple[int, dict[str, Any], Message]:
    """POST a comment through the API; return (status, JSON answer, headers)."""
    headers = {"Content-Type": "application/json"}
    if reader:
        headers["X-Rejoinder-Reader"] = reader
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/comments",
        data=json.dumps({"uri": uri, "name": "Ana", "body": body}).encode(),
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.load(response), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), error.headers


def _get_json(url: str, reader: str | None = None) -> dict[str, Any]:
    headers = {"X-Rejoinder-Reader": reader} if reader else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return dict(json.load(response))


def _get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return str(response.read().decode())


def _ids_in(thread: dict[str, Any]) -> set[int]:
    """Every comment id of a thread as the API gives it, replies included."""
    found: set[int] = set()

    def walk(comments: list[dict[str, Any]]) -> None:
        for comment in comments:
            found.add(int(comment["id"]))
            walk(comment.get("replies") or [])

    walk(thread["comments"])
    return found


def _in_database(data_dir: Path, ids: list[int], **settings: str) -> set[int]:
    """Return which of `ids` the shared database holds (read by a process of its own)."""
    query = (
        "import django, json, os, sys;"
        "os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings'; django.setup();"
        "from rejoinder.comments.models import Comment;"
        "ids = json.loads(sys.argv[1]);"
        "print(json.dumps(list(Comment.objects.filter(pk__in=ids).values_list('pk', flat=True))))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", query, json.dumps(ids)],
        env=server_env(data_dir, **settings),
        check=True,
        capture_output=True,
        text=True,
    )
    return set(json.loads(done.stdout))


def _away_from_the_end_of_the_hour() -> None:
    """Wait out the last half minute of a clock hour: the limits count in aligned windows,
    and a flood that straddled two windows would be counted in each."""
    left = 3600 - time.time() % 3600
    if left < 30:
        time.sleep(left + 1)


def test_a_posting_flood_split_across_two_machines_is_limited_as_one(
    tmp_path: Path, redis: Redis
) -> None:
    # The counters are rows of the shared database (limits/ratelimit.py: one upsert per
    # check), so both machines count into the same ones.
    settings = {"REDIS_URL": redis.url, "RATE_POST": "4/3600", "RATE_POST_IP": "10/3600"}
    uri = "/machines/flood/"
    _away_from_the_end_of_the_hour()
    with ExitStack() as stack:
        a = stack.enter_context(served(tmp_path, uri, **settings)).base
        b = stack.enter_context(served(tmp_path, uri, **settings)).base

        # One reader, alternating machines: four comments an hour, wherever they land.
        status, first, _ = _post(a, uri, "Reader flood 0")
        assert status == 201
        reader = first["reader"]
        statuses = [status]
        refusals = []
        for n in range(1, 10):
            status, answer, headers = _post(b if n % 2 else a, uri, f"Reader flood {n}", reader)
            statuses.append(status)
            if status == 429:
                refusals.append((answer, headers))
        assert statuses == [201] * 4 + [429] * 6
        assert all(int(headers["Retry-After"]) > 0 for _, headers in refusals)
        assert all("too often" in answer["detail"] for answer, _ in refusals)

        # New readers from the same address: ten an hour from it, four taken already.
        fresh = [_post(a if n % 2 else b, uri, f"Address flood {n}")[0] for n in range(10)]
        assert fresh == [201] * 6 + [429] * 4


def test_a_reader_reading_from_the_other_machine_right_after_posting_sees_the_comment(
    tmp_path: Path, redis: Redis
) -> None:
    settings = {"REDIS_URL": redis.url, "RATE_LIMITS": "0"}
    uri = "/machines/read-your-writes/"
    with ExitStack() as stack:
        a = stack.enter_context(served(tmp_path, uri, **settings)).base
        b = stack.enter_context(served(tmp_path, uri, **settings)).base
        thread_url = f"{b}/api/v1/threads?uri={uri}"
        reader = None
        posted: list[int] = []
        for n in range(5):
            # B has the thread cached for everyone who never wrote: warm it, then write on A.
            anonymous_before = _ids_in(_get_json(thread_url))
            assert anonymous_before == set(posted)
            status, answer, _ = _post(a, uri, f"Written on A, read on B {n}", reader)
            assert status == 201
            reader = reader or answer["reader"]
            posted.append(int(answer["comment"]["id"]))
            # At once, on B: the writer, anyone else, and the box's markup see it.
            assert posted[-1] in _ids_in(_get_json(thread_url, reader))
            assert _ids_in(_get_json(thread_url)) == set(posted)
        box = _get_text(f"{b}/discussion/{page_id(tmp_path, uri, **settings)}/box")
        assert all(f"Written on A, read on B {n}" in box for n in range(5)), box[:500]


def test_killing_a_machine_mid_burst_loses_no_acknowledged_comment(
    tmp_path: Path, redis: Redis
) -> None:
    settings = {"REDIS_URL": redis.url, "RATE_LIMITS": "0"}
    uri = "/machines/killed/"
    with ExitStack() as stack:
        a = stack.enter_context(served(tmp_path, uri, **settings))
        b = stack.enter_context(served(tmp_path, uri, **settings)).base
        acknowledged: list[int] = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n: int) -> None:
            count = 0
            while not stop.is_set():
                try:
                    status, answer, _ = _post(a.base, uri, f"Burst {n}.{count}")
                except (OSError, ValueError):
                    return  # the machine is gone: what it answered 201 to is what counts
                count += 1
                if status == 201:
                    with lock:
                        acknowledged.append(int(answer["comment"]["id"]))

        writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for thread in writers:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        a.kill()  # SIGKILL to the server, its processes and their requests in flight
        stop.set()
        for thread in writers:
            thread.join(timeout=60)
        assert len(acknowledged) >= 30

        assert _in_database(tmp_path, acknowledged, **settings) == set(acknowledged)
        # B serves on: it takes a comment and shows every acknowledged one.
        status, answer, _ = _post(b, uri, "After the crash, on B")
        assert status == 201
        shown: set[int] = set()
        next_page: int | None = 1
        while next_page:
            window = _get_json(f"{b}/api/v1/threads?uri={uri}&limit=100&page={next_page}")
            shown |= _ids_in(window)
            next_page = window["next_page"]
        assert set(acknowledged) | {int(answer["comment"]["id"])} <= shown


def test_the_mail_workers_of_two_machines_never_send_one_mail_twice(
    tmp_path: Path, redis: Redis
) -> None:
    sink = SmtpSink()
    sink.start()
    sink.delay = 0.01  # slow enough that both workers are busy at once
    try:
        settings = {
            "REDIS_URL": redis.url,
            "RATE_LIMITS": "0",
            "EMAIL_URL": sink.url,
            "EMAIL_BATCH": "10",
        }
        env = server_env(tmp_path, **settings)
        token = uuid.uuid4().hex[:10]
        n = 150
        uri = "/machines/mail/"
        with ExitStack() as stack:
            for _machine in range(2):
                stack.enter_context(served(tmp_path, uri, worker=True, **settings))
            subprocess.run([sys.executable, "-c", QUEUE, token, str(n)], env=env, check=True)  # noqa: S603
            _wait_for(lambda: len(_mine(sink, token)) == n)
            time.sleep(2)  # a second copy, were one sent, would have come by now
        assert _mine(sink, token) == {f"{token} {i}": 1 for i in range(n)}
    finally:
        sink.stop()


def _mine(sink: SmtpSink, token: str) -> dict[str, int]:
    return {s: c for s, c in sink.subjects().items() if s.startswith(token)}


def _wait_for(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)
