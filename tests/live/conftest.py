"""Fixtures of the live tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.live.redis_server import Redis, redis_server


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    """A redis-server of the test's own on a free loopback port."""
    with redis_server(tmp_path) as server:
        yield server
