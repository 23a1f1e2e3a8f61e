"""The shared cache in Redis, which a Redis that is away turns into a cache that misses.

Everything Rejoinder caches can be computed again from the database, and Redis only ever
holds copies: with it gone a read misses and a write is dropped, so pages, posts and the live
event log keep working (slower), and a warning is logged once a minute at most. Django's own
backend raises instead, which turned a Redis outage into failed requests.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)
_said_at = [0.0]


def _away(error: Exception) -> None:
    if time.monotonic() - _said_at[0] >= 60:
        _said_at[0] = time.monotonic()
        log.warning("the cache (Redis) is away; reading from the database: %s", error)


class _Client(RedisCacheClient):
    def _or(self, fallback: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            _away(error)
            return fallback

    def get(self, key: Any, default: Any) -> Any:
        return self._or(default, "get", key, default)

    def get_many(self, keys: Any) -> Any:
        return self._or({}, "get_many", keys)

    def has_key(self, key: Any) -> Any:
        return self._or(False, "has_key", key)

    def set(self, key: Any, value: Any, timeout: Any) -> Any:
        return self._or(None, "set", key, value, timeout)

    def set_many(self, data: Any, timeout: Any) -> Any:
        return self._or([], "set_many", data, timeout)

    def add(self, key: Any, value: Any, timeout: Any) -> Any:
        return self._or(False, "add", key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> Any:
        return self._or(False, "touch", key, timeout)

    def delete(self, key: Any) -> Any:
        return self._or(False, "delete", key)

    def delete_many(self, keys: Any) -> Any:
        return self._or(None, "delete_many", keys)

    def clear(self) -> Any:
        return self._or(False, "clear")


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, where Redis away is a miss (incr still raises: a counter that
    cannot count must not pretend to)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
