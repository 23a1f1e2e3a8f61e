from rejoinder.limits.models import RateCounter
from rejoinder.limits.ratelimit import count_hit, parse_rate, purge_rate_counters


def test_hits_count_up_within_a_window_and_restart_in_the_next(db: None) -> None:
    assert count_hit("post:r:a", 60, now=120.0)[0] == 1
    assert count_hit("post:r:a", 60, now=150.0)[0] == 2
    assert count_hit("post:r:b", 60, now=150.0)[0] == 1
    hits, retry_after = count_hit("post:r:a", 60, now=185.0)
    assert hits == 1
    assert 0 < retry_after <= 61
    assert RateCounter.objects.filter(bucket="post:r:a").count() == 2


def test_the_worker_purges_windows_that_ended_and_keeps_current_ones(db: None) -> None:
    count_hit("post:r:a", 60, now=120.0)
    count_hit("flag:r:a", 3600, now=10_000.0)
    assert purge_rate_counters(now=10_030.0) == 1  # the longest configured window is an hour
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["flag:r:a"]


def test_rates_parse_as_count_per_seconds() -> None:
    assert parse_rate("5/60") == (5, 60)
    assert parse_rate("10") == (10, 60)
