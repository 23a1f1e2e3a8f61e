"""What a reader's bell shows: their notices, newest first, and how many are unread."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from rejoinder.comments.models import Commenter, CommentStatus
from rejoinder.notices.models import Notice

NOTICES_PER_PAGE = 20


def _visible(recipient: Commenter) -> QuerySet[Notice]:
    # The listener drops a hidden comment's notices; this keeps any that raced it out of sight.
    return Notice.objects.filter(recipient=recipient, comment__status=CommentStatus.PUBLISHED)


def unread_count(recipient: Commenter | None) -> int:
    """Return how many of the reader's notices arrived since they last marked them read."""
    if recipient is None or recipient.pk is None:
        return 0
    return _visible(recipient).filter(read_at__isnull=True).count()


def notices_of(
    recipient: Commenter, *, page_number: int = 1, size: int = NOTICES_PER_PAGE
) -> tuple[list[Notice], bool]:
    """Return one page of the reader's notices, newest first, and whether there are more."""
    start = (max(page_number, 1) - 1) * size
    rows = list(
        _visible(recipient)
        .select_related("comment__page__site")
        .order_by("-created_at", "-pk")[start : start + size + 1]
    )
    return rows[:size], len(rows) > size


def mark_all_read(
    recipient: Commenter, *, up_to: int | None = None, now: datetime | None = None
) -> int:
    """Mark the reader's unread notices read (only those up to notice id `up_to`, when given:
    what the reader was shown); return how many were."""
    unread = Notice.objects.filter(recipient=recipient, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    return unread.update(read_at=now or timezone.now())
