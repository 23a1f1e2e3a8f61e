"""Articles with anchored comments, made through the same domain functions as production."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.inline.corpus import BUDGET

from rejoinder.comments.models import Comment, Commenter
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.revisions import page_text
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="budget-delay", headline="Budget delayed", body=BUDGET, author_name="Ruth P.")
    )


def edit_article(article: Article, body: str) -> Article:
    """Save a new body the way the admin does."""
    article.body = body
    return save_article(article)


@pytest.fixture
def comment_on(
    make_reader: Callable[[], Commenter],
) -> Callable[..., Comment]:
    """Post an inline comment on the given occurrence of a passage of the article's text."""

    def post(article: Article, passage: str, occurrence: int = 0, **fields: Any) -> Comment:
        text = page_text(article.page)
        assert text is not None
        start = -1
        for _n in range(occurrence + 1):
            start = text.index(passage, start + 1)
        selector = PassageSelector(exact=passage, start=start, end=start + len(passage))
        return post_inline_comment(
            page=article.page,
            author=fields.pop("author", None) or make_reader(),
            name=fields.pop("name", "Ana"),
            body=fields.pop("body", "About this passage."),
            selector=selector,
            **fields,
        )

    return post
