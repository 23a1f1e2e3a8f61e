"""Votes on comments: one per reader per comment, changeable and undoable."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.comments.events import CommentVoted, emit
from rejoinder.comments.identity import is_signed_in
from rejoinder.comments.models import (
    Comment,
    Commenter,
    CommentStatus,
    DiscardedVotes,
    Vote,
    wilson_lower_bound,
)
from rejoinder.errors import Conflict, Forbidden, InvalidInput, NotFound
from rejoinder.limits.addresses import day_of, place_for
from rejoinder.limits.counters import add_one
from rejoinder.limits.ratelimit import enforce_rate_limit


def vote_on_comment(
    *,
    comment_id: int,
    voter: Commenter,
    value: int,
    ip_hash: str,
    now: datetime | None = None,
    limited: bool = True,
) -> Comment:
    """Set the voter's vote on a comment to +1 or -1, or withdraw it with 0.

    One transaction: the rate limits are counted (per reader and per `ip_hash`, the client's
    `request_identity.ip_hash`, "" when unknown), then the comment row is locked, so tallies
    and the Wilson score stay consistent under concurrent votes; the unique constraint keeps
    one vote per reader even so. A new vote takes one of the places its site gives one
    address on one comment each day (`Site.max_votes_per_address`); when that address holds
    them all the vote is not counted: the refusal is recorded for the moderators, committed,
    and Conflict raised. Changing a vote keeps its place; withdrawing frees it.
    `limited=False` is for the publisher's own tools (imports, the demo): no rate limits.
    """
    if value not in (1, -1, 0):
        raise InvalidInput(_("A vote is 1 (up), -1 (down) or 0 (withdraw)."), field="value")
    now = now or timezone.now()
    with transaction.atomic():
        if limited:
            enforce_rate_limit("vote", reader_key=voter.reader_key, ip_hash=ip_hash)
        comment, counted = _vote(comment_id, voter, value, ip_hash, now, policy=limited)
    if not counted:
        raise Conflict(
            _(
                "Your vote was not counted: this comment already has as many votes from your "
                "network (a home, an office or a mobile provider) as it counts in a day."
            )
        )
    return comment


def _vote(
    comment_id: int, voter: Commenter, value: int, ip_hash: str, now: datetime, *, policy: bool
) -> tuple[Comment, bool]:
    """Apply the vote inside the caller's transaction; return the comment and whether it counted."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("page__site")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status != CommentStatus.PUBLISHED:
        raise NotFound(_("That comment does not exist or has been removed."))
    if comment.author_id == voter.pk:
        raise Forbidden(_("You cannot vote on your own comment."))
    if policy and comment.page.site.sign_in_to_vote and not is_signed_in(voter):
        raise Forbidden(_("Sign in to vote on this site."), field="sign_in")
    existing = Vote.objects.filter(comment=comment, voter=voter).first()
    old = existing.value if existing else 0
    if old == value:
        return comment, True
    if existing and value == 0:
        existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        address, place = place_for(
            Vote.objects.filter(comment=comment),
            ip_hash=ip_hash,
            now=now,
            places=comment.page.site.max_votes_per_address,
        )
        if address and place is None:
            add_one(DiscardedVotes, comment=comment.pk, day=day_of(now))
            return comment, False
        Vote.objects.create(
            comment=comment, voter=voter, value=value, address=address, address_place=place
        )
    comment.upvotes += (value == 1) - (old == 1)
    comment.downvotes += (value == -1) - (old == -1)
    comment.score = wilson_lower_bound(comment.upvotes, comment.downvotes)
    comment.save(update_fields=["upvotes", "downvotes", "score"])
    comment.page.bump()
    emit(CommentVoted(comment_id=comment.pk, page_id=comment.page_id))
    return comment, True


def votes_by(voter: Commenter | None, comment_ids: list[int]) -> dict[int, int]:
    """Return the voter's vote value per comment id, for the ids given."""
    if voter is None or not comment_ids:
        return {}
    rows = Vote.objects.filter(voter=voter, comment_id__in=comment_ids).values_list(
        "comment_id", "value"
    )
    return dict(rows)
