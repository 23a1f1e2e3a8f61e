"""Votes and ratings that were not counted: more came from one address than the site counts.

Voting and rating record each refusal as a count per comment or page and day
(`comments.models.DiscardedVotes`, `ratings.models.DiscardedRatings`); this module reads
them for the moderation page. Nothing here names an address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum, Value
from django.utils import timezone

from rejoinder.comments.models import Comment, DiscardedVotes
from rejoinder.limits.addresses import day_of
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.models import DiscardedRatings

# How far back the moderation page lists refusals.
RECENT_DAYS = 30


@dataclass(frozen=True)
class NotCounted:
    """Votes on a comment, or ratings of a page (`comment` None), refused on one day."""

    day: date
    count: int
    page: Page
    comment: Comment | None = None


def not_counted_lately(
    site: Site, *, days: int = RECENT_DAYS, limit: int = 200
) -> list[NotCounted]:
    """Return the site's refused votes and ratings of the last `days` days, newest day first."""
    since = day_of(timezone.now()) - timedelta(days=days - 1)
    votes = (
        DiscardedVotes.objects.filter(comment__page__site=site, day__gte=since)
        .select_related("comment__page")
        .order_by("-day", "-count")[:limit]
    )
    ratings = (
        DiscardedRatings.objects.filter(page__site=site, day__gte=since)
        .select_related("page")
        .order_by("-day", "-count")[:limit]
    )
    rows = [NotCounted(v.day, v.count, v.comment.page, v.comment) for v in votes]
    rows += [NotCounted(r.day, r.count, r.page) for r in ratings]
    rows.sort(key=lambda row: (row.day, row.count), reverse=True)
    return rows[:limit]


def not_counted_totals(
    comment_ids: list[int], page_ids: list[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Return how many votes on each comment, and ratings of each page, were ever refused.

    One query: the two tallies are read as one union.
    """
    votes = (
        DiscardedVotes.objects.filter(comment_id__in=comment_ids)
        .values_list("comment_id")
        .annotate(kind=Value("vote"), n=Sum("count"))
        .order_by()
    )
    ratings = (
        DiscardedRatings.objects.filter(page_id__in=page_ids)
        .values_list("page_id")
        .annotate(kind=Value("rating"), n=Sum("count"))
        .order_by()
    )
    totals: dict[str, dict[int, int]] = {"vote": {}, "rating": {}}
    for pk, kind, n in votes.union(ratings, all=True):
        totals[kind][pk] = n
    return totals["vote"], totals["rating"]
