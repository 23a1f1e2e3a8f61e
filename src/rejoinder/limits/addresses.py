"""Network addresses as the bounds on votes and ratings see them: a keyed hash of the day.

Votes and ratings remember the address they were counted from, to bound how many one
address adds to one comment or page. What they store is `address_of_the_day`: an HMAC of
the client's IP hash under a key derived from the secret key and the date (UTC). Without
the secret key it cannot be turned back into an address, and the same address gets an
unrelated value the next day, so stored values do not link one address's votes across days.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

_PURPOSE = b"rejoinder.limits.address-of-the-day:"


def hash_ip(ip: str) -> str:
    """Return the keyed hash stored for a client IP (a comment's `ip_hash`), "" for no IP.

    An HMAC under the secret key: stable for rate limits and bans, useless if leaked. Requests
    hash their client's address with it (`request_identity.ip_hash`), importers the addresses
    an export holds, so an imported comment's address matches a new one from the same place.
    """
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def day_of(moment: datetime) -> date:
    """Return the UTC date of `moment`: the day whose key hashes addresses at that moment."""
    return moment.astimezone(UTC).date()


def _key_of(day: date) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), _PURPOSE + day.isoformat().encode(), hashlib.sha256
    ).digest()


def address_of_the_day(ip_hash: str, day: date) -> str:
    """Return the value stored for a client address on `day`, or "" when the address is unknown.

    `ip_hash` is the keyed hash the request gave (`request_identity.ip_hash`); the raw
    address never reaches the domain.
    """
    if not ip_hash:
        return ""
    return hmac.new(_key_of(day), ip_hash.encode(), hashlib.sha256).hexdigest()[:32]


def place_for(
    holders: QuerySet[Any], *, ip_hash: str, now: datetime, places: int
) -> tuple[str, int | None]:
    """Return the address a new vote or rating counts from, and the free place it takes there.

    `holders` are the rows that may hold places on the same comment or page (votes on it,
    ratings of it), with `address` and `address_place` fields; `places` is how many one
    address gets there. ("", None) when the address is unknown or `places` is 0 (no bound);
    (address, None) when that address holds every place today. Call it with the comment or
    page locked: the unique constraint on (target, address, address_place) is the guarantee.
    """
    address = address_of_the_day(ip_hash, day_of(now))
    if not address or not places:
        return "", None
    held = set(
        holders.filter(address=address, address_place__isnull=False).values_list(
            "address_place", flat=True
        )
    )
    free = next((place for place in range(1, places + 1) if place not in held), None)
    return address, free
