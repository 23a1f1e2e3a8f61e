"""Rating pages: one rating per reader, changeable, aggregated on the Page."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.comments.events import emit
from rejoinder.comments.identity import is_signed_in
from rejoinder.comments.models import Commenter
from rejoinder.errors import Conflict, Forbidden, InvalidInput
from rejoinder.limits.addresses import day_of, place_for
from rejoinder.limits.counters import add_one
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.pages.models import Page
from rejoinder.ratings.models import DiscardedRatings, Rating


@dataclass(frozen=True)
class PageRated:
    """A page's rating changed (announced through the comments' event registry)."""

    page_id: int


def rate_page(
    *,
    page: Page,
    rater: Commenter,
    stars: int,
    ip_hash: str,
    now: datetime | None = None,
    limited: bool = True,
) -> Page:
    """Set the rater's rating of the page to 1-5 stars and return the page with fresh totals.

    One transaction: the rate limits are counted (per reader and per `ip_hash`, the client's
    `request_identity.ip_hash`, "" when unknown), then the page row is locked. A first rating
    takes one of the places the site gives one address on one page each day
    (`Site.max_votes_per_address`); when that address holds them all the rating is not
    counted: the refusal is recorded for the moderators, committed, and Conflict raised.
    Changing a rating keeps its place. `limited=False` is for the publisher's own tools
    (imports, the demo): no rate limits.
    """
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise InvalidInput(_("A rating is a whole number of stars from 1 to 5."), field="stars")
    if limited and page.site.sign_in_to_vote and not is_signed_in(rater):
        raise Forbidden(_("Sign in to rate pages on this site."), field="sign_in")
    now = now or timezone.now()
    with transaction.atomic():
        if limited:
            enforce_rate_limit("rating", reader_key=rater.reader_key, ip_hash=ip_hash)
        locked = Page.objects.select_for_update().get(pk=page.pk)
        counted = _rate(page, locked, rater, stars, ip_hash, now)
    if not counted:
        raise Conflict(
            _(
                "Your rating was not counted: this page already has as many ratings from your "
                "network (a home, an office or a mobile provider) as it counts in a day."
            )
        )
    locked.refresh_from_db()
    return locked


def _rate(
    page: Page, locked: Page, rater: Commenter, stars: int, ip_hash: str, now: datetime
) -> bool:
    """Apply the rating inside the caller's transaction; return whether it counted."""
    existing = Rating.objects.filter(page=locked, rater=rater).first()
    if existing is None:
        address, place = place_for(
            Rating.objects.filter(page=locked),
            ip_hash=ip_hash,
            now=now,
            places=page.site.max_votes_per_address,
        )
        if address and place is None:
            add_one(DiscardedRatings, page=locked.pk, day=day_of(now))
            return False
        Rating.objects.create(
            page=locked, rater=rater, stars=stars, address=address, address_place=place
        )
        locked.bump(rating_sum=stars, rating_count=1)
        emit(PageRated(page_id=locked.pk))
    elif existing.stars != stars:
        delta = stars - existing.stars
        existing.stars = stars
        existing.updated_at = now
        existing.save(update_fields=["stars", "updated_at"])
        locked.bump(rating_sum=delta)
        emit(PageRated(page_id=locked.pk))
    return True


def rating_by(rater: Commenter | None, page: Page) -> int | None:
    """Return the stars this reader gave the page, or None."""
    if rater is None:
        return None
    return Rating.objects.filter(page=page, rater=rater).values_list("stars", flat=True).first()
