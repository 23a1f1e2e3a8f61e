"""'N more replies' under a long thread: in place with JavaScript, a page of its own without."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.helpers import assert_same_document, comment_item, mark_document, open_article

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]


def _thread(article: Article, author: Commenter, replies: int) -> list[Comment]:
    root = post_comment(page=article.page, author=author, name="Root", body="Start here.")
    return [root] + [
        post_comment(
            page=article.page,
            author=author,
            name="Replier",
            body=f"Reply number {n}.",
            parent_id=root.pk,
            moderated=False,
        )
        for n in range(1, replies + 1)
    ]


def _reply_bodies(item: Locator) -> Locator:
    return item.locator(":scope > .rj-replies > .rj-comment > .rj-comment-inner .rj-body")


def test_more_replies_are_added_under_the_comment_without_reloading(
    tab: Page, article: Article, other_reader: Commenter
) -> None:
    thread = _thread(article, other_reader, 15)
    box = open_article(tab, article)
    root = comment_item(box, thread[0])
    bodies = _reply_bodies(root)
    expect(bodies).to_have_count(3)
    mark_document(tab)

    root.get_by_role("link", name="12 more replies").click()
    expect(bodies).to_have_count(13)
    root.get_by_role("link", name="2 more replies").click()

    expect(bodies).to_have_text([f"Reply number {n}." for n in range(1, 16)])
    expect(root.locator(".rj-more-replies")).to_have_count(0)
    assert_same_document(tab)
    # The replies put in place work like the others: vote on one of them.
    loaded = comment_item(box, thread[12]).locator(":scope > .rj-comment-inner")
    loaded.get_by_role("button", name="Upvote").click()
    expect(loaded.locator(".rj-up")).to_have_attribute("aria-pressed", "true")


def test_more_replies_without_javascript_open_a_page_of_them(
    nojs_tab: Page, article: Article, other_reader: Commenter
) -> None:
    thread = _thread(article, other_reader, 5)
    box = open_article(nojs_tab, article, scripted=False)
    comment_item(box, thread[0]).get_by_role("link", name="2 more replies").click()
    expect(nojs_tab.get_by_role("heading", name="Replies to Root")).to_be_visible()
    expect(nojs_tab.locator(".rj-replies .rj-body")).to_have_text(
        ["Reply number 4.", "Reply number 5."]
    )
    nojs_tab.get_by_role("link", name="Back to the discussion").click()
    expect(nojs_tab.locator("#comments")).to_be_visible()
