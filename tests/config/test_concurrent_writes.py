"""Many readers posting at once against the real server: every 2xx is stored, none is lost.

Runs `rejoinder serve` (the production server) on the configured database, or on a fresh SQLite
file in WAL mode when none is configured, and posts from several threads at once.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

THREADS, POSTS_EACH = 8, 25


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:  # type: ignore[type-arg]
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


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    env = {**os.environ, "REJOINDER_DATA_DIR": str(tmp_path), "REJOINDER_RATE_LIMITS": "0"}
    setup = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings'; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from rejoinder.pages.lookup import default_site, ensure_page; ensure_page(default_site(), '/busy/')"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)  # noqa: S603
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
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/v1/counts?uri=/busy/", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _post(base: str, n: int) -> int:
    body = json.dumps(
        {"uri": "/busy/", "name": f"Reader {n}", "body": f"Concurrent comment {n}"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/comments", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _count(base: str) -> int:
    with urllib.request.urlopen(f"{base}/api/v1/counts?uri=/busy/", timeout=10) as response:  # noqa: S310
        return json.load(response)["counts"]["/busy/"]


def test_concurrent_posts_all_succeed_and_every_acknowledged_one_is_stored(server: str) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        codes = list(pool.map(lambda n: _post(server, n), range(THREADS * POSTS_EACH)))
    assert set(codes) == {201}, {c: codes.count(c) for c in set(codes)}
    assert _count(server) == codes.count(201)
