"""Telling the streams of every process that a channel has a new event.

The event log is the truth; a notice only says "read it now". Within a process the hub is
woken directly; between processes and machines, Redis pub/sub carries the notice when
REJOINDER_REDIS_URL is set, else PostgreSQL's NOTIFY when that is the database; on SQLite
(one machine) each process's hub reads the log every second.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

REDIS_CHANNEL = "rejoinder:live"
POSTGRES_CHANNEL = "rejoinder_live"  # LISTEN/NOTIFY channels are identifiers
_wakers: list[Callable[[str], None]] = []
_client: Any = None
QUIET_SECONDS = 5.0
_quiet_until = [0.0]


def on_announce(waker: Callable[[str], None]) -> None:
    """Call `waker(channel)` (from any thread) whenever this process records an event."""
    _wakers.append(waker)


def off_announce(waker: Callable[[str], None]) -> None:
    if waker in _wakers:
        _wakers.remove(waker)


def redis_url() -> str | None:
    url: str | None = settings.REJOINDER.get("REDIS_URL")
    return url or None


def on_postgres() -> bool:
    return connections["default"].vendor == "postgresql"


def announce(channel: str) -> None:
    """Tell every process's streams that `channel` has a new event (called after commit)."""
    for waker in list(_wakers):
        try:
            waker(channel)
        except RuntimeError:  # its loop has closed (a server shutting down)
            off_announce(waker)
    if time.monotonic() < _quiet_until[0]:
        return
    url = redis_url()
    if url:
        _publish_redis(url, channel)
    elif on_postgres():
        _notify_postgres(channel)


def _notify_postgres(channel: str) -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [POSTGRES_CHANNEL, channel])
    except Exception:
        _quiet_until[0] = time.monotonic() + QUIET_SECONDS
        log.warning("could not announce %s through PostgreSQL", channel, exc_info=True)


def _publish_redis(url: str, channel: str) -> None:
    global _client
    try:
        if _client is None:
            import redis  # the `redis` extra

            _client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        _client.publish(REDIS_CHANNEL, channel)
    except Exception:
        # Redis away: the other processes still read the log on their next poll. Writes do
        # not wait for it again for a while (a connection timeout on every post would).
        _quiet_until[0] = time.monotonic() + QUIET_SECONDS
        log.warning("could not announce %s through Redis", channel, exc_info=True)
