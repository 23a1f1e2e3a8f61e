"""Addresses as the vote and rating bounds store them: keyed hashes that change every day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from rejoinder.limits.addresses import address_of_the_day, day_of

IP_HASH = "5f0c0e1d2b3a49586776655443322110"  # request_identity.ip_hash of some address


def test_the_value_of_an_address_is_stable_within_a_day_and_unrelated_the_next() -> None:
    day = date(2026, 3, 20)
    today = address_of_the_day(IP_HASH, day)
    assert today == address_of_the_day(IP_HASH, day)
    assert today != address_of_the_day(IP_HASH, day + timedelta(days=1))
    assert today != address_of_the_day("another address", day)
    assert len(today) == 32
    assert IP_HASH not in today
    assert address_of_the_day("", day) == ""


def test_the_key_depends_on_the_secret_key(settings: Any) -> None:
    day = date(2026, 3, 20)
    before = address_of_the_day(IP_HASH, day)
    settings.SECRET_KEY = "another secret key, long enough to be a real one: 0123456789"
    assert address_of_the_day(IP_HASH, day) != before


def test_the_day_is_the_utc_date() -> None:
    late_in_sao_paulo = datetime(2026, 3, 20, 22, 30, tzinfo=timezone(timedelta(hours=-3)))
    assert day_of(late_in_sao_paulo) == date(2026, 3, 21)
    assert day_of(datetime(2026, 3, 20, 23, 59, tzinfo=UTC)) == date(2026, 3, 20)
