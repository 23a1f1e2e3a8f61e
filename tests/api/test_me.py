"""`/api/v1/me/…`: the reader's profile, comments, subscriptions and notices, by their token."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from tests.conftest import ApiClient

from rejoinder.accounts.models import Account, ReaderSession
from rejoinder.accounts.sessions import open_session
from rejoinder.comments.identity import ACCOUNT_KEY_PREFIX
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import post_comment
from rejoinder.notices.models import Notice
from rejoinder.pages.models import Page, Site
from rejoinder.subscriptions.models import Subscription, SubscriptionKind
from rejoinder.web.links import comment_link


@pytest.fixture
def account(site: Site) -> Account:
    commenter = Commenter.objects.create(
        reader_key=ACCOUNT_KEY_PREFIX + secrets.token_urlsafe(24), display_name="Ana"
    )
    return Account.objects.create(
        site=site, commenter=commenter, display_name="Ana", roles=["subscriber"]
    )


@pytest.fixture
def me(api: ApiClient, account: Account) -> ApiClient:
    api.token = open_session(account, provider="sso")
    return api


def test_the_profile_and_a_new_name(me: ApiClient, account: Account, page: Page) -> None:
    mine = post_comment(page=page, author=account.commenter, name="Ana", body="Mine.")
    got = me.get("/me/profile")
    assert got.status_code == 200
    assert got.json() == {
        "signed_in": True,
        "name": "Ana",
        "avatar": "",
        "profile": "",
        "roles": ["subscriber"],
        "unread_notices": 0,
    }
    changed = me.patch("/me/profile", {"name": "Ana Lima"})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Ana Lima"
    assert Comment.objects.get(pk=mine.pk).author_name == "Ana Lima"
    refused = me.patch("/me/profile", {"name": ""})
    assert refused.status_code == 422
    assert refused.json()["field"] == "name"
    assert me.patch("/me/profile", {"name": 5}).status_code == 422


def test_a_guest_may_not_change_a_profile(api: ApiClient, page: Page) -> None:
    api.post_comment(page.uri, name="Guest")
    assert api.get("/me/profile").json()["signed_in"] is False
    assert api.get("/me/profile").json()["name"] == "Guest"
    refused = api.patch("/me/profile", {"name": "Other"})
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"


def test_my_comments_with_their_status(me: ApiClient, account: Account, page: Page) -> None:
    shown = post_comment(page=page, author=account.commenter, name="Ana", body="Shown.")
    held = post_comment(page=page, author=account.commenter, name="Ana", body="Held.")
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.PENDING)
    body = me.get("/me/comments").json()
    assert [(c["id"], c["status"]) for c in body["items"]] == [
        (held.pk, "pending"),
        (shown.pk, "published"),
    ]
    assert body["items"][1]["link"] == comment_link(shown)
    assert body["items"][0]["link"] is None
    assert body["next_page"] is None
    assert me.get("/me/comments?page=0").status_code == 422


def test_subscriptions_listed_and_ended(me: ApiClient, account: Account, page: Page) -> None:
    mine = Subscription.objects.create(
        page=page,
        email="ana@example.org",
        kind=SubscriptionKind.REPLIES,
        reader_key=account.commenter.reader_key,
    )
    theirs = Subscription.objects.create(
        page=page, email="bo@example.org", kind=SubscriptionKind.PAGE, reader_key="else"
    )
    items = me.get("/me/subscriptions").json()["items"]
    assert [(s["id"], s["kind"], s["confirmed"]) for s in items] == [(mine.pk, "replies", False)]
    assert me.delete(f"/me/subscriptions/{theirs.pk}").status_code == 404
    assert me.delete(f"/me/subscriptions/{mine.pk}").status_code == 204
    assert me.get("/me/subscriptions").json()["items"] == []


def test_notices_and_marking_them_read(
    me: ApiClient,
    account: Account,
    page: Page,
    make_reader: Callable[[], Commenter],
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = post_comment(page=page, author=account.commenter, name="Ana", body="Mine.")
    bo = make_reader()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_comment(page=page, author=bo, name="Bo", body="Yes.", parent_id=mine.pk)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_comment(page=page, author=bo, name="Bo", body="@Ana and more.")
    body = me.get("/me/notices").json()
    assert body["unread"] == 2
    assert [(n["kind"], n["comment_id"], n["read"]) for n in body["items"]] == [
        ("mention", second.pk, False),
        ("reply", first.pk, False),
    ]
    assert body["items"][1]["link"] == comment_link(first)
    older = Notice.objects.get(comment=first).pk
    marked = me.post("/me/notices/read", {"up_to": older})
    assert marked.json() == {"marked": 1, "unread": 1}
    assert me.post("/me/notices/read", {}).json() == {"marked": 1, "unread": 0}
    assert me.get("/me/profile").json()["unread_notices"] == 0


def test_signing_out_everywhere_leaves_the_token_nothing(me: ApiClient, account: Account) -> None:
    token = me.token
    ended = me.post("/sso/sign-out", {"everywhere": True})
    assert ended.status_code == 200
    assert not ReaderSession.objects.filter(revoked_at__isnull=True).exists()
    me.token = token
    assert me.get("/me/profile").json()["signed_in"] is False
