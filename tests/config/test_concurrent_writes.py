"""Many readers posting at once against the real server: every 2xx is stored, none is lost.

Runs `rejoinder serve` (the production server) on a database of the test's own on the
configured PostgreSQL, or on a fresh SQLite file in WAL mode when none is configured, and posts
from several threads at once.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.servers import running_server

pytestmark = pytest.mark.processes  # each test starts `rejoinder serve`

THREADS, POSTS_EACH = 8, 25


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path, "/busy/", RATE_LIMITS="0") as base:
        yield base


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
