"""From a comment becoming visible to the notices of the readers it answers or mentions.

Notices are written after the comment's commit (a lost notice is no lost comment) and only
for a comment that is published then: a held, spam or shadowed comment tells nobody until a
moderator approves it, and approving emits the same `CommentPublished`. A comment that stops
being visible (removed, spam, held after flags, deleted) takes its notices with it, in its
own transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from rejoinder.comments.events import CommentDeleted, CommentHidden, CommentPublished
from rejoinder.comments.markdown import mentioned
from rejoinder.comments.mentions import known_names
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.notices.models import Notice, NoticeKind


def notices_for_comment(comment: Comment, *, now: datetime | None = None) -> list[Notice]:
    """Return the notices a published comment gives: its answered author, then whom it mentions.

    Nobody hears of their own comment.
    """
    now = now or timezone.now()
    recipients: dict[int, str] = {}
    answered_id = comment.reply_to_id or comment.parent_id
    if answered_id:
        answered = Comment.objects.filter(pk=answered_id).values_list("author_id", flat=True)
        for author_id in answered:
            recipients[author_id] = NoticeKind.REPLY
    if "@" in comment.body:
        for known in mentioned(comment.body, known_names(comment.page_id)):
            recipients.setdefault(known.commenter_id, NoticeKind.MENTION)
    recipients.pop(comment.author_id, None)
    return [
        Notice(recipient_id=pk, comment=comment, kind=kind, created_at=now)
        for pk, kind in recipients.items()
    ]


def record_notices(event: CommentPublished) -> None:
    """After commit: write the notices of a comment that is (still) published."""
    comment = Comment.objects.filter(pk=event.comment_id).first()
    if comment is None or comment.status != CommentStatus.PUBLISHED:
        return
    Notice.objects.bulk_create(notices_for_comment(comment), ignore_conflicts=True)


def drop_notices(event: CommentHidden | CommentDeleted) -> None:
    """Inside the write that hid or deleted a comment: its notices go (one indexed delete)."""
    Notice.objects.filter(comment_id=event.comment_id).delete()


def merge_notices(guest: Commenter, into: Commenter) -> None:
    """A guest's notices join the account they signed in to (once per comment)."""
    with transaction.atomic():
        held = Notice.objects.filter(recipient=into).values_list("comment_id", flat=True)
        Notice.objects.filter(recipient=guest, comment_id__in=list(held)).delete()
        Notice.objects.filter(recipient=guest).update(recipient=into)
        # A notice of one's own comment (now that both are the account's) says nothing.
        Notice.objects.filter(recipient=into, comment__author=into).delete()
