"""Telling the streams of every process that a channel has a new event.

The event log is the truth; a notice only says "read it now". Within a process the hub is
woken directly; between processes and machines, Redis pub/sub carries the notice when
REJOINDER_REDIS_URL is set, and otherwise each process's hub reads the log every second.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

REDIS_CHANNEL = "rejoinder:live"
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


def announce(channel: str) -> None:
    for waker in list(_wakers):
        try:
            waker(channel)
        except RuntimeError:  # its loop has closed (a server shutting down)
            off_announce(waker)
    url = redis_url()
    if not url or time.monotonic() < _quiet_until[0]:
        return
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
