"""Counters the limits keep: hits per key in fixed time windows."""

from django.db import models


class RateCounter(models.Model):
    """How many times a key (action + reader or IP hash) acted in one fixed time window."""

    bucket = models.CharField(max_length=150)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "window_start"], name="ratecounter_unique_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start}: {self.count}"
