"""Rating pages: one rating per reader, changeable, aggregated on the Page."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.comments.models import Commenter
from rejoinder.errors import InvalidInput
from rejoinder.pages.models import Page
from rejoinder.ratings.models import Rating


def rate_page(*, page: Page, rater: Commenter, stars: int) -> Page:
    """Set the rater's rating of the page to 1-5 stars and return the page with fresh totals."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise InvalidInput(_("A rating is a whole number of stars from 1 to 5."), field="stars")
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        existing = Rating.objects.filter(page=locked, rater=rater).first()
        if existing is None:
            Rating.objects.create(page=locked, rater=rater, stars=stars)
            locked.bump(rating_sum=stars, rating_count=1)
        elif existing.stars != stars:
            delta = stars - existing.stars
            existing.stars = stars
            existing.updated_at = timezone.now()
            existing.save(update_fields=["stars", "updated_at"])
            locked.bump(rating_sum=delta)
    locked.refresh_from_db()
    return locked


def rating_by(rater: Commenter | None, page: Page) -> int | None:
    """Return the stars this reader gave the page, or None."""
    if rater is None:
        return None
    return Rating.objects.filter(page=page, rater=rater).values_list("stars", flat=True).first()
