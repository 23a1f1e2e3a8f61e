"""`rejoinder serve`, the production server, started for a test on a free loopback port."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback test server
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("server did not answer")


_CREATED: set[str] = set()


def _own_database(data_dir: Path, configured: str) -> str:
    """A PostgreSQL database of `data_dir`'s own on the configured server, created once.

    Servers of one test share it; no test sees what another left behind (a site switched to
    pre-moderation, say), as each test already has its own SQLite file when none is configured.
    """
    import psycopg

    name = "served_" + hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    url = urlunsplit(urlsplit(configured)._replace(path=f"/{name}"))
    if url not in _CREATED:
        with psycopg.connect(configured, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        _CREATED.add(url)
    return url


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a server on `data_dir` with these REJOINDER_* settings.

    Its database is `data_dir`'s own: a SQLite file in it, or a database of its own on the
    configured PostgreSQL server, unless `settings` name one.
    """
    env = {
        **os.environ,
        "REJOINDER_DATA_DIR": str(data_dir),
        **{f"REJOINDER_{name}": value for name, value in settings.items()},
    }
    configured = os.environ.get("REJOINDER_DATABASE_URL", "")
    if configured.startswith("postgres") and "DATABASE_URL" not in settings:
        env["REJOINDER_DATABASE_URL"] = _own_database(data_dir, configured)
    return env


def page_id(data_dir: Path, page_uri: str, **settings: str) -> int:
    """The id of the page `page_uri` in the database the servers on `data_dir` use."""
    query = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings';"
        "django.setup(); from rejoinder.pages.models import Page;"
        f"print(Page.objects.get(uri={page_uri!r}).pk)"
    )
    env = server_env(data_dir, **settings)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", query], env=env, check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip())


@dataclass
class Served:
    """A running `rejoinder serve`: its base URL and its process (the leader of its group)."""

    base: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL the server and every process it started, as a machine that dies at once."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)


@contextmanager
def served(
    data_dir: Path, page_uri: str, *, worker: bool = False, **settings: str
) -> Iterator[Served]:
    """Migrate a database, create the page `page_uri`, serve it; yield the running server.

    The database is `data_dir`'s own (see `server_env`).
    `settings` are REJOINDER_* variables (without the prefix) for the server; with `worker`,
    it runs its mail worker beside it as `rejoinder serve` does by default.
    """
    port = free_port()
    env = server_env(data_dir, **settings)
    setup = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings';"
        "django.setup(); from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from rejoinder.pages.lookup import default_site, ensure_page;"
        f"ensure_page(default_site(), {page_uri!r})"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)  # noqa: S603
    log = (data_dir / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "rejoinder",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            *([] if worker else ["--no-worker"]),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, never a pipe nobody reads: a server that logs much (a store away, say) would
        # block on a full pipe and stop answering. Read it after a failure.
        stderr=log,
        start_new_session=True,  # its own process group, so that kill() reaches its children
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/v1/counts?uri={page_uri}", process)
        yield Served(base, process)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        # Its workers too: one left behind would keep serving, and holding the shared
        # database, after the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@contextmanager
def running_server(data_dir: Path, page_uri: str, **settings: str) -> Iterator[str]:
    """Serve `page_uri` as `served` does (without a mail worker); yield the base URL."""
    with served(data_dir, page_uri, **settings) as server:
        yield server.base
