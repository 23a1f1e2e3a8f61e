"""A guest's history joining the account they signed in to.

The guest's comments and votes move here; every app that keeps rows by commenter or reader
key (ratings, subscriptions, moderation) registers a step with `on_merge`, the way they
listen to the comments' events, so this module never imports them. All of it runs in the
caller's transaction. A vote or rating both had cast on the same thing is kept once (the
account's), and a vote that would now be on one's own comment is withdrawn; the tallies
lose what was withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from rejoinder.comments.models import Comment, Commenter, Vote, wilson_lower_bound
from rejoinder.pages.models import Page

MergeStep = Callable[[Commenter, Commenter], None]
_steps: list[MergeStep] = []


def on_merge(step: MergeStep) -> MergeStep:
    """Register `step(guest, account_commenter)`, run inside every merge's transaction."""
    if step not in _steps:
        _steps.append(step)
    return step


def merge_guest(guest_key: str, into: Commenter) -> bool:
    """Move the history of the guest behind `guest_key` to `into`; return whether there was one.

    A key that is `into`'s own, or another account's commenter, is left alone: only a guest's
    history moves, and only with the guest's own signed key.
    """
    guest = (
        Commenter.objects.filter(reader_key=guest_key, account__isnull=True)
        .exclude(pk=into.pk)
        .first()
    )
    if guest is None:
        return False
    with transaction.atomic():
        _merge_votes(guest, into)
        moved_pages = set(Comment.objects.filter(author=guest).values_list("page_id", flat=True))
        Comment.objects.filter(author=guest).update(author=into)
        for page_id in sorted(moved_pages):  # their cached markup names the author
            Page(pk=page_id).bump()
        for step in _steps:
            step(guest, into)
    return True


def _merge_votes(guest: Commenter, into: Commenter) -> None:
    own_ids = set(Comment.objects.filter(author__in=[guest, into]).values_list("pk", flat=True))
    voted_by_account = set(Vote.objects.filter(voter=into).values_list("comment_id", flat=True))
    withdrawn = list(
        Vote.objects.filter(voter=guest, comment_id__in=voted_by_account | own_ids)
    ) + list(Vote.objects.filter(voter=into, comment_id__in=own_ids))
    if withdrawn:
        comments = {
            c.pk: c
            for c in Comment.objects.select_for_update().filter(
                pk__in={v.comment_id for v in withdrawn}
            )
        }
        for vote in withdrawn:
            comment = comments[vote.comment_id]
            comment.upvotes = max(0, comment.upvotes - (vote.value == 1))
            comment.downvotes = max(0, comment.downvotes - (vote.value == -1))
        Vote.objects.filter(pk__in=[v.pk for v in withdrawn]).delete()
        for comment in comments.values():
            comment.score = wilson_lower_bound(comment.upvotes, comment.downvotes)
            comment.save(update_fields=["upvotes", "downvotes", "score"])
        for page_id in sorted({c.page_id for c in comments.values()}):
            Page(pk=page_id).bump()
    Vote.objects.filter(voter=guest).update(voter=into)
