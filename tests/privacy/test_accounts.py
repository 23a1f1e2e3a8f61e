"""A signed-in reader's account and their notices in their data: downloaded (the account with
its sign-in methods and sessions) and erased, whether the reader asks or the publisher erases
the address."""

from __future__ import annotations

import json

import pytest

from rejoinder.accounts.models import Account, Identity, ReaderSession
from rejoinder.accounts.sessions import reader_key_for_token
from rejoinder.accounts.signing_in import Profile, SignedIn, sign_in
from rejoinder.comments.events import CommentPublished
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.notices.models import Notice
from rejoinder.notices.recording import record_notices
from rejoinder.pages.models import Page
from rejoinder.privacy.collection import scope_of_address, scope_of_reader
from rejoinder.privacy.download import download_reader_data
from rejoinder.privacy.erasure import erase_reader_data
from rejoinder.privacy.models import CommentsChoice

EMAIL = "tess@news.example.org"


@pytest.fixture
def signed_in(page: Page) -> SignedIn:
    done = sign_in(
        site=page.site,
        provider="sso",
        subject="user-42",
        profile=Profile(name="Tess Editor", email=EMAIL, email_verified=True, roles=("staff",)),
    )
    post_comment(
        page=page,
        author=done.account.commenter,
        name="Tess Editor",
        body="Signed in and writing.",
        ip_hash="tess-ip",
    )
    return done


def _commenter(done: SignedIn) -> Commenter:
    return Commenter.objects.get(pk=done.account.commenter_id)


def test_the_download_holds_the_account_its_sign_in_methods_and_sessions(
    signed_in: SignedIn,
) -> None:
    data = json.loads("".join(download_reader_data(scope_of_reader(_commenter(signed_in)))))
    [account] = data["accounts"]
    assert account["name"] == "Tess Editor"
    assert account["email"] == EMAIL
    assert account["email_verified"] is True
    assert account["roles"] == ["staff"]
    assert [m["provider"] for m in account["sign_in_methods"]] == ["sso"]
    assert account["sign_in_methods"][0]["subject"] == "user-42"
    assert len(account["sessions"]) == 1
    assert account["sessions"][0]["revoked"] is None


@pytest.mark.parametrize("by", ["reader", "address"])
def test_erasing_deletes_the_account_and_its_session_stops_working(
    signed_in: SignedIn, by: str
) -> None:
    assert reader_key_for_token(signed_in.token) is not None
    scope = scope_of_reader(_commenter(signed_in)) if by == "reader" else scope_of_address(EMAIL)
    log = erase_reader_data(scope=scope, comments=CommentsChoice.KEEP)
    assert log.counts["accounts"] == 1
    assert not Account.objects.exists()
    assert not Identity.objects.exists()
    assert not ReaderSession.objects.exists()
    assert reader_key_for_token(signed_in.token) is None
    assert not Commenter.objects.filter(display_name="Tess Editor").exists()


def test_the_readers_notices_are_downloaded_and_erased(page: Page, signed_in: SignedIn) -> None:
    tess = _commenter(signed_in)
    mine = Comment.objects.get(author=tess)
    other = Commenter.objects.create(reader_key="other-reader", display_name="Bo")
    reply = post_comment(
        page=page, author=other, name="Bo", body="An answer", parent_id=mine.pk, ip_hash="bo"
    )
    record_notices(CommentPublished(comment_id=reply.pk, page_id=page.pk))
    data = json.loads("".join(download_reader_data(scope_of_reader(tess))))
    assert [(n["comment"], n["kind"]) for n in data["notices"]] == [(reply.pk, "reply")]

    log = erase_reader_data(scope=scope_of_reader(tess), comments=CommentsChoice.KEEP)
    assert log.counts["notices"] == 1
    assert not Notice.objects.exists()
