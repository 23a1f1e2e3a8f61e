"""Chromium keeps the article page and the box's fragments and revalidates them: 304s the
script lives with, and a change is shown on the next load."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect
from tests.browser.helpers import (
    SeedComments,
    open_article,
    post_comment_in_box,
    posted_item,
    top_level_bodies,
)

from rejoinder.pages.models import Article, Site

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]


def _bodies_received(tab: Page, path: str) -> list[int]:
    """Record how many body bytes came over the network for each request to a URL with `path`.

    Chromium shows a revalidated answer as the kept 200; a 304 brought no body (0 bytes).
    """
    seen: list[int] = []

    def record(request: Request) -> None:
        if path in request.url:
            seen.append(request.sizes()["responseBodySize"])

    tab.on("requestfinished", record)
    return seen


def _until_recorded(tab: Page, seen: list[int], count: int) -> list[int]:
    """Let Playwright deliver the "requestfinished" events still on their way (up to 5 s)."""
    for _ in range(50):
        if len(seen) >= count:
            break
        tab.wait_for_timeout(100)
    return seen


def test_a_reloaded_page_is_revalidated_and_its_box_still_posts(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    seed_comments(2)
    pages = _bodies_received(tab, article.get_absolute_url())
    open_article(tab, article)
    tab.reload()
    box = open_article(tab, article)
    _until_recorded(tab, pages, 3)
    assert pages[0] > 0
    assert pages[1:] == [0, 0], "kept and revalidated, not sent again"

    post_comment_in_box(box, "Posted from a *kept* page.")

    posted_item(box, "Posted from a kept page.")
    box = open_article(tab, article)
    _until_recorded(tab, pages, 4)
    assert pages[3] > 0, "the new comment changed the page: sent again"
    expect(top_level_bodies(box)).to_have_text(
        ["Posted from a kept page.", "Seeded comment number 2.", "Seeded comment number 1."]
    )


def test_load_more_from_a_kept_page_appends_the_kept_fragment(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    Site.objects.update(page_size=2)
    seed_comments(3)
    fragments = _bodies_received(tab, f"/discussion/{article.page.pk}/thread")
    box = open_article(tab, article)
    box.get_by_role("link", name="Load more comments").click()
    expected = [f"Seeded comment number {n}." for n in (3, 2, 1)]
    expect(top_level_bodies(box)).to_have_text(expected)

    tab.reload()
    box = open_article(tab, article)
    box.get_by_role("link", name="Load more comments").click()

    expect(top_level_bodies(box)).to_have_text(expected)
    assert len(_until_recorded(tab, fragments, 2)) == 2
    assert fragments[0] > 0
    assert fragments[1] == 0, "the second Load more was answered 304"
