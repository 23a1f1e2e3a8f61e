"""A guest's history joins the account on first sign-in in that browser, counted once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.accounts.tokens import enable_hs256, mint

from rejoinder.accounts.sso import sign_in_with_sso
from rejoinder.comments.models import Comment, Commenter, Vote
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.moderation.models import Ban
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.models import Rating
from rejoinder.ratings.rating import rate_page
from rejoinder.subscriptions.models import Subscription


def _sign_in(site: Site, guest: Commenter | None = None, **claims: object) -> Commenter:
    signed_in = sign_in_with_sso(
        site=site,
        token=mint(site, **claims),
        guest_key=guest.reader_key if guest else None,
        ip_hash="",
    )
    return signed_in.account.commenter


@pytest.fixture
def hs_site(site: Site) -> Site:
    enable_hs256(site)
    return site


def test_the_guests_comments_votes_ratings_and_subscriptions_move(
    hs_site: Site, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    guest, other = make_reader(), make_reader()
    mine = post_comment(page=page, author=guest, name="Guest", body="Mine.")
    theirs = post_comment(page=page, author=other, name="Other", body="Theirs.")
    vote_on_comment(comment_id=theirs.pk, voter=guest, value=1, ip_hash="")
    rate_page(page=page, rater=guest, stars=4, ip_hash="")
    Subscription.objects.create(
        page=page, email="g@example.org", kind="page", reader_key=guest.reader_key
    )
    Ban.objects.create(site=hs_site, commenter=guest)

    account = _sign_in(hs_site, guest)

    assert Comment.objects.get(pk=mine.pk).author_id == account.pk
    assert Vote.objects.get().voter_id == account.pk
    assert Rating.objects.get().rater_id == account.pk
    assert Subscription.objects.get().reader_key == account.reader_key
    assert Ban.objects.get().commenter_id == account.pk
    theirs.refresh_from_db()
    assert theirs.upvotes == 1
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (1, 4)


def test_a_vote_and_rating_both_cast_are_kept_once(
    hs_site: Site, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    account = _sign_in(hs_site)
    guest, other = make_reader(), make_reader()
    theirs = post_comment(page=page, author=other, name="Other", body="Theirs.")
    vote_on_comment(comment_id=theirs.pk, voter=account, value=1, ip_hash="")
    vote_on_comment(comment_id=theirs.pk, voter=guest, value=-1, ip_hash="")
    rate_page(page=page, rater=account, stars=5, ip_hash="")
    rate_page(page=page, rater=guest, stars=1, ip_hash="")

    _sign_in(hs_site, guest)

    theirs.refresh_from_db()
    assert (theirs.upvotes, theirs.downvotes) == (1, 0)
    assert list(Vote.objects.values_list("voter_id", "value")) == [(account.pk, 1)]
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (1, 5)
    assert list(Rating.objects.values_list("rater_id", "stars")) == [(account.pk, 5)]


def test_a_vote_on_what_becomes_ones_own_comment_is_withdrawn(
    hs_site: Site, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    account = _sign_in(hs_site)
    guest = make_reader()
    guests = post_comment(page=page, author=guest, name="Guest", body="As a guest.")
    vote_on_comment(comment_id=guests.pk, voter=account, value=1, ip_hash="")

    _sign_in(hs_site, guest)

    guests.refresh_from_db()
    assert guests.author_id == account.pk
    assert (guests.upvotes, guests.score) == (0, 0.0)
    assert not Vote.objects.exists()


def test_another_accounts_commenter_is_never_merged(hs_site: Site, page: Page) -> None:
    first = _sign_in(hs_site, sub="first")
    post_comment(page=page, author=first, name="x", body="First's.")
    second = _sign_in(hs_site, first, sub="second", email="b@example.org")
    assert Comment.objects.get().author_id == first.pk != second.pk
