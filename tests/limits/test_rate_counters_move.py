"""Rate counters kept by `moderation` before the move are still counted by `limits` after it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from rejoinder.limits.models import RateCounter
from rejoinder.limits.ratelimit import count_hit


@pytest.mark.django_db(transaction=True)
def test_moving_the_counters_to_limits_keeps_their_rows() -> None:
    call_command("migrate", "moderation", "0003", verbosity=0)
    call_command("migrate", "limits", "zero", verbosity=0)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO moderation_ratecounter (bucket, window_start, count) "
                "VALUES ('post:r:a', 120, 4)"
            )
        call_command("migrate", verbosity=0)
        assert RateCounter._meta.db_table == "limits_ratecounter"
        assert list(RateCounter.objects.values_list("bucket", "window_start", "count")) == [
            ("post:r:a", 120, 4)
        ]
        assert count_hit("post:r:a", 60, now=150.0)[0] == 5
    finally:
        call_command("migrate", verbosity=0)
