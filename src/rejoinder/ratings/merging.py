"""A guest's ratings joining the account they signed in to (see accounts/merging.py)."""

from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Page
from rejoinder.ratings.models import Rating


def merge_ratings(guest: Commenter, into: Commenter) -> None:
    """Move the guest's ratings; where both rated a page, the account's stays and the page's
    totals lose the guest's."""
    rated = Rating.objects.filter(rater=into).values_list("page_id", flat=True)
    for rating in Rating.objects.filter(rater=guest, page_id__in=list(rated)).order_by("page_id"):
        Page(pk=rating.page_id).bump(rating_sum=-rating.stars, rating_count=-1)
        rating.delete()
    Rating.objects.filter(rater=guest).update(rater=into)
