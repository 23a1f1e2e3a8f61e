"""The box in Arabic, right to left: mirrored on the article page at desktop and phone widths
(screenshots kept in var/test-artefacts/rtl/), checked with axe-core, and embedded in Arabic on
an English publisher's page, staying Arabic after the reader posts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser import test_embedded_box as embedded
from tests.browser.conftest import _open_tab
from tests.browser.helpers import SeedComments, accessibility_problems, open_article

from rejoinder.demo.loading import PUBLISHER_PAGE
from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "rtl"
WIDTHS = {"desktop": (1280, 900), "phone": (320, 720)}


@pytest.fixture
def arabic_article(article: Article, seed_comments: SeedComments) -> Article:
    site = default_site()
    site.language = "ar"
    site.save()
    first, _second = seed_comments(2, name="Bruno")
    seed_comments(1, name="سارة", parent=first)
    return article


@pytest.fixture(params=sorted(WIDTHS))
def sized_tab(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, live_db: None
) -> Iterator[tuple[str, Page]]:
    width, height = WIDTHS[request.param]
    for tab in _open_tab(browser, live_server, viewport={"width": width, "height": height}):
        yield request.param, tab


def test_the_arabic_box_mirrors_at_desktop_and_phone_widths(
    sized_tab: tuple[str, Page], arabic_article: Article
) -> None:
    size, tab = sized_tab
    box = open_article(tab, arabic_article)
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    expect(box.locator(".rj-heading")).to_have_text("التعليقات")

    geometry = tab.evaluate(
        """() => {
            const box = document.querySelector('#comments').getBoundingClientRect();
            const inner = document.querySelector('.rj-comment-inner').getBoundingClientRect();
            const avatar = document.querySelector('.rj-avatar').getBoundingClientRect();
            const replies = getComputedStyle(document.querySelector('.rj-replies'));
            const stars = [...document.querySelectorAll('.rj-star')].map((s) => s.getBoundingClientRect().x);
            const page = document.scrollingElement;
            return {
                avatarGap: inner.right - avatar.right,
                avatarFromLeft: avatar.left - inner.left,
                replyLineRight: parseFloat(replies.borderRightWidth),
                replyLineLeft: parseFloat(replies.borderLeftWidth),
                stars,
                overflow: page.scrollWidth - page.clientWidth,
                boxRight: box.right,
            };
        }"""
    )
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(ARTEFACTS / f"box-ar-{size}.png"))

    # The avatar sits at the start of the line: on the right.
    assert abs(geometry["avatarGap"]) < 1
    assert geometry["avatarFromLeft"] > 0
    # Replies are indented from the right, their line on the right.
    assert geometry["replyLineRight"] == 2
    assert geometry["replyLineLeft"] == 0
    # The stars read from right to left: one star first, on the right.
    assert geometry["stars"] == sorted(geometry["stars"], reverse=True)
    # Nothing wider than the screen, down to 320 px.
    assert geometry["overflow"] <= 0
    # Relative times in Arabic, from the script's Intl.RelativeTimeFormat.
    expect(box.locator(".rj-relative").first).to_contain_text("قبل")
    assert accessibility_problems(tab) == []


def test_an_english_name_and_an_arabic_comment_keep_their_order(
    tab: Page, arabic_article: Article
) -> None:
    box = open_article(tab, arabic_article)
    name = box.locator(".rj-author bdi").first
    expect(name).to_have_text("Bruno")
    body = box.locator(".rj-body").first
    # An English comment in an Arabic box is laid out left to right, by its own text.
    assert body.evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    assert box.evaluate("(el) => getComputedStyle(el).direction") == "rtl"


# The sample newspaper on its own origin (tests/browser/test_embedded_box.py).
embedded_publisher = embedded.publisher


def test_the_embed_asks_for_arabic_and_stays_arabic_after_posting(
    embedded_publisher: str, browser: Browser
) -> None:
    for host in embedded._host(browser, embedded_publisher):
        page = host.open(PUBLISHER_PAGE)
        page.evaluate(
            """() => new Promise((done) => {
                const el = document.querySelector('#rejoinder-thread');
                el.addEventListener('rejoinder:ready', done, { once: true });
                Rejoinder.mount(el, { lang: 'ar', load: 'now' });
            })"""
        )
        box = page.locator(f"{embedded.BOX} .rj-discussion")
        expect(box).to_have_attribute("dir", "rtl")
        expect(box).to_have_attribute("lang", "ar")
        assert page.evaluate("document.documentElement.dir") != "rtl"  # the host stays as it is
        form = box.locator("#rj-form-top")
        form.locator("textarea[name=body]").fill("تعليق من صفحة الناشر.")
        form.locator("input[name=name]").fill("Ana")
        form.locator("button[type=submit]").click()
        posted = box.locator(".rj-comment.rj-new")
        expect(posted).to_have_count(1)
        # The comment came back from the server in Arabic: the script asked for it again.
        expect(posted.locator(".rj-delete-link")).to_have_text("حذف")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(embedded.BOX).screenshot(path=str(ARTEFACTS / "embed-ar-on-english-page.png"))
