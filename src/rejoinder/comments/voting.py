"""Votes on comments: one per reader per comment, changeable and undoable."""

from django.db import transaction
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment, Commenter, CommentStatus, Vote, wilson_lower_bound
from rejoinder.errors import Forbidden, InvalidInput, NotFound


def vote_on_comment(*, comment_id: int, voter: Commenter, value: int) -> Comment:
    """Set the voter's vote on a comment to +1 or -1, or withdraw it with 0.

    The comment row is locked first, so tallies and the Wilson score stay consistent under
    concurrent votes; the unique constraint keeps one vote per reader even so.
    """
    if value not in (1, -1, 0):
        raise InvalidInput(_("A vote is 1 (up), -1 (down) or 0 (withdraw)."), field="value")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None or comment.status != CommentStatus.PUBLISHED:
            raise NotFound(_("That comment does not exist or has been removed."))
        if comment.author_id == voter.pk:
            raise Forbidden(_("You cannot vote on your own comment."))
        existing = Vote.objects.filter(comment=comment, voter=voter).first()
        old = existing.value if existing else 0
        if old == value:
            return comment
        if existing and value == 0:
            existing.delete()
        elif existing:
            existing.value = value
            existing.save(update_fields=["value"])
        else:
            Vote.objects.create(comment=comment, voter=voter, value=value)
        comment.upvotes += (value == 1) - (old == 1)
        comment.downvotes += (value == -1) - (old == -1)
        comment.score = wilson_lower_bound(comment.upvotes, comment.downvotes)
        comment.save(update_fields=["upvotes", "downvotes", "score"])
        comment.page.bump()
    return comment


def votes_by(voter: Commenter | None, comment_ids: list[int]) -> dict[int, int]:
    """Return the voter's vote value per comment id, for the ids given."""
    if voter is None or not comment_ids:
        return {}
    rows = Vote.objects.filter(voter=voter, comment_id__in=comment_ids).values_list(
        "comment_id", "value"
    )
    return dict(rows)
