"""One comment reads the same wherever the box shows it: in the thread, among the reader's own
held comments, in a passage's panel, and as the script gets it back after posting."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rejoinder.comments.models import Comment
from rejoinder.inline.revisions import page_text
from rejoinder.moderation.models import settings_for
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

FRAGMENT = {"X-Rejoinder-Fragment": "1"}
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(
            slug="bridge",
            headline="Bridge",
            body="The council met on Tuesday.\n\nRepairs will cost four million euros.",
            author_name="Ed",
        )
    )


def _item(html: str, comment: Comment) -> str:
    """Return the comment's <li>, with the per-request CSRF tokens blanked."""
    start = html.index(f'<li class="rj-comment" id="comment-{comment.pk}"')
    item = html[start : html.index("</li>", start) + len("</li>")]
    return CSRF_VALUE.sub(r'\1"', item)


def _post(client: Client, article: Article, **fields: str) -> tuple[Comment, str]:
    client.get(article.get_absolute_url())  # the reader's CSRF cookie
    response = client.post(
        f"/discussion/{article.page.pk}/comments",
        {"name": "Ana", "body": "A *fair* point.", **fields},
        headers=FRAGMENT,
    )
    assert response.status_code == 201
    return Comment.objects.latest("pk"), response.content.decode()


def test_the_posted_comment_the_script_inserts_is_the_one_the_thread_shows(
    article: Article,
) -> None:
    reader = Client()
    comment, posted = _post(reader, article)

    page = reader.get(article.get_absolute_url()).content.decode()

    assert 'class="rj-edit-link"' in _item(page, comment)
    assert _item(posted, comment) == _item(page, comment)


def test_a_held_comment_reads_the_same_among_the_readers_own(article: Article) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    reader = Client()
    comment, posted = _post(reader, article)

    page = reader.get(article.get_absolute_url()).content.decode()

    assert 'class="rj-own"' in page
    assert _item(posted, comment) == _item(page, comment)


def test_an_inline_comment_reads_the_same_in_its_passages_panel(article: Article) -> None:
    text = page_text(article.page)
    assert text is not None
    start = text.index("four million")
    reader = Client()
    comment, posted = _post(
        reader,
        article,
        passage_exact="four million",
        passage_start=str(start),
        passage_end=str(start + len("four million")),
    )

    panel = reader.get(
        f"/discussion/{article.page.pk}/passage?start={start}&end={start + 12}"
    ).content.decode()
    page = reader.get(article.get_absolute_url()).content.decode()

    assert "four million" in _item(panel, comment)
    assert _item(posted, comment) == _item(panel, comment) == _item(page, comment)
