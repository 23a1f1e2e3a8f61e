"""The article body readers see: highlights and paragraph controls that leave the text alone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import delete_comment
from rejoinder.inline.rendering import quote_paragraph, render_article_body
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

BODY = (
    "## The plan\n\n"
    "The council met on *Tuesday* to discuss the **harbour bridge** and its future.\n\n"
    "- Cyclists get a lane.\n"
    "- Buses keep their stop.\n\n"
    "1. First, a survey.\n\n"
    "   With a nested paragraph.\n\n"
    "2. Then the works.\n\n"
    "> A quoted paragraph from the mayor.\n\n"
    "```\ncode line one\n  indented line two\n```\n\n"
    "| Year | Cost |\n|---|---|\n| 2024 | four |\n"
)


@pytest.fixture
def article(db: None) -> Article:
    return save_article(Article(slug="plan", headline="Plan", body=BODY, author_name="Ed"))


def test_highlights_and_controls_leave_the_article_text_unchanged(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    comment_on(article, "met on Tuesday to discuss the harbour")
    comment_on(article, "code line one")
    rendered = render_article_body(article)
    assert extract_text(rendered) == extract_text(article.body_html)
    assert "<mark" in rendered
    assert rendered.count('class="rj-para-tools"') == 7  # p, 2 li, 2 loose li, quote, pre


def test_a_passage_over_several_elements_has_one_id_and_shows_its_count_once(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    comment_on(article, "met on Tuesday to discuss the harbour")
    comment_on(article, "met on Tuesday to discuss the harbour")
    rendered = render_article_body(article)
    marks = re.findall(r'<mark [^>]*data-rj-passage="[^"]+"[^>]*>', rendered)
    assert len(marks) == 4  # "met on ", "Tuesday", " to discuss the ", "harbour"
    assert sum('id="passage-' in mark for mark in marks) == 1
    assert 'id="passage-' in marks[0]
    assert [mark for mark in marks if "data-rj-count" in mark] == [marks[-1]]
    assert 'data-rj-count="2"' in marks[-1]


def test_each_outermost_block_gets_one_link_quoting_its_first_paragraph(article: Article) -> None:
    rendered = render_article_body(article)
    text = extract_text(article.body_html)
    indexes = [int(n) for n in re.findall(r'href="\?passage=(\d+)#comment-form"', rendered)]
    quoted = [text.text[text.blocks[i].start : text.blocks[i].end] for i in indexes]
    assert quoted == [
        "The council met on Tuesday to discuss the harbour bridge and its future.",
        "Cyclists get a lane.",
        "Buses keep their stop.",
        "First, a survey.",
        "Then the works.",
        "A quoted paragraph from the mayor.",
        "code line one\n  indented line two",
    ]
    # Nothing is put between table cells, where browsers would move it out of the table.
    assert not re.search(r"</t[dh]><span", rendered)
    # Inside <pre> every character shows: the controls come after it, in one piece.
    assert re.search(r'</pre><span class="rj-para-tools" data-rj-skip><a ', rendered)


def test_list_items_hold_their_own_controls_so_lists_hold_only_items(article: Article) -> None:
    rendered = render_article_body(article)
    # A list may hold nothing but its items: the controls end each item instead.
    assert not re.search(r"</li>\s*<span", rendered)
    items = re.findall(r"<li\b.*?</li>", rendered, flags=re.DOTALL)
    assert len(items) == 4
    assert all(
        re.search(r'<span class="rj-para-tools" data-rj-skip>.*</span></li>$', i, re.DOTALL)
        for i in items
    )
    assert extract_text(rendered) == extract_text(article.body_html)


def test_quote_paragraph_describes_a_whole_block_with_its_context(article: Article) -> None:
    quote = quote_paragraph(article, 2)
    assert quote is not None
    assert quote.exact == "Cyclists get a lane."
    assert quote.prefix.endswith("and its future.\n\n")
    assert quote.suffix.startswith("\n\nBuses keep")
    assert quote_paragraph(article, 99) is None


def test_a_closed_page_has_no_paragraph_links(article: Article) -> None:
    article.page.is_open = False
    article.page.save()
    assert "?passage=" not in render_article_body(article)


def test_the_body_is_cached_by_page_version(
    article: Article,
    comment_on: Callable[..., Comment],
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    render_article_body(article)
    with django_assert_num_queries(0):
        render_article_body(article)
    comment = comment_on(article, "Buses keep their stop.")
    article.page.refresh_from_db()
    assert 'data-rj-count="1"' in render_article_body(article)
    delete_comment(comment_id=comment.pk, requester=comment.author)
    article.page.refresh_from_db()
    assert "<mark" not in render_article_body(article)


@pytest.mark.parametrize("inline_comments", [0, 200])
def test_the_article_page_takes_the_same_queries_with_200_inline_comments(
    article: Article,
    comment_on: Callable[..., Comment],
    make_reader: Callable[[], Commenter],
    inline_comments: int,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    passages = ["council", "Tuesday", "harbour bridge", "Cyclists", "Buses", "survey", "mayor"]
    author = make_reader()
    for n in range(inline_comments):
        comment_on(article, passages[n % len(passages)], author=author, moderated=False)
    reader = Client()
    # Cold cache: the same count as without comments (the page and its newest comment's time
    # for the ETag, then the article, passages, prompts, inline count and thread), and the
    # site's language, read once per article and hour.
    with django_assert_max_num_queries(10):
        response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("rj-passage") >= min(inline_comments, 1)
    # Warm: the page for the ETag, the article and the reader's activity at most.
    with django_assert_max_num_queries(3):
        reader.get(article.get_absolute_url())
