"""Small steps the browser tests share: open an article, mark the document, find a comment."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article

SeedComments = Callable[..., list[Comment]]


def open_article(tab: Page, article: Article, query: str = "", *, scripted: bool = True) -> Locator:
    """Open the article and return its discussion box, once discussion.js has enhanced it.

    Pass `scripted=False` for a tab with JavaScript off, where the box stays plain HTML.
    """
    tab.goto(article.get_absolute_url() + query)
    box = tab.locator("#comments")
    if scripted:
        expect(box).to_have_class(re.compile(r"\brj-js\b"))
    else:
        expect(box).to_be_visible()
    return box


def mark_document(tab: Page) -> None:
    """Put a marker on the window; it survives only as long as the page is not reloaded."""
    tab.evaluate("() => { window.__rjMarker = 1; }")


def assert_same_document(tab: Page) -> None:
    assert tab.evaluate("() => window.__rjMarker") == 1, "the page navigated or reloaded"


def comment_item(box: Locator, comment: Comment | int) -> Locator:
    pk = comment if isinstance(comment, int) else comment.pk
    return box.locator(f"#comment-{pk}")


def own_inner(item: Locator) -> Locator:
    """Return a comment's own header, body and footer (not its replies')."""
    return item.locator(":scope > .rj-comment-inner")


def top_level_bodies(box: Locator) -> Locator:
    return box.locator(".rj-thread > .rj-comment > .rj-comment-inner .rj-body")
