"""Reflow (WCAG 1.4.10) and motion (2.3.3): the article page, the box and the moderation page
at 320 CSS pixels wide and at 200% zoom of a 1280-pixel window (640 CSS pixels at a device
scale of 2) scroll only vertically; with prefers-reduced-motion the box's and the article's
flashes do not animate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser import test_embedded_box as embedded
from tests.browser.conftest import _open_tab
from tests.browser.helpers import open_article, post_comment_in_box, posted_item

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.demo.content import load_content
from rejoinder.demo.loading import PUBLISHER_PAGE, load_demo
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PASSWORD = "correct horse battery staple"
# 320 CSS pixels: WCAG's reflow width. 640 at a device scale of 2: a 1280-pixel window at 200%.
SIZES = {
    "320px": ({"width": 320, "height": 640}, 1),
    "zoom 200%": ({"width": 640, "height": 450}, 2),
}
LONG_NAME = "Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen"


@pytest.fixture(params=sorted(SIZES))
def narrow_tab(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, live_db: None
) -> Iterator[Page]:
    viewport, scale = SIZES[request.param]
    yield from _open_tab(browser, live_server, viewport=viewport, device_scale_factor=scale)


def assert_no_horizontal_scroll(tab: Page) -> None:
    widths = tab.evaluate(
        """() => ({ content: document.scrollingElement.scrollWidth,
                    view: document.documentElement.clientWidth })"""
    )
    assert widths["content"] <= widths["view"], widths


@pytest.fixture
def demo_article(live_db: None) -> Article:
    load_demo()
    return Article.objects.get(slug=load_content().article["slug"])


def test_the_article_page_and_its_box_reflow(narrow_tab: Page, demo_article: Article) -> None:
    box = open_article(narrow_tab, demo_article)
    assert_no_horizontal_scroll(narrow_tab)

    box.locator(".rj-thread .rj-reply-link").first.click()
    expect(box.locator(".rj-reply-box").get_by_label("Your reply")).to_be_focused()
    form = box.locator("#rj-form-top")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(form.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    assert_no_horizontal_scroll(narrow_tab)

    narrow_tab.locator("[data-rj-article-body] mark.rj-passage[id]").first.click()
    expect(narrow_tab.get_by_role("dialog").locator(".rj-comment").first).to_be_visible()
    assert_no_horizontal_scroll(narrow_tab)


@pytest.fixture
def moderator(article: Article) -> Any:
    user = get_user_model().objects.create_user("editor", password=PASSWORD)
    ModeratorRole.objects.create(user=user, site=article.page.site, role="moderator")
    return user


def test_the_moderation_page_reflows(
    narrow_tab: Page, article: Article, moderator: Any, other_reader: Commenter
) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    post_comment(
        page=article.page,
        author=other_reader,
        name=LONG_NAME,
        body="https://example.org/a/very/long/path/that/never/breaks/anywhere/at/all/and/more",
    )
    narrow_tab.goto("/moderation/")
    narrow_tab.get_by_label("Username").fill(moderator.username)
    narrow_tab.get_by_label("Password").fill(PASSWORD)
    narrow_tab.get_by_role("button", name="Sign in").click()
    expect(narrow_tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))
    expect(narrow_tab.locator(".rj-mod-item")).to_have_count(1)
    assert_no_horizontal_scroll(narrow_tab)

    narrow_tab.locator(".rj-mod-item").get_by_role("link", name="Ban").click()
    expect(narrow_tab.get_by_role("dialog", name=re.compile("^Ban"))).to_be_visible()
    assert_no_horizontal_scroll(narrow_tab)
    narrow_tab.keyboard.press("Escape")

    for link in ("Audit log", "Bans"):
        narrow_tab.get_by_role("link", name=link).click()
        expect(narrow_tab.get_by_role("heading", level=1)).to_be_visible()
        assert_no_horizontal_scroll(narrow_tab)


publisher = embedded.publisher


@pytest.fixture
def narrow_host(browser: Browser, publisher: str) -> Iterator[embedded.Host]:
    yield from embedded._host(browser, publisher, viewport={"width": 320, "height": 640})


def test_the_embedded_box_reflows_at_320px(narrow_host: embedded.Host) -> None:
    narrow_host.open(PUBLISHER_PAGE)
    page = narrow_host.box()
    page.locator(embedded.BOX).locator(".rj-reply-link").first.click()
    expect(page.locator(f"{embedded.BOX} .rj-reply-box textarea")).to_be_focused()

    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(("motion", "flash"), [("reduce", "none"), ("no-preference", "rj-flash")])
def test_a_new_comment_flashes_only_for_readers_who_accept_motion(
    browser: Browser, live_server: LiveServer, article: Article, motion: str, flash: str
) -> None:
    for tab in _open_tab(browser, live_server, reduced_motion=motion):
        box = open_article(tab, article)
        post_comment_in_box(box, "Still or moving?")
        item = posted_item(box, "Still or moving?")

        assert item.evaluate("el => getComputedStyle(el).animationName") == flash


@pytest.mark.parametrize(
    ("motion", "flash"), [("reduce", "none"), ("no-preference", "rj-passage-flash")]
)
def test_a_followed_passage_flashes_only_for_readers_who_accept_motion(
    browser: Browser, live_server: LiveServer, demo_article: Article, motion: str, flash: str
) -> None:
    for tab in _open_tab(browser, live_server, reduced_motion=motion):
        open_article(tab, demo_article)
        passage = tab.locator("[data-rj-article-body] mark.rj-passage[id]").first
        tab.goto(f"{demo_article.get_absolute_url()}#{passage.get_attribute('id')}")
        expect(passage).to_be_visible()

        assert passage.evaluate("el => getComputedStyle(el).animationName") == flash


# WCAG 1.4.12's spacing: line height 1.5, paragraphs 2em apart, letters .12em, words .16em.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: .12em !important;
                   word-spacing: .16em !important; }
                 p { margin-block-end: 2em !important; }"""


def space_text(tab: Page) -> None:
    """Apply the spacing as a reader's own stylesheet would (through the CSSOM, which the
    page's Content-Security-Policy does not govern)."""
    tab.evaluate(
        """(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""",
        TEXT_SPACING,
    )
    assert tab.evaluate("() => getComputedStyle(document.body).wordSpacing") != "0px"


def clipped_text(tab: Page) -> list[str]:
    """Elements that hide part of their text: overflow hidden or clipped, content larger than
    the box (text hidden on purpose, from everyone or for screen readers only, left out)."""
    return list(
        tab.evaluate(
            """() => Array.from(document.querySelectorAll("body *")).filter((el) => {
                 const style = getComputedStyle(el);
                 if (!/hidden|clip/.test(style.overflowX + style.overflowY)) return false;
                 if (el.closest(".rj-vh, .rj-visually-hidden, .rj-skip, [aria-hidden=true]")) return false;
                 if (!el.textContent.trim()) return false;
                 return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
               }).map((el) => el.outerHTML.slice(0, 120))"""
        )
    )


def test_text_spacing_hides_nothing_on_the_article_page_and_the_moderation_page(
    narrow_tab: Page, demo_article: Article, moderator: Any
) -> None:
    box = open_article(narrow_tab, demo_article)
    space_text(narrow_tab)
    box.locator(".rj-thread .rj-reply-link").first.click()
    expect(box.locator(".rj-reply-box").get_by_label("Your reply")).to_be_focused()
    assert_no_horizontal_scroll(narrow_tab)
    assert clipped_text(narrow_tab) == []

    narrow_tab.goto("/moderation/")
    narrow_tab.get_by_label("Username").fill(moderator.username)
    narrow_tab.get_by_label("Password").fill(PASSWORD)
    narrow_tab.get_by_role("button", name="Sign in").click()
    expect(narrow_tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))
    narrow_tab.get_by_role("link", name=re.compile("^Recent")).click()
    expect(narrow_tab.locator(".rj-mod-item").first).to_be_visible()
    space_text(narrow_tab)
    assert_no_horizontal_scroll(narrow_tab)
    assert clipped_text(narrow_tab) == []


@pytest.mark.parametrize("width", [760, 900, 1060, 1280])
def test_the_passage_panel_beside_the_article_covers_none_of_it(
    browser: Browser, live_server: LiveServer, demo_article: Article, width: int
) -> None:
    """WCAG 2.4.11: with the panel open at the side, the article's links (which keep taking the
    focus) are never under it."""
    for tab in _open_tab(browser, live_server, viewport={"width": width, "height": 800}):
        open_article(tab, demo_article)
        tab.locator("[data-rj-article-body] mark.rj-passage[id]").first.click()
        panel = tab.get_by_role("dialog")
        expect(panel.locator(".rj-comment").first).to_be_visible()
        panel_box = panel.bounding_box()
        assert panel_box is not None
        assert panel_box["x"] + panel_box["width"] >= width - 1, "not a side panel"

        edge = tab.locator("main").evaluate(
            """(main) => Math.max(...Array.from(main.querySelectorAll(
                 "[data-rj-article-body] a, [data-rj-article-body] button, [data-rj-article-body] mark"
               )).map((el) => el.getBoundingClientRect().right))"""
        )
        assert edge <= panel_box["x"], (
            f"article controls reach {edge}, the panel starts at {panel_box['x']}"
        )
