"""Replies are paged under each comment, so no thread shape makes the article page heavy.

A chain of 2,000 replies (each answering the one before, clamped at the site's maximum
depth) and a comment with 2,000 direct replies: the page stays under 300 KB and takes as
many queries as a small thread; "N more replies" links page through the rest, without
JavaScript (a page of their own) and for the box's script (the list to insert).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

MAX_PAGE_BYTES = 300 * 1024
BODY = "A reply of a sentence or two, the way most replies are written here."


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(
            slug="budget",
            headline="Budget passes",
            body="<p>" + "The council voted on the budget. " * 60 + "</p>",
            author_name="Ed",
        )
    )


def _chain(article: Article, readers: list[Commenter], n: int) -> list[Comment]:
    """A top-level comment and `n` replies, each answering the one before."""
    comments = [post_comment(page=article.page, author=readers[0], name="Root", body="Start.")]
    for i in range(n):
        comments.append(
            post_comment(
                page=article.page,
                author=readers[(i + 1) % len(readers)],
                name=f"Reader {i % 7}",
                body=BODY,
                parent_id=comments[-1].pk,
                moderated=False,
            )
        )
    return comments


def _wide(article: Article, readers: list[Commenter], n: int) -> list[Comment]:
    """A top-level comment and `n` direct replies to it."""
    root = post_comment(page=article.page, author=readers[0], name="Root", body="Start.")
    return [root] + [
        post_comment(
            page=article.page,
            author=readers[(i + 1) % len(readers)],
            name=f"Reader {i % 7}",
            body=BODY,
            parent_id=root.pk,
            moderated=False,
        )
        for i in range(n)
    ]


@pytest.fixture
def readers(make_reader: Callable[[], Commenter]) -> list[Commenter]:
    return [make_reader() for _ in range(8)]


def _article_page(article: Article) -> tuple[bytes, int]:
    cache.clear()  # uncached: the thread is rendered for this request
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content, len(queries)


def _shown(html: bytes) -> list[int]:
    return [int(i) for i in re.findall(rb'data-rj-comment="(\d+)"', html)]


def _more_links(html: bytes) -> list[tuple[str, int]]:
    return [
        (href.decode().replace("&amp;", "&"), int(n))
        for href, n in re.findall(rb'href="([^"]+)" data-rj-replies="[^"]+">(\d+) more repl', html)
    ]


@pytest.mark.parametrize("shape", [_chain, _wide])
def test_a_2000_reply_thread_keeps_the_article_page_small_and_its_queries_few(
    article: Article, readers: list[Commenter], shape: Callable[..., list[Comment]]
) -> None:
    small = shape(article, readers, 20)
    _, small_queries = _article_page(article)
    Comment.objects.filter(pk__in=[c.pk for c in small]).delete()

    thread = shape(article, readers, 2000)
    html, queries = _article_page(article)
    assert len(html) < MAX_PAGE_BYTES, len(html)
    assert queries == small_queries  # the same whatever the thread's size
    shown = _shown(html)
    assert shown[0] == thread[0].pk
    assert 1 < len(shown) <= 7  # the comment and its first replies
    ((_link, count),) = _more_links(html)
    assert count == 2000 - (len(shown) - 1)


def test_more_replies_pages_through_every_reply_once_without_javascript(
    article: Article, readers: list[Commenter]
) -> None:
    thread = _wide(article, readers, 45)
    reader = Client()
    html, _ = _article_page(article)
    seen = _shown(html)[1:]
    ((link, count),) = _more_links(html)
    assert count == 45 - len(seen)
    pages = 0
    while link:
        page = reader.get(link)
        assert page.status_code == 200
        body = page.content
        assert b"Replies to Root" in body
        assert f'href="{thread[0].page.article.get_absolute_url()}'.encode() in body  # back
        batch = [i for i in _shown(body) if i != thread[0].pk]
        assert len(batch) <= 10
        seen += batch
        more = _more_links(body)
        assert len(more) <= 1
        if more:
            assert more[0][1] == 45 - len(seen)
        link = more[0][0] if more else ""
        pages += 1
    assert seen == [c.pk for c in thread[1:]]
    assert pages == 5


def test_the_box_script_gets_the_next_replies_as_a_list_to_insert(
    article: Article, readers: list[Commenter]
) -> None:
    thread = _wide(article, readers, 30)
    html, _ = _article_page(article)
    ((link, _count),) = _more_links(html)
    fragment = Client().get(link, headers={"X-Rejoinder-Fragment": "1"})
    assert fragment.status_code == 200
    assert "X-Rejoinder-Fragment" in fragment["Vary"]
    body = fragment.content.decode()
    assert body.startswith('<ol class="rj-replies">')
    assert "<html" not in body
    assert _shown(fragment.content) == [c.pk for c in thread[4:14]]
    ((next_link, left),) = _more_links(fragment.content)
    assert left == 30 - 13
    assert "after=" in next_link


def test_a_deep_reply_links_to_the_replies_page_that_shows_it(
    article: Article, readers: list[Commenter]
) -> None:
    thread = _chain(article, readers, 300)
    target = thread[250]
    permalink = Client().get(f"/c/{target.pk}/")
    assert permalink.status_code == 302
    location = permalink["Location"]
    assert location.startswith(f"/discussion/comments/{target.parent_id}/replies?after=")
    assert location.endswith(f"#comment-{target.pk}")
    page = Client().get(location.split("#")[0])
    assert _shown(page.content)[0] == target.pk  # the first of its batch, under its parent
    # A reply the article page shows still links there.
    assert Client().get(f"/c/{thread[1].pk}/")["Location"].startswith(article.get_absolute_url())


def test_a_reply_posted_without_javascript_is_shown_where_the_redirect_leads(
    article: Article, readers: list[Commenter]
) -> None:
    thread = _wide(article, readers, 12)
    browser = Client()
    html = browser.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    posted = browser.post(
        f"/discussion/{article.page.pk}/comments",
        {"csrfmiddlewaretoken": token, "name": "Late", "body": "Me too.", "parent": thread[0].pk},
    )
    assert posted.status_code == 302
    # Past the replies the article page shows: the redirect opens the replies that hold it.
    assert posted["Location"].startswith(f"/discussion/comments/{thread[0].pk}/replies")
    new = Comment.objects.latest("pk")
    page = browser.get(posted["Location"].split("#")[0])
    assert new.pk in _shown(page.content)
    assert "Your comment was posted." in page.content.decode()


def test_a_reply_form_opens_on_the_replies_page_without_javascript(
    article: Article, readers: list[Commenter]
) -> None:
    thread = _wide(article, readers, 8)
    html, _ = _article_page(article)
    ((link, _count),) = _more_links(html)
    page = Client().get(link).content.decode()
    reply_link = re.search(rf'href="([^"]+)#reply-{thread[6].pk}"', page).group(1)  # type: ignore[union-attr]
    with_form = Client().get(reply_link.replace("&amp;", "&")).content.decode()
    assert f'id="reply-{thread[6].pk}"' in with_form
    assert f'name="parent" value="{thread[6].pk}"' in with_form


def test_a_bad_replies_cursor_is_a_clear_error(article: Article, readers: list[Commenter]) -> None:
    thread = _wide(article, readers, 2)
    answer = Client().get(
        f"/discussion/comments/{thread[0].pk}/replies?after=garbage",
        headers={"X-Rejoinder-Fragment": "1"},
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "after"
    assert Client().get(f"/discussion/comments/{thread[0].pk}/replies?after=x").status_code == 422
