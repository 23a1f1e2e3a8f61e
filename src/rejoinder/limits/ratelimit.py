"""Atomic rate limits on writes, per reader and per IP.

One upsert per check: the database increments and returns the count in a single statement,
so concurrent requests can never both pass on a stale count (no check-then-insert). The
domain functions call `enforce_rate_limit` inside their own transactions, so every surface
(the box, the API, imports, the command line) meets the same limits (docs/security.md, rule 6).
"""

import time

from django.conf import settings
from django.utils.translation import ngettext

from rejoinder.errors import RateLimited
from rejoinder.limits.counters import add_one
from rejoinder.limits.models import RateCounter


def parse_rate(rate: str) -> tuple[int, int]:
    """Parse "count/seconds" into (count, seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def count_hit(key: str, period: int, now: float | None = None) -> tuple[int, int]:
    """Count one hit of `key` in the current window; return (hits so far, seconds left).

    One statement: past windows are purged by the worker (`purge_rate_counters`), not here,
    so the write path pays nothing for them.
    """
    now = time.time() if now is None else now
    window = int(now // period) * period
    hits = add_one(RateCounter, bucket=key[:150], window_start=window)
    return hits, int(window + period - now) + 1


def purge_rate_counters(now: float | None = None) -> int:
    """Delete the counters of windows that ended; return how many (a worker step)."""
    now = time.time() if now is None else now
    longest = max(
        parse_rate(value)[1]
        for name, value in settings.REJOINDER.items()
        if name.startswith("RATE_") and isinstance(value, str)
    )
    deleted, _counts = RateCounter.objects.filter(window_start__lt=now - longest).delete()
    return deleted


def enforce_rate_limit(action: str, *, reader_key: str, ip_hash: str) -> None:
    """Count one `action` by this reader and IP; raise RateLimited past the limits.

    `action` names the settings `RATE_<ACTION>` (per reader) and `RATE_<ACTION>_IP`: post,
    vote, rating, subscribe, flag, sign_in. Call inside the transaction of the write it
    guards, so a refused or failed write does not cost the reader an attempt.
    """
    conf = settings.REJOINDER
    if not conf["RATE_LIMITS_ENABLED"]:
        return
    checks = [(f"{action}:r:{reader_key}", conf[f"RATE_{action.upper()}"])]
    if ip_hash:
        checks.append((f"{action}:ip:{ip_hash}", conf[f"RATE_{action.upper()}_IP"]))
    for key, rate in checks:
        limit, period = parse_rate(rate)
        hits, retry_after = count_hit(key, period)
        if hits > limit:
            raise RateLimited(
                ngettext(
                    "You are doing that too often. Please wait %(s)d second and try again.",
                    "You are doing that too often. Please wait %(s)d seconds and try again.",
                    retry_after,
                )
                % {"s": retry_after},
                retry_after=retry_after,
            )
