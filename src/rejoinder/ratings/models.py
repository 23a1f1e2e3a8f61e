"""Star ratings of pages: one per reader, changeable."""

from django.db import models
from django.utils import timezone

from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Page


class Rating(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "rater"], name="rating_one_per_reader"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ on {self.page_id}"
