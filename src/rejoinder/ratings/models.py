"""Star ratings of pages: one per reader, changeable."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Page


class Rating(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # As on votes: the address it was counted from (that day's keyed hash) and its place.
    address = models.CharField(max_length=32, blank=True, editable=False)
    address_place = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "rater"], name="rating_one_per_reader"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="rating_one_to_five"
            ),
            models.UniqueConstraint(
                fields=["page", "address", "address_place"],
                condition=models.Q(address_place__isnull=False),
                name="rating_one_per_address_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ on {self.page_id}"


class DiscardedRatings(models.Model):
    """How many ratings of a page were not counted on one day (UTC), as DiscardedVotes."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ratings not counted")
        verbose_name_plural = _("ratings not counted")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="discardedratings_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.count} on {self.page_id} ({self.day})"
