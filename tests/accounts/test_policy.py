"""Each site's policy on guests, enforced where comments, votes and ratings are written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.accounts.tokens import enable_hs256, mint

from rejoinder.accounts.sso import sign_in_with_sso
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.errors import Forbidden, InvalidInput
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.rating import rate_page


def _account(site: Site) -> Commenter:
    enable_hs256(site)
    token = mint(site)
    return sign_in_with_sso(site=site, token=token, guest_key=None, ip_hash="").account.commenter


def test_guests_comment_by_default(page: Page, reader: Commenter) -> None:
    assert post_comment(page=page, author=reader, name="Guest", body="Hello.").pk


def test_guests_must_give_an_email_when_the_site_asks(
    site: Site, page: Page, reader: Commenter
) -> None:
    site.guest_comments = "email"
    site.save()
    with pytest.raises(InvalidInput) as caught:
        post_comment(page=page, author=reader, name="Guest", body="Hello.")
    assert caught.value.field == "email"
    assert not Comment.objects.exists()
    assert post_comment(page=page, author=reader, name="G", body="Hi.", email="g@example.org")


def test_sign_in_required_to_comment(site: Site, page: Page, reader: Commenter) -> None:
    account = _account(site)
    site.guest_comments = "sign_in"
    site.save()
    page.site = site
    with pytest.raises(Forbidden) as caught:
        post_comment(page=page, author=reader, name="Guest", body="Hello.")
    assert caught.value.field == "sign_in"
    comment = post_comment(page=page, author=account, name="Someone else", body="Signed in.")
    assert comment.author_name == "Ana Lima"  # the account's name, not the form's


def test_sign_in_required_to_vote_and_rate(
    site: Site, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    author, guest = make_reader(), make_reader()
    account = _account(site)
    comment = post_comment(page=page, author=author, name="Author", body="Vote on me.")
    site.sign_in_to_vote = True
    site.save()
    page.site = site
    with pytest.raises(Forbidden):
        vote_on_comment(comment_id=comment.pk, voter=guest, value=1, ip_hash="")
    with pytest.raises(Forbidden):
        rate_page(page=page, rater=guest, stars=3, ip_hash="")
    assert vote_on_comment(comment_id=comment.pk, voter=account, value=1, ip_hash="").upvotes == 1
    assert rate_page(page=page, rater=account, stars=3, ip_hash="").rating_count == 1
