"""Real worker processes: two draining one outbox at once, and the worker `serve` runs.

Like tests/config/test_concurrent_writes.py, these run `rejoinder` processes against the
configured database (the throw-away PostgreSQL of `make test-postgres`), or a fresh SQLite
file when none is configured. Each test marks its mails with a token of its own.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.outbox.smtp_sink import SmtpSink
from tests.outbox.worker_kills import QUEUE, kill_workers
from tests.servers import free_port

pytestmark = pytest.mark.processes  # starts `rejoinder worker` and `rejoinder serve`


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink()
    server.start()
    yield server
    server.stop()


def _env(tmp_path: Path, sink: SmtpSink, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        REJOINDER_DATA_DIR=str(tmp_path),
        REJOINDER_EMAIL_URL=sink.url,
        **extra,
    )
    return env


def _queue(env: dict[str, str], n: int) -> str:
    token = uuid.uuid4().hex[:10]
    subprocess.run([sys.executable, "-c", QUEUE, token, str(n)], env=env, check=True)  # noqa: S603
    return token


def _mine(sink: SmtpSink, token: str) -> dict[str, int]:
    return {s: c for s, c in sink.subjects().items() if s.startswith(token)}


def _wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def test_two_worker_processes_draining_at_once_never_send_a_mail_twice(
    tmp_path: Path, sink: SmtpSink
) -> None:
    n = 200
    env = _env(tmp_path, sink, REJOINDER_EMAIL_BATCH="10")
    token = _queue(env, n)
    sink.delay = 0.02  # slow enough that both workers are still busy when both are up
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "rejoinder", "worker", "--once"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    handled = [int(re.search(r"(\d+) items handled", out).group(1)) for out in outputs]  # type: ignore[union-attr]
    assert all(h > 0 for h in handled), handled  # both took part
    assert _mine(sink, token) == {f"{token} {i}": 1 for i in range(n)}


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append((int(stat.parent.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_runs_a_worker_that_sends_mail_and_stops_with_the_server(
    tmp_path: Path, sink: SmtpSink
) -> None:
    env = _env(tmp_path, sink)
    token = _queue(env, 3)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "rejoinder",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(lambda: len(_mine(sink, token)) == 3)
        workers = [pid for pid, cmd in _children(server.pid) if "rejoinder worker" in cmd]
        assert len(workers) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    _wait_for(lambda: not _alive(workers[0]), timeout=20)
    assert _mine(sink, token) == {f"{token} {i}": 1 for i in range(3)}


def test_workers_killed_mid_batch_deliver_every_mail_once(tmp_path: Path, sink: SmtpSink) -> None:
    """SIGKILL a real `rejoinder worker` in the middle of its batches (scripts/worker_kills.py
    does it twenty times and prints the figures)."""
    sink.delay = 0.002
    report = kill_workers(tmp_path, sink, kills=4, mails=160, batch=20, seed=17)
    assert report.kills == 4
    assert report.statuses == {"sent": 160}
    # Every mail is in the reader's mailbox, once.
    assert report.mailbox_ids == report.expected_ids
    # A mail the server took twice was the one in flight when its worker died: recorded as
    # sent again in doubt, and the same bytes, which the mailbox dropped by its Message-ID.
    assert report.copies_identical
    assert report.copies_explained()
    assert report.transmissions == sum(report.copies.values())
