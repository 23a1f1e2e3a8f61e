"""The live updates' event log: what readers (or a site's moderators) may see, as it happened."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LiveEvent(models.Model):
    """One change of a page (or of a site's moderation queue), rendered once for every stream.

    Ids increase; on one channel they increase in commit order (the page's row is locked while
    an event is written), so "every event after id N" is exact. Kept for ten minutes.
    """

    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=40)  # "page:<id>", or "site:<id>" for moderators
    kind = models.CharField(max_length=20)
    version = models.BigIntegerField()  # the page's version the event brings the reader to
    data = models.TextField()  # JSON, with the comment's markup already rendered
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "id"], name="live_event_channel")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.kind}"
