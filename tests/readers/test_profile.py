"""The reader's profile page: their name (shown on their comments), every comment they wrote
with its status, their subscriptions, and signing out everywhere."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.test import Client
from django.utils.html import escape

from rejoinder.accounts.models import Account, ReaderSession
from rejoinder.accounts.profile import COMMENTS_PER_PAGE
from rejoinder.accounts.sessions import open_session, reader_key_for_token
from rejoinder.comments.identity import issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article, Page
from rejoinder.subscriptions.models import Subscription, SubscriptionKind
from rejoinder.web.links import comment_link


def _comment(page: Page, author: Commenter, body: str, **fields: object) -> Comment:
    comment = post_comment(page=page, author=author, name=author.display_name, body=body)
    if fields:
        Comment.objects.filter(pk=comment.pk).update(**fields)
        comment.refresh_from_db()
    return comment


def test_the_profile_lists_my_comments_with_the_status_i_may_know(
    article: Article, account: Account, signed_in: Client
) -> None:
    page = article.page
    shown = _comment(page, account.commenter, "Shown to all.")
    _comment(page, account.commenter, "Held for a moderator.", status=CommentStatus.PENDING)
    _comment(page, account.commenter, "Taken down.", status=CommentStatus.REMOVED)
    _comment(page, account.commenter, "Judged spam.", status=CommentStatus.SPAM)
    _comment(page, account.commenter, "Shadowed.", status=CommentStatus.PENDING, shadowed=True)
    html = signed_in.get("/me/").content.decode()
    statuses = [
        line.split(">", 1)[1].split("<", 1)[0] for line in html.split('class="rj-own-status')[1:]
    ]
    # Newest first; a shadowed comment looks published to its author, spam reads removed.
    assert statuses == ["Published", "Removed", "Removed", "Awaiting moderation", "Published"]
    assert f'href="{escape(comment_link(shown))}"' in html
    assert 'name="name" value="Ana"' in html
    assert "Sign out everywhere" in html


def test_my_comments_are_paged(page: Page, account: Account, signed_in: Client) -> None:
    for i in range(COMMENTS_PER_PAGE + 1):
        Comment.objects.create(
            page=page, author=account.commenter, author_name="Ana", body=f"n{i}", body_html=""
        )
    first = signed_in.get("/me/").content.decode()
    assert first.count('class="rj-own-item"') == COMMENTS_PER_PAGE
    assert 'href="?page=2#comments"' in first
    second = signed_in.get("/me/?page=2").content.decode()
    assert second.count('class="rj-own-item"') == 1
    assert ">n0<" in second


def test_a_new_name_shows_on_my_comments_and_changes_the_pages(
    article: Article, account: Account, signed_in: Client, make_reader: Callable[[], Commenter]
) -> None:
    page = article.page
    mine = _comment(page, account.commenter, "Mine.")
    other = make_reader()
    reply = post_comment(page=page, author=other, name="Bo", body="Reply.", parent_id=mine.pk)
    Comment.objects.filter(pk=reply.pk).update(reply_to=mine, reply_to_name="Ana")
    before = Page.objects.get(pk=page.pk).version
    etag = Client().get(article.get_absolute_url())["ETag"]

    response = signed_in.post("/me/name", {"name": "  Ana   Lima "})

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.display_name == account.commenter.display_name == "Ana Lima"
    assert Comment.objects.get(pk=mine.pk).author_name == "Ana Lima"
    assert Comment.objects.get(pk=reply.pk).reply_to_name == "Ana Lima"
    assert Page.objects.get(pk=page.pk).version > before
    anyone = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert anyone.status_code == 200
    assert "Ana Lima" in anyone.content.decode()


def test_a_refused_name_keeps_the_text_and_says_why(account: Account, signed_in: Client) -> None:
    response = signed_in.post("/me/name", {"name": "Ana <b>"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Ana &lt;b&gt;"' in html
    assert "Names cannot contain the characters &lt; or &gt;." in html
    assert 'aria-invalid="true"' in html
    account.refresh_from_db()
    assert account.display_name == "Ana"


def test_a_guest_sees_an_explanation_and_their_own_comments(page: Page) -> None:
    token = issue_reader_token()
    key = reader_key_from_token(token)
    guest = Commenter.objects.create(reader_key=key, display_name="Guest")
    _comment(page, guest, "A guest's view.")
    client = Client()
    client.cookies[settings.REJOINDER["READER_COOKIE"]] = token
    html = client.get("/me/").content.decode()
    assert "You are not signed in." in html
    assert "A guest&#x27;s view." in html
    assert 'action="/me/name"' not in html
    assert client.post("/me/name", {"name": "New"}).status_code == 403


def test_signing_out_everywhere_ends_every_session(account: Account, signed_in: Client) -> None:
    other_browser = open_session(account, provider="sso")
    response = signed_in.post("/me/sign-out-everywhere")
    assert response.status_code == 302
    assert response.cookies[settings.REJOINDER["READER_COOKIE"]].value == ""
    assert reader_key_for_token(other_browser) is None
    assert not ReaderSession.objects.filter(revoked_at__isnull=True).exists()
    assert "You are signed out everywhere." in Client().get(response["Location"]).content.decode()


def test_my_subscriptions_in_one_place(page: Page, account: Account, signed_in: Client) -> None:
    key = account.commenter.reader_key
    mine = Subscription.objects.create(
        page=page, email="ana@example.org", kind=SubscriptionKind.REPLIES, reader_key=key
    )
    theirs = Subscription.objects.create(
        page=page, email="bo@example.org", kind=SubscriptionKind.PAGE, reader_key="someone-else"
    )
    html = signed_in.get("/me/").content.decode()
    assert "ana@example.org" in html
    assert "bo@example.org" not in html
    assert signed_in.post(f"/me/subscriptions/{theirs.pk}/end").status_code == 404
    response = signed_in.post(f"/me/subscriptions/{mine.pk}/end")
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.unsubscribed_at is not None
    assert theirs.unsubscribed_at is None
    assert "ana@example.org" not in signed_in.get("/me/").content.decode()
