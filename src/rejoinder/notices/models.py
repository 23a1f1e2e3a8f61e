"""What a reader is told of in the box: replies to their comments and mentions of them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rejoinder.comments.models import Comment, Commenter


class NoticeKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")


class Notice(models.Model):
    """One comment one reader should hear of; `read_at` is set by "Mark all read".

    At most one per reader and comment: a reply that also mentions them is a reply.
    """

    recipient = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "comment"], name="notice_once_per_comment")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["recipient", "created_at"], name="notice_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.comment_id} for {self.recipient_id}"
