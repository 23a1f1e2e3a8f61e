from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from tests.concurrency import at_once

from rejoinder.comments.models import Commenter
from rejoinder.errors import Conflict, InvalidInput, RateLimited
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.models import DiscardedRatings, Rating
from rejoinder.ratings.rating import rate_page, rating_by


def test_ratings_average_to_one_decimal_with_a_count(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    for stars in (5, 4, 4):
        page = rate_page(page=page, rater=make_reader(), stars=stars, ip_hash="")
    assert (page.rating_average, page.rating_count) == (4.3, 3)


def test_a_page_without_ratings_has_no_average(page: Page) -> None:
    assert page.rating_average is None


def test_rating_again_changes_the_readers_rating(page: Page, reader: Commenter) -> None:
    rate_page(page=page, rater=reader, stars=2, ip_hash="")
    page = rate_page(page=page, rater=reader, stars=5, ip_hash="")
    assert (page.rating_sum, page.rating_count) == (5, 1)
    assert rating_by(reader, page) == 5
    assert Rating.objects.count() == 1


@pytest.mark.parametrize("stars", [0, 6, -1, True])
def test_stars_outside_one_to_five_are_refused(page: Page, reader: Commenter, stars: int) -> None:
    with pytest.raises(InvalidInput):
        rate_page(page=page, rater=reader, stars=stars, ip_hash="")
    page.refresh_from_db()
    assert page.rating_count == 0


HOME = "home-address-hash"  # what request_identity.ip_hash gives for one client address


def _rate_from(
    page: Page, rater: Commenter, stars: int = 5, ip_hash: str = HOME, **kw: Any
) -> Page | Conflict:
    try:
        return rate_page(page=page, rater=rater, stars=stars, ip_hash=ip_hash, **kw)
    except Conflict as refused:
        return refused


def test_a_hundred_fresh_readers_from_one_address_add_at_most_the_sites_bound(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    outcomes = [_rate_from(page, make_reader(), stars=1) for _ in range(100)]

    refusals = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refusals) == 95
    assert "not counted" in refusals[0].message
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (5, 5)
    assert DiscardedRatings.objects.get(page=page).count == 95
    assert not isinstance(_rate_from(page, make_reader(), ip_hash="elsewhere"), Conflict)


def test_changing_a_rating_keeps_its_place(
    page: Page, site: Site, make_reader: Callable[[], Commenter]
) -> None:
    site.max_votes_per_address = 2
    site.save()
    first, second, third = make_reader(), make_reader(), make_reader()
    _rate_from(page, first, stars=2)
    _rate_from(page, second, stars=3)
    assert isinstance(_rate_from(page, third), Conflict)
    changed = _rate_from(page, first, stars=4)
    assert isinstance(changed, Page)
    assert (changed.rating_count, changed.rating_sum) == (2, 7)
    assert isinstance(_rate_from(page, third), Conflict)


def test_ratings_have_their_own_rate_limits_inside_the_domain(
    page: Page, site: Site, make_reader: Callable[[], Commenter], settings: Any
) -> None:
    settings.REJOINDER = {
        **settings.REJOINDER,
        "RATE_RATING": "2/60",
        "RATE_RATING_IP": "3/60",
        "RATE_VOTE": "1/60",
    }
    reader = make_reader()
    _rate_from(page, reader, stars=1, ip_hash="a")
    _rate_from(page, reader, stars=2, ip_hash="a")
    with pytest.raises(RateLimited):
        _rate_from(page, reader, stars=3, ip_hash="a")
    _rate_from(page, make_reader(), ip_hash="a")
    with pytest.raises(RateLimited):
        _rate_from(page, make_reader(), ip_hash="a")
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (2, 7)


@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_from_one_address_never_exceed_the_bound(
    site: Site, make_reader: Callable[[], Commenter]
) -> None:
    site.max_votes_per_address = 3
    site.save()
    page = Page.objects.create(site=site, uri="/race/")
    raters = [make_reader() for _ in range(12)]

    # Unlimited: the rate counters' row locks would queue these ratings by themselves.
    outcomes = at_once([partial(_rate_from, page, rater, limited=False) for rater in raters])

    assert sum(isinstance(o, Page) for o in outcomes) == 3, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 9, outcomes
    page.refresh_from_db()
    assert page.rating_count == 3
    assert DiscardedRatings.objects.get(page=page).count == 9
