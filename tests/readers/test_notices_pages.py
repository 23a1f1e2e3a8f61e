"""The bell in the box and the notices page: the unread count, the list linking to the right
page of the thread, and marking all read, without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils.html import escape

from rejoinder.accounts.models import Account
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.notices.models import Notice
from rejoinder.pages.models import Article
from rejoinder.web.links import comment_link


def _reply_to(
    capture: Any, article: Article, parent: Comment, author: Commenter, body: str
) -> Comment:
    with capture(execute=True):  # the after-commit listener, as after a real commit
        return post_comment(
            page=article.page, author=author, name="Bo", body=body, parent_id=parent.pk
        )


def test_the_bell_counts_unread_notices_and_the_page_lists_them(
    article: Article,
    account: Account,
    signed_in: Client,
    make_reader: Callable[[], Commenter],
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = post_comment(page=article.page, author=account.commenter, name="Ana", body="Mine.")
    box = signed_in.get(article.get_absolute_url())
    assert "Notices, 0 unread" in box.content.decode()
    assert 'href="/me/"' in box.content.decode()  # the profile, for a signed-in reader

    reply = _reply_to(
        django_capture_on_commit_callbacks, article, mine, make_reader(), "@Ana indeed."
    )

    again = signed_in.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=box["ETag"])
    assert again.status_code == 200  # the count is part of what the ETag covers
    assert "Notices, 1 unread" in again.content.decode()
    listed = signed_in.get("/me/notices").content.decode()
    assert "Bo replied to you on “Bridge”" in listed
    assert f'href="{escape(comment_link(reply))}"' in listed
    assert "Mark all read" in listed

    response = signed_in.post("/me/notices/read", {"next": article.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert Notice.objects.get().read_at is not None
    assert "Notices, 0 unread" in signed_in.get(article.get_absolute_url()).content.decode()
    assert "Mark all read" not in signed_in.get("/me/notices").content.decode()


def test_the_script_gets_the_list_alone(
    article: Article,
    account: Account,
    signed_in: Client,
    make_reader: Callable[[], Commenter],
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = post_comment(page=article.page, author=account.commenter, name="Ana", body="Mine.")
    _reply_to(django_capture_on_commit_callbacks, article, mine, make_reader(), "Yes.")
    fragment = signed_in.get("/me/notices", headers={"X-Rejoinder-Fragment": "1"})
    html = fragment.content.decode()
    assert html.startswith('<div class="rj-notices">')
    assert "<html" not in html
    read = signed_in.post("/me/notices/read", headers={"X-Rejoinder-Fragment": "1"})
    assert read.status_code == 204
    assert Notice.objects.filter(read_at__isnull=True).count() == 0


def test_mark_read_goes_back_only_to_our_own_pages(account: Account, signed_in: Client) -> None:
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = signed_in.post("/me/notices/read", {"next": elsewhere})
        assert response["Location"] == "/me/notices"


def test_a_reader_we_never_met_has_no_bell_but_a_notices_page(article: Article) -> None:
    client = Client()
    assert "rj-bell" not in client.get(article.get_absolute_url()).content.decode()
    assert "Write a comment, or sign in" in client.get("/me/notices").content.decode()
