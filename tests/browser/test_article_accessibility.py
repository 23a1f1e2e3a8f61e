"""The demo article checked with axe-core in the states readers meet (plain page, a passage's
panel open, a reply form open, a form showing its errors), and reached from the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.helpers import accessibility_problems, open_article, tab_until

from rejoinder.demo.content import load_content
from rejoinder.demo.loading import load_demo
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]


@pytest.fixture
def demo_article(live_db: None) -> Article:
    """Return the demo's article: lists, highlights, an author's question, 40-odd comments."""
    load_demo()
    return Article.objects.get(slug=load_content().article["slug"])


def test_the_article_page_has_no_serious_accessibility_problem(
    tab: Page, demo_article: Article
) -> None:
    open_article(tab, demo_article)
    expect(tab.locator("[data-rj-article-body] ul")).not_to_have_count(0)

    assert accessibility_problems(tab) == []


def test_a_passage_panel_open_beside_the_article_adds_no_landmark_problem(
    tab: Page, demo_article: Article
) -> None:
    open_article(tab, demo_article)
    tab.locator("[data-rj-article-body] mark.rj-passage[id]").first.click()
    expect(tab.get_by_role("dialog").locator(".rj-comment").first).to_be_visible()

    assert accessibility_problems(tab) == []


def test_an_open_reply_form_has_no_serious_accessibility_problem(
    tab: Page, demo_article: Article
) -> None:
    box = open_article(tab, demo_article)
    box.locator(".rj-thread .rj-reply-link").first.click()
    expect(box.locator(".rj-reply-box").get_by_label("Your reply")).to_be_focused()

    assert accessibility_problems(tab) == []


def test_a_form_showing_its_errors_has_no_serious_accessibility_problem(
    tab: Page, demo_article: Article
) -> None:
    form = open_article(tab, demo_article).locator("#rj-form-top")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(form.get_by_label("Name")).to_have_attribute("aria-invalid", "true")

    assert accessibility_problems(tab) == []


def test_the_not_posted_page_of_a_form_sent_without_js_has_no_serious_accessibility_problem(
    tab: Page, demo_article: Article
) -> None:
    form = open_article(tab, demo_article).locator("#rj-form-top")
    # Sent as the browser sends it without the script (submit() fires no submit event); the
    # page that comes back is checked in a tab that can run axe.
    form.evaluate("(form) => form.submit()")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Your comment was not posted")
    expect(tab.get_by_label("Write a comment")).to_have_attribute("aria-invalid", "true")

    assert accessibility_problems(tab) == []


def test_the_skip_link_reaches_the_comment_box_in_a_few_tab_presses(
    tab: Page, demo_article: Article
) -> None:
    box = open_article(tab, demo_article)
    text = box.locator("#rj-form-top").get_by_label("Write a comment")
    skip = tab.get_by_role("link", name="Skip to the comment form")

    presses = tab_until(tab, skip, most=3)
    expect(skip).to_be_visible()
    tab.keyboard.press("Enter")
    presses += tab_until(tab, text, most=5)

    assert presses <= 5


def test_the_paragraph_links_are_one_tab_stop_and_the_arrow_keys_reach_every_one(
    tab: Page, demo_article: Article
) -> None:
    open_article(tab, demo_article)
    links = tab.locator("[data-rj-article-body] a[data-rj-para]")
    count = links.count()
    assert count > 10
    tab_until(tab, links.first)

    for n in range(1, count):
        tab.keyboard.press("ArrowDown")
        expect(links.nth(n)).to_be_focused()
    tab.keyboard.press("Home")
    expect(links.first).to_be_focused()
    tab.keyboard.press("End")
    expect(links.last).to_be_focused()

    # Tab leaves the paragraph links at once; Shift+Tab comes back to the one last used.
    tab.keyboard.press("Tab")
    assert not tab.evaluate("() => document.activeElement.matches('a[data-rj-para]')")
    tab.keyboard.press("Shift+Tab")
    expect(links.last).to_be_focused()
