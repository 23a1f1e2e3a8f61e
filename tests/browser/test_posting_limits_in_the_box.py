"""The posting rate limit as a reader meets it: a clear refusal, and nothing they typed is lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from tests.browser.helpers import open_article, top_level_bodies

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
