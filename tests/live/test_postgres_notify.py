"""Two `rejoinder serve` processes on one PostgreSQL and no Redis: LISTEN/NOTIFY carries the
notice. The servers read the event log only every 30 s here, so an event that reaches the
other server's reader within a second came through PostgreSQL's notifications."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from tests.live.sse import Stream
from tests.live.test_two_servers import _post
from tests.servers import page_id, running_server, server_env

pytestmark = pytest.mark.processes

URI = "/live/postgres-notify/"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@contextmanager
def postgres_url(data_dir: Path) -> Iterator[str]:
    """A database of the test's own on the configured PostgreSQL, or (on a SQLite run) a
    throw-away PostgreSQL for this test alone."""
    if os.environ.get("REJOINDER_DATABASE_URL", "").startswith("postgres"):
        yield server_env(data_dir)["REJOINDER_DATABASE_URL"]
        return
    server = subprocess.Popen(  # noqa: S603
        [str(SCRIPTS / "with-postgres"), "sh", "-c", 'echo "$REJOINDER_DATABASE_URL"; sleep 600'],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        line = ""
        while not line.startswith("postgres"):
            line = server.stdout.readline().strip()
            assert line or server.poll() is None, "PostgreSQL did not start"
        yield line
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # with-postgres stops and removes its server
        server.wait(timeout=30)


def test_without_redis_postgres_notifications_carry_events_between_servers(
    tmp_path: Path,
) -> None:
    with ExitStack() as servers:
        url = servers.enter_context(postgres_url(tmp_path))
        settings = {"RATE_LIMITS": "0", "LIVE_POLL_SECONDS": "30", "DATABASE_URL": url}
        a = servers.enter_context(running_server(tmp_path, URI, **settings))
        b = servers.enter_context(running_server(tmp_path, URI, **settings))
        page = page_id(tmp_path, URI, **settings)
        _post(a, "The first post warms server A up", URI)  # timed below: only the later ones
        reader = Stream(f"{b}/discussion/{page}/events")
        assert reader.status == 200
        time.sleep(1)  # the stream is registered and the server listens before the first post

        posted, sent_at = [], []
        for n in range(3):
            sent_at.append(time.monotonic())
            posted.append(_post(a, f"Comment {n} from server A", URI))
        got = reader.wait_for(3)
        assert [(e.kind, e.data["id"]) for e in got] == [("comment", pk) for pk in posted]
        delays = [event.at - start for event, start in zip(got, sent_at, strict=True)]
        assert max(delays) < 1.0, delays
        reader.close()
