from collections.abc import Callable

import pytest

from rejoinder.comments.models import Comment, Commenter, Vote, wilson_lower_bound
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment, votes_by
from rejoinder.errors import Forbidden, InvalidInput, NotFound
from rejoinder.pages.models import Page


@pytest.fixture
def comment(page: Page, make_reader: Callable[[], Commenter]) -> Comment:
    return post_comment(page=page, author=make_reader(), name="Ana", body="Vote on me")


def test_one_vote_per_reader_changeable_and_undoable(comment: Comment, reader: Commenter) -> None:
    assert vote_on_comment(comment_id=comment.pk, voter=reader, value=1, ip_hash="").upvotes == 1
    assert vote_on_comment(comment_id=comment.pk, voter=reader, value=1, ip_hash="").upvotes == 1
    changed = vote_on_comment(comment_id=comment.pk, voter=reader, value=-1, ip_hash="")
    assert (changed.upvotes, changed.downvotes) == (0, 1)
    undone = vote_on_comment(comment_id=comment.pk, voter=reader, value=0, ip_hash="")
    assert (undone.upvotes, undone.downvotes) == (0, 0)
    assert Vote.objects.count() == 0


def test_the_score_follows_the_tallies(
    comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    for value in (1, 1, -1):
        last = vote_on_comment(comment_id=comment.pk, voter=make_reader(), value=value, ip_hash="")
    assert last.score == pytest.approx(wilson_lower_bound(2, 1))
    assert 0 < last.score < 2 / 3


def test_authors_cannot_vote_on_their_own_comments(comment: Comment) -> None:
    with pytest.raises(Forbidden):
        vote_on_comment(comment_id=comment.pk, voter=comment.author, value=1, ip_hash="")


def test_votes_outside_plus_or_minus_one_are_refused(comment: Comment, reader: Commenter) -> None:
    with pytest.raises(InvalidInput):
        vote_on_comment(comment_id=comment.pk, voter=reader, value=2, ip_hash="")


def test_voting_on_a_missing_comment_is_refused(reader: Commenter) -> None:
    with pytest.raises(NotFound):
        vote_on_comment(comment_id=12345, voter=reader, value=1, ip_hash="")


def test_votes_by_reports_the_readers_own_votes(comment: Comment, reader: Commenter) -> None:
    vote_on_comment(comment_id=comment.pk, voter=reader, value=-1, ip_hash="")
    assert votes_by(reader, [comment.pk]) == {comment.pk: -1}
    assert votes_by(None, [comment.pk]) == {}


def test_wilson_lower_bound_prefers_more_evidence() -> None:
    assert wilson_lower_bound(0, 0) == 0
    assert wilson_lower_bound(50, 5) > wilson_lower_bound(5, 0) > wilson_lower_bound(1, 0)
