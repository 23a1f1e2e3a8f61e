from collections.abc import Callable

import pytest

from rejoinder.comments.models import Commenter
from rejoinder.errors import InvalidInput
from rejoinder.pages.models import Page
from rejoinder.ratings.models import Rating
from rejoinder.ratings.rating import rate_page, rating_by


def test_ratings_average_to_one_decimal_with_a_count(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    for stars in (5, 4, 4):
        page = rate_page(page=page, rater=make_reader(), stars=stars)
    assert (page.rating_average, page.rating_count) == (4.3, 3)


def test_a_page_without_ratings_has_no_average(page: Page) -> None:
    assert page.rating_average is None


def test_rating_again_changes_the_readers_rating(page: Page, reader: Commenter) -> None:
    rate_page(page=page, rater=reader, stars=2)
    page = rate_page(page=page, rater=reader, stars=5)
    assert (page.rating_sum, page.rating_count) == (5, 1)
    assert rating_by(reader, page) == 5
    assert Rating.objects.count() == 1


@pytest.mark.parametrize("stars", [0, 6, -1, True])
def test_stars_outside_one_to_five_are_refused(page: Page, reader: Commenter, stars: int) -> None:
    with pytest.raises(InvalidInput):
        rate_page(page=page, rater=reader, stars=stars)
    page.refresh_from_db()
    assert page.rating_count == 0
