"""What several readers share: times, booleans, identities."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings

from rejoinder.portability.sources import BadFile

_ISO = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(Z|[+-]\d\d:?\d\d)?$",
    re.IGNORECASE,
)


def parse_time(text: str, *, default_zone: timedelta = timedelta(0)) -> datetime:
    """Parse an ISO 8601 / RFC 3339 time, nanoseconds and any offset included, into UTC.

    A time without a zone is read in `default_zone` (UTC unless said otherwise). Raises
    ValueError for anything else.
    """
    match = _ISO.match(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if zone is None:
        offset = default_zone
    elif zone.upper() == "Z":
        offset = timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    moment = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=UTC
    )
    return moment - offset


def time_or_bad(text: str, what: str, *, line: int | None = None) -> datetime:
    try:
        return parse_time(text)
    except (ValueError, OverflowError):
        raise BadFile(f"{what} is not a time: {text.strip()[:40]!r}", line=line) from None


def epoch(seconds: float) -> datetime:
    """A Unix time (seconds, fractions kept to the microsecond) in UTC."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=round(seconds * 1_000_000))


def true(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "1", "yes")


def keyed(value: str) -> str:
    """A keyed hash of an identifier that must not be stored as it is (an IP's MD5)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"rejoinder.portability:" + value.encode(), hashlib.sha256
    ).hexdigest()[:32]


def guest_key(name: str, email: str) -> str:
    """A guest's identity within one source: the name and address they gave."""
    return f"guest:{name}\x1f{email.strip().lower()}"
