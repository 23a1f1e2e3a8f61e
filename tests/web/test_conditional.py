"""Article pages and the box's fragments revalidate: 304 while nothing the reader sees changed.

Browsers send back the ETag they were given (If-None-Match, weak after compression); the
answer is 304 with no body while the page's version, the reader, their CSRF cookie, the
site's settings and the times shown are unchanged, and the page again otherwise.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import Article, Site
from rejoinder.pages.publishing import save_article

GZIP = {"Accept-Encoding": "gzip"}
# A time on a whole UTC day, so that the steps the ETag counts in start there.
DAY = datetime(2027, 1, 14, tzinfo=UTC)


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="budget", headline="Budget passes", body="Text.", author_name="Ed")
    )


def _urls(article: Article) -> dict[str, str]:
    page_id = article.page.pk
    return {
        "article page": article.get_absolute_url(),
        "box": f"/discussion/{page_id}/box",
        "thread": f"/discussion/{page_id}/thread?sort=oldest",
    }


HTML = ["article page", "box", "thread"]


def _reader(name: str) -> tuple[str, Commenter]:
    """Return a reader's cookie value and their commenter (known by a comment elsewhere)."""
    token = issue_reader_token()
    key = reader_key_from_token(token)
    assert key
    author = commenter_for(key)
    elsewhere = ensure_page(Site.objects.get(), "/news/elsewhere/")
    post_comment(page=elsewhere, author=author, name=name, body="Elsewhere.")
    author.refresh_from_db()
    return token, author


def _as_reader(client: Client, token: str) -> Client:
    client.cookies[settings.REJOINDER["READER_COOKIE"]] = token
    return client


@pytest.mark.parametrize("which", HTML)
def test_a_second_get_with_the_etag_answers_304_with_no_body(
    which: str, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    post_comment(page=article.page, author=make_reader(), name="Ana", body="A fair point.")
    url = _urls(article)[which]
    client = Client()
    # A fresh comment's "seconds ago" moves with the minute, and the ETag with it: ask both
    # times within one minute of the clock.
    while timezone.now().second >= 50:
        time.sleep(0.5)
    first = client.get(url, headers=GZIP)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith(f'W/"page-{article.page.pk}-')  # compressed, so weak
    assert set(first["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert "Cookie" in first["Vary"]
    again = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"].removeprefix("W/") == etag.removeprefix("W/")
    assert set(again["Cache-Control"].split(", ")) == {"private", "no-cache"}


@pytest.mark.parametrize("which", HTML)
def test_after_a_new_comment_the_same_etag_gets_the_page_again(
    which: str, article: Article, make_reader: Callable[[], Commenter]
) -> None:
    url = _urls(article)[which]
    client = Client()
    etag = client.get(url)["ETag"]
    post_comment(page=article.page, author=make_reader(), name="Bo", body="Something *new*.")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "<em>new</em>" in again.content.decode()
    assert again["ETag"] != etag


@pytest.mark.parametrize("which", HTML)
def test_two_readers_never_get_each_others_304(which: str, article: Article) -> None:
    """One browser, one CSRF cookie, two readers in turn (a shared computer, a cleared cookie)."""
    url = _urls(article)[which]
    ana_token, ana = _reader("Ana")
    bo_token, _bo = _reader("Bo")
    comment = post_comment(page=article.page, author=ana, name="Ana", body="Mine.")
    client = _as_reader(Client(), ana_token)
    as_ana = client.get(url)
    assert f'href="/discussion/comments/{comment.pk}/edit"' in as_ana.content.decode()
    etag = as_ana["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    as_bo = _as_reader(client, bo_token).get(url, headers={"If-None-Match": etag})
    assert as_bo.status_code == 200
    assert f"/discussion/comments/{comment.pk}/edit" not in as_bo.content.decode()
    del client.cookies[settings.REJOINDER["READER_COOKIE"]]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_a_readers_new_name_given_elsewhere_is_shown_again(article: Article) -> None:
    """The comment form offers the name the reader last used, on any page."""
    token, reader = _reader("Ana")
    client = _as_reader(Client(), token)
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    elsewhere = ensure_page(Site.objects.get(), "/news/elsewhere/")
    post_comment(page=elsewhere, author=reader, name="Ana B.", body="Again.")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert 'value="Ana B."' in again.content.decode()


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_a_new_csrf_cookie_gets_the_page_again_with_forms_that_post(article: Article) -> None:
    """Signing in elsewhere on the site rotates the CSRF cookie; a kept page's forms would fail."""
    browser = Client(enforce_csrf_checks=True)
    url = article.get_absolute_url()
    etag = browser.get(url)["ETag"]
    browser.cookies["csrftoken"] = "r" * 32  # what a rotation leaves: a new secret
    again = browser.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    posted = browser.post(
        f"/discussion/{article.page.pk}/comments",
        {"csrfmiddlewaretoken": _token(again.content.decode()), "name": "Ana", "body": "Hello"},
    )
    assert posted.status_code == 302
    assert Comment.objects.filter(body="Hello").exists()


def test_a_browser_without_a_csrf_cookie_never_gets_304(article: Article) -> None:
    browser = Client(enforce_csrf_checks=True)
    url = article.get_absolute_url()
    etag = browser.get(url)["ETag"]
    browser.cookies.clear()
    again = browser.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "csrftoken" in again.cookies


def test_a_change_to_the_sites_settings_gets_the_page_again(
    article: Article, make_reader: Callable[[], Commenter]
) -> None:
    post_comment(page=article.page, author=make_reader(), name="Ana", body="A fair point.")
    client = Client()
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    Site.objects.update(date_format="Y-m-d")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200


def _etag_at(monkeypatch: Any, client: Client, url: str, when: datetime) -> str:
    monkeypatch.setattr(timezone, "now", lambda: when)
    return str(client.get(url)["ETag"])


def test_the_etag_changes_when_the_times_shown_may(
    article: Article, make_reader: Callable[[], Commenter], monkeypatch: Any
) -> None:
    """ "2 minutes ago" moves every minute; "1 week, 3 days ago" once a day."""
    comment = post_comment(page=article.page, author=make_reader(), name="Ana", body="Hi.")
    client = Client()
    url = article.get_absolute_url()
    Comment.objects.filter(pk=comment.pk).update(created_at=DAY)
    at = [_etag_at(monkeypatch, client, url, DAY + timedelta(seconds=s)) for s in (10, 50, 70)]
    assert at[0] == at[1] != at[2]
    Comment.objects.filter(pk=comment.pk).update(created_at=DAY - timedelta(days=10))
    article.page.bump()  # a new version, so the newest comment's time is read again
    later = [_etag_at(monkeypatch, client, url, DAY + timedelta(hours=h)) for h in (1, 20, 25)]
    assert later[0] == later[1] != later[2]


def test_a_comment_inside_a_long_edit_window_moves_the_etag_every_minute(
    article: Article, make_reader: Callable[[], Commenter], monkeypatch: Any
) -> None:
    """Its author's Edit link goes when the window ends, which naturaltime's hours would miss."""
    comment = post_comment(page=article.page, author=make_reader(), name="Ana", body="Hi.")
    Comment.objects.filter(pk=comment.pk).update(created_at=DAY - timedelta(hours=2))
    client = Client()
    url = article.get_absolute_url()
    hourly = [_etag_at(monkeypatch, client, url, DAY + timedelta(minutes=m)) for m in (10, 40)]
    assert hourly[0] == hourly[1]
    Site.objects.update(edit_window_minutes=180)
    in_window = [_etag_at(monkeypatch, client, url, DAY + timedelta(minutes=m)) for m in (10, 40)]
    assert in_window[0] != in_window[1]


def test_a_bad_cursor_is_refused_without_an_etag(article: Article) -> None:
    response = Client().get(f"/discussion/{article.page.pk}/thread?after=nonsense")
    assert response.status_code == 400
    assert not response.has_header("ETag")


def test_an_unpublished_article_is_not_found_and_has_no_etag(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(is_published=False)
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 404
    assert not response.has_header("ETag")
