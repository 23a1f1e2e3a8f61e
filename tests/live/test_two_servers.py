"""Two `rejoinder serve` processes on one database and one Redis: live events cross over.

The servers share one database (the test's own on the PostgreSQL of scripts/with-postgres,
as `make test` runs it; otherwise one SQLite file that both open) and a Redis server that the
test starts on a free port (Debian's `redis-server`, installed by scripts/install-test-deps).
The servers read the event log only every 30 s here, so an event that reaches the other
server's reader within a second came through Redis.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest
from tests.live.redis_server import Redis
from tests.live.sse import Stream
from tests.servers import page_id, running_server

pytestmark = pytest.mark.processes

URI = "/live/two-servers/"
URI_NO_REDIS = "/live/two-servers-without-redis/"


def _post(base: str, body: str, uri: str = URI) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/comments",
        data=json.dumps({"uri": uri, "name": "Ana", "body": body}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return int(json.load(response)["comment"]["id"])


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_comment_posted_on_one_server_reaches_a_reader_of_the_other(
    tmp_path: Path, redis: Redis
) -> None:
    settings = {"RATE_LIMITS": "0", "REDIS_URL": redis.url, "LIVE_POLL_SECONDS": "30"}
    with ExitStack() as servers:
        a = servers.enter_context(running_server(tmp_path, URI, **settings))
        b = servers.enter_context(running_server(tmp_path, URI, **settings))
        page = page_id(tmp_path, URI, **settings)
        stream_url = f"{b}/discussion/{page}/events"
        reader = Stream(f"{stream_url}?version=0")
        assert reader.status == 200
        time.sleep(0.5)  # the stream is registered before the first post

        posted, sent_at = [], []
        for n in range(5):
            sent_at.append(time.monotonic())
            posted.append(_post(a, f"Comment {n} from server A"))
        got = reader.wait_for(5)
        time.sleep(1.5)  # anything sent twice would arrive by now
        got = list(reader.events)
        assert [(e.kind, e.data["id"]) for e in got] == [("comment", pk) for pk in posted]
        ids = [int(e.id) for e in got]
        assert ids == sorted(set(ids))
        assert [e.data["counts"]["comments"] for e in got] == [1, 2, 3, 4, 5]
        delays = [event.at - start for event, start in zip(got, sent_at, strict=True)]
        assert max(delays) < 1.0, delays
        reader.close()

        # Missed while away: a reconnect with the last id gets exactly those, then new ones.
        missed = [_post(a, f"Posted while away {n}") for n in range(3)]
        again = Stream(stream_url, headers={"Last-Event-ID": got[-1].id})
        assert again.status == 200
        assert [e.data["id"] for e in again.wait_for(3)] == missed
        later = _post(a, "And one more")
        assert [e.data["id"] for e in again.wait_for(4)][3:] == [later]
        time.sleep(1)
        assert len(again.events) == 4
        again.close()

        # A forged id, another page's stream, a stream of no page: refused, nothing opened.
        assert _status(stream_url, {"Last-Event-ID": "99999999999"}) == 400
        assert _status(stream_url, {"Last-Event-ID": "1" * 40}) == 400
        assert _status(stream_url, {"Last-Event-ID": "abc"}) == 400
        assert _status(f"{b}/discussion/{page + 100000}/events") == 404


def test_with_redis_gone_posting_still_works_and_events_arrive_by_reading_the_log(
    tmp_path: Path, redis: Redis
) -> None:
    settings = {"RATE_LIMITS": "0", "REDIS_URL": redis.url, "LIVE_POLL_SECONDS": "1"}
    with ExitStack() as servers:
        a = servers.enter_context(running_server(tmp_path, URI_NO_REDIS, **settings))
        b = servers.enter_context(running_server(tmp_path, URI_NO_REDIS, **settings))
        page = page_id(tmp_path, URI_NO_REDIS, **settings)
        reader = Stream(f"{b}/discussion/{page}/events?version=0")
        assert reader.status == 200
        redis.stop()
        started = time.monotonic()
        posted = [_post(a, f"Posted with Redis gone {n}", URI_NO_REDIS) for n in range(3)]
        assert time.monotonic() - started < 5  # writes do not wait on the missing Redis
        got = reader.wait_for(3, timeout=10)
        assert [e.data["id"] for e in got] == posted
        reader.close()


def test_open_streams_do_not_hold_the_server_when_it_stops(tmp_path: Path) -> None:
    with running_server(tmp_path, URI) as base:
        page = page_id(tmp_path, URI)
        readers = [Stream(f"{base}/discussion/{page}/events") for _ in range(4)]
        assert [r.status for r in readers] == [200] * 4
        stopping = time.monotonic()
    # running_server waits up to 20 s for the server to exit after SIGTERM; it took:
    assert time.monotonic() - stopping < 5
    for reader in readers:
        reader.close()


def test_one_address_may_hold_only_so_many_streams(tmp_path: Path) -> None:
    with running_server(tmp_path, URI, STREAMS_PER_ADDRESS="3") as base:
        page = page_id(tmp_path, URI, STREAMS_PER_ADDRESS="3")
        url = f"{base}/discussion/{page}/events"
        readers = [Stream(url) for _ in range(3)]
        assert [r.status for r in readers] == [200] * 3
        request = urllib.request.Request(url)  # noqa: S310 - loopback test server
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        assert refused.value.code == 429
        assert refused.value.headers["Retry-After"] == "10"
        readers[0].close()
        time.sleep(0.5)
        again = Stream(url)  # a closed one makes room
        assert again.status == 200
        for reader in [*readers[1:], again]:
            reader.close()
