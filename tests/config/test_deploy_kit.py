"""deploy/entrypoint, the one script the container and the systemd units start, run for real:
migrate, serve, a worker that waits for the migrations and then sends mail, a backup; and
the systemd units checked by systemd-analyze. (No image is built here: the machine cannot
pull base images; docs/deployment.md says so.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.outbox.smtp_sink import SmtpSink
from tests.outbox.worker_kills import QUEUE
from tests.servers import free_port, server_env

pytestmark = pytest.mark.processes

DEPLOY = Path(__file__).parents[2] / "deploy"
ENTRYPOINT = DEPLOY / "entrypoint"


def _env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = server_env(data_dir, **settings)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # as in production: the package's own settings
    # `rejoinder` as pip installs it, first on the PATH, as in the image and the units.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return int(response.status) == 200
    except OSError:
        return False


def test_the_entrypoint_migrates_then_serves_and_backs_up(tmp_path: Path) -> None:
    port = free_port()
    env = _env(tmp_path, BIND=f"127.0.0.1:{port}")
    migrated = subprocess.run(  # noqa: S603
        [str(ENTRYPOINT), "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert migrated.returncode == 0, migrated.stderr

    server = subprocess.Popen(  # noqa: S603
        [str(ENTRYPOINT), "serve", "--workers", "1"],
        env={**env, "REJOINDER_MIGRATE": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/health"))
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)  # the script exec'd the server: it gets the signal
        returncode = server.wait(timeout=60)
    assert returncode == 0

    (tmp_path / "backups").mkdir()
    made = subprocess.run(  # noqa: S603
        [str(ENTRYPOINT), "backup", str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    assert Path(made.stdout.strip()).is_file()

    unknown = subprocess.run(  # noqa: S603
        [str(ENTRYPOINT), "frobnicate"], env=env, capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode != 0
    assert "frobnicate" in unknown.stderr


def test_the_worker_waits_for_the_migrations_then_sends_mail(tmp_path: Path) -> None:
    # A database nobody has migrated yet, whatever the suite runs on: a SQLite file of its own.
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    sink = SmtpSink()
    sink.start()
    try:
        env = _env(tmp_path, DATABASE_URL=fresh, EMAIL_URL=sink.url, WAIT_SECONDS="120")
        worker = subprocess.Popen(  # noqa: S603
            [str(ENTRYPOINT), "worker", "--poll", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            time.sleep(3)
            assert worker.poll() is None  # still waiting: nothing to work on yet
            token = uuid.uuid4().hex[:10]
            subprocess.run([sys.executable, "-c", QUEUE, token, "3"], env=env, check=True)  # noqa: S603
            _wait_for(lambda: sum(s.startswith(token) for s in sink.subjects()) == 3)
        finally:
            worker.send_signal(signal.SIGTERM)
            returncode = worker.wait(timeout=60)
        assert returncode == 0
        assert {s: n for s, n in sink.subjects().items() if s.startswith(token)} == {
            f"{token} {i}": 1 for i in range(3)
        }

        never = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'never.sqlite3'}")
        gave_up = subprocess.run(  # noqa: S603
            [str(ENTRYPOINT), "worker"],
            env={**never, "REJOINDER_WAIT_SECONDS": "2"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert gave_up.returncode == 1
        assert gave_up.stderr.strip().splitlines() == [
            "entrypoint: the database is not migrated after 2 s (run: entrypoint migrate)"
        ]
    finally:
        sink.stop()


def test_the_systemd_units_pass_systemd_analyze(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is needed (Debian's systemd package)"
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace("/usr/local/bin/rejoinder-entrypoint", str(ENTRYPOINT))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert len(units) == 4
    checked = subprocess.run(  # noqa: S603
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.strip() == ""
