"""One network address counts a bounded number of votes on a comment each day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from tests.concurrency import at_once

from rejoinder.comments.models import Comment, Commenter, DiscardedVotes, Vote
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.errors import Conflict, RateLimited
from rejoinder.pages.models import Page, Site

HOME = "home-address-hash"  # what request_identity.ip_hash gives for one client address


@pytest.fixture
def comment(page: Page, make_reader: Callable[[], Commenter]) -> Comment:
    return post_comment(page=page, author=make_reader(), name="Ana", body="Vote on me")


def _vote_from(
    comment: Comment, voter: Commenter, ip_hash: str = HOME, value: int = 1, **kw: Any
) -> Comment | Conflict:
    try:
        return vote_on_comment(
            comment_id=comment.pk, voter=voter, value=value, ip_hash=ip_hash, **kw
        )
    except Conflict as refused:
        return refused


def test_a_hundred_fresh_readers_from_one_address_add_at_most_the_sites_bound(
    comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    outcomes = [_vote_from(comment, make_reader()) for _ in range(100)]

    refusals = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refusals) == 95
    assert "not counted" in refusals[0].message
    assert "5" not in refusals[0].message  # the bound itself is not given away
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (5, 0)
    assert Vote.objects.filter(comment=comment).count() == 5
    assert DiscardedVotes.objects.get(comment=comment).count == 95


def test_readers_from_other_addresses_are_unaffected(
    comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    for _ in range(7):
        _vote_from(comment, make_reader())
    for n in range(10):
        assert not isinstance(_vote_from(comment, make_reader(), ip_hash=f"office-{n}"), Conflict)
    for _ in range(3):
        assert not isinstance(_vote_from(comment, make_reader(), ip_hash=""), Conflict)
    comment.refresh_from_db()
    assert comment.upvotes == 5 + 10 + 3


def test_the_bound_is_per_comment(
    page: Page, comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    other = post_comment(page=page, author=make_reader(), name="Bo", body="Me too")
    voters = [make_reader() for _ in range(5)]
    for voter in voters:
        _vote_from(comment, voter)
    for voter in voters:
        assert not isinstance(_vote_from(other, voter), Conflict)


def test_changing_a_vote_keeps_its_place_and_withdrawing_frees_it(
    comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    voters = [make_reader() for _ in range(5)]
    for voter in voters:
        _vote_from(comment, voter)
    late = make_reader()
    assert isinstance(_vote_from(comment, late), Conflict)

    changed = _vote_from(comment, voters[0], value=-1)
    assert isinstance(changed, Comment)
    assert (changed.upvotes, changed.downvotes) == (4, 1)
    assert isinstance(_vote_from(comment, late), Conflict)  # a changed vote is not a new one

    withdrawn = _vote_from(comment, voters[1], value=0)
    assert isinstance(withdrawn, Comment)
    assert withdrawn.upvotes == 3
    counted = _vote_from(comment, late)
    assert isinstance(counted, Comment)
    assert (counted.upvotes, counted.downvotes) == (4, 1)
    assert isinstance(_vote_from(comment, make_reader()), Conflict)
    assert sorted(Vote.objects.values_list("address_place", flat=True)) == [1, 2, 3, 4, 5]


def test_a_vote_changed_from_another_address_keeps_its_place(
    comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    voters = [make_reader() for _ in range(5)]
    for voter in voters:
        _vote_from(comment, voter)
    assert isinstance(_vote_from(comment, voters[0], ip_hash="mobile", value=-1), Comment)
    assert isinstance(_vote_from(comment, make_reader()), Conflict)
    assert not isinstance(_vote_from(comment, make_reader(), ip_hash="mobile"), Conflict)


def test_the_bound_is_the_sites_setting_and_zero_counts_every_vote(
    site: Site, comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    site.max_votes_per_address = 2
    site.save()
    outcomes = [_vote_from(comment, make_reader()) for _ in range(4)]
    assert [isinstance(o, Conflict) for o in outcomes] == [False, False, True, True]

    site.max_votes_per_address = 0
    site.save()
    for _ in range(10):
        assert not isinstance(_vote_from(comment, make_reader()), Conflict)
    comment.refresh_from_db()
    assert comment.upvotes == 12
    assert DiscardedVotes.objects.get(comment=comment).count == 2


def test_the_stored_address_is_a_keyed_hash_that_changes_with_the_day(
    comment: Comment, make_reader: Callable[[], Commenter]
) -> None:
    today = datetime(2026, 3, 20, 23, 59, tzinfo=UTC)
    tomorrow = today + timedelta(minutes=2)
    for _ in range(6):
        _vote_from(comment, make_reader(), now=today)
    assert Vote.objects.count() == 5
    # A new day has a new key: the address is not recognised, and its votes count again.
    assert isinstance(_vote_from(comment, make_reader(), now=tomorrow), Comment)

    addresses = list(Vote.objects.order_by("pk").values_list("address", flat=True))
    assert len(set(addresses[:5])) == 1
    assert addresses[5] != addresses[0]
    assert all(len(a) == 32 and HOME not in a for a in addresses)
    assert DiscardedVotes.objects.get().day == today.date()


def test_votes_are_rate_limited_per_reader_and_per_address_inside_the_domain(
    comment: Comment, make_reader: Callable[[], Commenter], settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_VOTE": "2/60", "RATE_VOTE_IP": "4/60"}
    reader = make_reader()
    _vote_from(comment, reader, ip_hash="a")
    _vote_from(comment, reader, ip_hash="a", value=-1)
    with pytest.raises(RateLimited):
        _vote_from(comment, reader, ip_hash="a", value=0)
    for _ in range(2):
        _vote_from(comment, make_reader(), ip_hash="a")
    with pytest.raises(RateLimited):
        _vote_from(comment, make_reader(), ip_hash="a")
    # The publisher's own tools (imports, the demo) are not limited.
    vote_on_comment(comment_id=comment.pk, voter=reader, value=0, ip_hash="a", limited=False)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_from_one_address_never_exceed_the_bound(
    site: Site, make_reader: Callable[[], Commenter]
) -> None:
    site.max_votes_per_address = 3
    site.save()
    page = Page.objects.create(site=site, uri="/race/")
    comment = post_comment(page=page, author=make_reader(), name="Ana", body="Race me")
    voters = [make_reader() for _ in range(12)]

    # Unlimited: the rate counters' row locks would queue these votes by themselves.
    outcomes = at_once([partial(_vote_from, comment, voter, limited=False) for voter in voters])

    assert sum(isinstance(o, Comment) for o in outcomes) == 3, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 9, outcomes
    comment.refresh_from_db()
    assert comment.upvotes == 3
    assert DiscardedVotes.objects.get(comment=comment).count == 9
