"""The posting rate limit as a reader meets it: a clear refusal, and nothing they typed is lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from tests.browser.helpers import open_article, own_inner, top_level_bodies
from tests.browser.test_reader_journey_without_js import post_plain_comment

from rejoinder.pages.models import Article

pytestmark = pytest.mark.browser

REFUSAL = re.compile(r"^You are doing that too often\. Please wait \d+ seconds and try again\.$")


@pytest.fixture(autouse=True)
def _five_posts_per_window(settings: Settings) -> None:
    # The default count (5) in a window so long that a test can never straddle two windows;
    # with the default minute, posts made across a minute boundary would all pass.
    settings.REJOINDER = {
        **settings.REJOINDER,
        "RATE_LIMITS_ENABLED": True,
        "RATE_POST": "5/1000000000",
    }


def test_the_sixth_comment_is_refused_in_the_form_and_its_text_is_kept(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    for n in range(1, 6):
        form.get_by_label("Name").fill("Ana")
        form.get_by_label("Write a comment").fill(f"Point number {n}.")
        form.get_by_role("button", name="Post", exact=True).click()
        expect(box.locator(".rj-comment-total")).to_have_text(str(n))

    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Write a comment").fill("One point too many.")
    form.get_by_role("button", name="Post", exact=True).click()

    expect(form.get_by_role("alert")).to_have_text(REFUSAL)
    expect(form.get_by_label("Write a comment")).to_have_value("One point too many.")
    expect(form.get_by_label("Write a comment")).to_be_focused()
    expect(box.locator(".rj-comment-total")).to_have_text("5")
    expect(top_level_bodies(box)).to_have_count(5)


def test_without_js_the_refusal_page_keeps_the_text_to_post_again(
    nojs_tab: Page, article: Article, settings: Settings
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_POST": "1/1000000000"}
    box = open_article(nojs_tab, article, scripted=False)
    form = box.locator("#rj-form-top")
    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Write a comment").fill("First point.")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(top_level_bodies(box)).to_have_text(["First point."])

    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Write a comment").fill("Second point.")
    form.get_by_role("button", name="Post", exact=True).click()

    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Your comment was not posted")
    expect(nojs_tab.get_by_role("alert").first).to_have_text(REFUSAL)
    expect(nojs_tab.locator("#rj-form-retry").get_by_label("Write a comment")).to_have_value(
        "Second point."
    )


def test_without_js_text_past_the_size_limit_gets_a_page_that_says_so_and_back_keeps_it(
    nojs_tab: Page, article: Article
) -> None:
    # The edit page's text box has no length cap, so a long paste reaches the server whole.
    item = post_plain_comment(nojs_tab, article, "A short first version.")
    own_inner(item).get_by_role("link", name="Edit").click()
    pasted = "A very long paste. " * 4000  # 76,000 characters, past the 64 KB a form may carry
    nojs_tab.get_by_label("Comment").fill(pasted)
    nojs_tab.get_by_role("button", name="Save").click()

    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Your text is too long to send")
    alert = nojs_tab.get_by_role("alert")
    expect(alert).to_contain_text("64.0\xa0KB")
    expect(alert).to_contain_text("at most 5000 characters")
    expect(nojs_tab.get_by_role("link", name="Back to the page you came from")).to_have_attribute(
        "href", re.compile(r"/edit$")
    )

    nojs_tab.go_back()
    expect(nojs_tab.get_by_label("Comment")).to_have_value(pasted)
