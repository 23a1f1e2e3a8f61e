"""How the box and our pages look: stars, tabs, the notify row, target sizes, contrast, dark.

Measured in the browser (sizes, computed colours), so what is checked is what a reader gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from django.utils.timezone import localtime
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser.conftest import _open_tab
from tests.browser.helpers import SeedComments, open_article

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Commenter
from rejoinder.inline.models import Prompt
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.revisions import page_text, pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article, Site
from rejoinder.pages.publishing import save_article
from rejoinder.ratings.rating import rate_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# Colour maths in the page: the text colour over the colour actually behind it (ancestors'
# backgrounds composited), WCAG's relative luminance and contrast ratio.
COLOUR_JS = """
const parse = (c) => {
  const p = c.match(/rgba?\\(([^)]+)\\)/)[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
const backgroundOf = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let colour = [255, 255, 255, 1];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
};
const luminance = (c) => {
  const [r, g, b] = c.slice(0, 3).map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
};
"""


@pytest.fixture
def discussed(
    article: Article, seed_comments: SeedComments, other_reader: Commenter, live_db: None
) -> Article:
    """Return the article with every kind of thing the box shows: threads, a rating, a passage
    comment, an author's question, and more comments than one page holds."""
    Site.objects.update(page_size=3)
    article.standfirst = "Traffic returns on Monday after two years of repairs."
    save_article(article)
    top, *_ = seed_comments(4, name="Amal K.")
    seed_comments(1, name="Tom", parent=top)
    text = page_text(article.page)
    assert text is not None
    start = text.index("40,000")
    post_inline_comment(
        page=article.page,
        author=other_reader,
        name="Bea",
        body="Is that counted every day?",
        selector=PassageSelector(exact="40,000", start=start, end=start + len("40,000")),
        moderated=False,
    )
    prompt = Prompt(page=article.page, question="Do you cycle over it?")
    extracted = extract_text(article.body_html)
    pin_prompt(prompt, extracted, extracted.blocks[1])
    prompt.save()
    for stars in (4, 4, 5, 4, 4):
        rate_page(page=article.page, rater=_new_reader(), stars=stars, ip_hash="", limited=False)
    article.page.refresh_from_db()
    article.page.bump()
    return article


def _new_reader() -> Commenter:
    key = reader_key_from_token(issue_reader_token())
    assert key
    return commenter_for(key)


@pytest.fixture
def dark_tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    yield from _open_tab(browser, live_server, color_scheme="dark")


@pytest.fixture
def phone_390(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    yield from _open_tab(browser, live_server, **PHONE)


def star_fills(stars: Locator) -> list[str]:
    """Return how far each star shape is painted in the star colour: its gradient's first stop."""
    return stars.evaluate_all(
        """(shapes) => shapes.map((s) => {
          const m = getComputedStyle(s).backgroundImage.match(/\\)\\s+([\\d.]+%)/);
          return m ? m[1] : "none";
        })"""
    )


# 2. The rating


def test_the_average_shows_as_filled_stars_with_its_votes(tab: Page, discussed: Article) -> None:
    box = open_article(tab, discussed)
    summary = box.locator(".rj-rating-summary")

    expect(summary).to_have_text("4.2 · 5 votes · Article Rating")
    assert star_fills(summary.locator(".rj-star-shape")) == ["100%", "100%", "100%", "100%", "25%"]


def test_the_stars_to_choose_fill_up_to_the_one_under_the_pointer_or_the_focus(
    tab: Page, discussed: Article
) -> None:
    box = open_article(tab, discussed)
    shapes = box.locator(".rj-star-choices .rj-star-shape")
    assert star_fills(shapes) == ["0%"] * 5
    for shape in shapes.all():
        assert shape.bounding_box()["height"] >= 20  # type: ignore[index]

    box.locator(".rj-star").nth(2).hover()
    assert star_fills(shapes) == ["100%", "100%", "100%", "0%", "0%"]

    tab.mouse.move(0, 0)
    box.get_by_label("1 star", exact=True).focus()
    tab.keyboard.press("ArrowRight")  # a real key press, so the focus shows
    expect(box.get_by_label("2 stars", exact=True)).to_be_focused()
    expect(box.locator(".rj-rating legend")).to_have_text("Your rating: 2 stars. Change it:")
    assert star_fills(box.locator(".rj-star-choices .rj-star-shape")) == [
        "100%",
        "100%",
        "0%",
        "0%",
        "0%",
    ]


def test_without_javascript_the_stars_are_still_radios_with_a_rate_button(
    nojs_tab: Page, discussed: Article
) -> None:
    box = open_article(nojs_tab, discussed, scripted=False)
    box.get_by_label("4 stars", exact=True).check()
    assert star_fills(box.locator(".rj-star-choices .rj-star-shape")) == ["100%"] * 4 + ["0%"]
    box.get_by_role("button", name="Rate").click()
    expect(nojs_tab.locator(".rj-rating legend")).to_have_text("Your rating: 4 stars. Change it:")


# 3. The view tabs


def test_the_view_tabs_are_separate_pills_and_the_selected_one_stands_out(
    tab: Page, discussed: Article
) -> None:
    box = open_article(tab, discussed)
    tabs = box.locator(".rj-filter")
    looks = tabs.evaluate_all(
        """(links) => {"""
        + COLOUR_JS
        + """
          return links.map((a) => {
            const s = getComputedStyle(a), r = a.getBoundingClientRect();
            return { current: a.getAttribute("aria-current") === "true", left: r.left, right: r.right,
                     height: r.height, padding: parseFloat(s.paddingInlineStart),
                     underline: s.textDecorationLine, background: backgroundOf(a),
                     contrast: contrast(parse(s.color), backgroundOf(a)) };
          });
        }"""
    )
    inline, every = looks
    assert (inline["current"], every["current"]) == (False, True)
    assert every["left"] - inline["right"] >= 2, "the tabs touch"
    for look in looks:
        assert look["height"] >= 32
        assert look["padding"] >= 8
        assert look["underline"] == "none"
        assert look["contrast"] >= 4.5
    assert every["background"] != inline["background"], "the selected tab looks like the other"


# 4. Notify of


def test_notify_of_sits_on_one_row_on_a_desktop(tab: Page, discussed: Article) -> None:
    tab.set_viewport_size({"width": 1280, "height": 900})
    form = open_article(tab, discussed).locator("form.rj-notify")
    parts = [
        form.get_by_text("Notify of", exact=True),
        form.get_by_role("combobox", name="Notify of"),
        form.get_by_label("Email"),
        form.get_by_role("button", name="Subscribe"),
    ]
    boxes = [part.bounding_box() for part in parts]
    middles = [b["y"] + b["height"] / 2 for b in boxes]  # type: ignore[index]
    assert max(middles) - min(middles) <= 3, "not on one row"
    controls = boxes[1:]
    assert max(b["y"] for b in controls) - min(b["y"] for b in controls) <= 1  # type: ignore[index]
    assert len({round(b["height"]) for b in controls}) == 1, "the controls differ in height"  # type: ignore[index]


def test_notify_of_is_stacked_on_a_phone(phone_390: Page, discussed: Article) -> None:
    form = open_article(phone_390, discussed).locator("form.rj-notify")
    width = form.bounding_box()["width"]  # type: ignore[index]
    parts = [
        form.get_by_text("Notify of", exact=True),
        form.get_by_role("combobox", name="Notify of"),
        form.get_by_text("Email", exact=True),
        form.get_by_label("Email"),
        form.get_by_role("button", name="Subscribe"),
    ]
    boxes = [part.bounding_box() for part in parts]
    for above, below in pairwise(boxes):
        assert below["y"] >= above["y"] + above["height"] - 1  # type: ignore[index]
    for control in boxes[1], boxes[3], boxes[4]:
        assert control["width"] >= 0.95 * width  # type: ignore[index]


# 7. Target sizes on a phone

TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const body = document.querySelector("[data-rj-article-body]");
  const found = [];
  for (const scope of [document.querySelector("#comments"), body]) {
    for (const el of scope.querySelectorAll(selector)) {
      if (el.closest(".rj-hp, template")) continue;  // the honeypot is never focused
      // Links and highlights inside running text are inline targets (WCAG 2.5.8 exception).
      if (el.closest(".rj-body") || el.matches("mark")) continue;
      if (scope === body && !el.closest(".rj-para-tools")) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;  // not shown
      const name = `${el.localName}.${el.className} ${el.type || ""} "${el.textContent.trim().slice(0, 30)}"`;
      found.push({ name, x: r.left, y: r.top + scrollY, w: r.width, h: r.height });
    }
  }
  return found;
}"""


def undersized(targets: list[dict[str, Any]]) -> list[str]:
    """Return the targets smaller than 24x24 CSS px (WCAG 2.2 target size, without the spacing
    allowance: each control is a comfortable target of its own)."""
    return [f"{t['w']:.0f}x{t['h']:.0f} {t['name']}" for t in targets if t["w"] < 24 or t["h"] < 24]


def test_on_a_phone_every_target_is_at_least_24px_and_the_main_buttons_44(
    phone_390: Page, discussed: Article
) -> None:
    box = open_article(phone_390, discussed)
    form = box.locator("#rj-form-top")
    form.get_by_label("Write a comment").fill("Mine, to edit and delete.")
    form.get_by_label("Name", exact=True).fill("Ana")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(box.get_by_role("link", name="Edit")).to_be_visible()
    box.get_by_role("link", name="Reply").nth(1).click()
    expect(box.get_by_role("button", name="Post reply")).to_be_visible()

    targets = phone_390.evaluate(TARGETS_JS)

    names = " ".join(t["name"] for t in targets)
    for kind in ("rj-para-comment", "rj-prompt-answer", "rj-quote-link", "rj-sort-link",
                 "rj-reply-link", "rj-link", "rj-report-link", "rj-edit-link", "rj-delete-link",
                 "radio", "checkbox", "rj-filter", "rj-vote", "select", "textarea"):  # fmt: skip
        assert kind in names, f"no {kind} was measured"
    assert undersized(targets) == []
    for name in ("Post", "Post reply", "Subscribe", "Load more comments"):
        button = box.get_by_role(
            "link" if name.startswith("Load") else "button", name=name, exact=True
        )
        assert button.bounding_box()["height"] >= 44, name  # type: ignore[index]


# 8. Dark theme and contrast

TEXT = [
    ".article-body p", ".standfirst", ".byline", ".rj-heading", ".rj-body p", ".rj-author",
    ".rj-time", ".rj-relative", ".rj-help", ".rj-field label", ".rj-rating-label",
    ".rj-rate-form legend", ".rj-filter", ".rj-sort", ".rj-sort-link", ".rj-actions > a",
    ".rj-vote", ".rj-primary", ".rj-subscribe", ".rj-avatar", ".rj-para-comment",
    ".rj-prompt-question", ".rj-quoted", "mark.rj-passage", ".site-name", ".site-footer a",
    ".rj-notify label", ".rj-load-more",
]  # fmt: skip

CONTRAST_JS = (
    """([selectors]) => {"""
    + COLOUR_JS
    + """
  const failures = [];
  for (const selector of selectors) {
    const els = Array.from(document.querySelectorAll(selector)).filter((e) => e.getClientRects().length);
    if (!els.length) failures.push(selector + ": nothing shown");
    for (const el of els.slice(0, 6)) {
      const ratio = contrast(over(parse(getComputedStyle(el).color), backgroundOf(el)), backgroundOf(el));
      if (ratio < 4.5) failures.push(`${selector}: ${ratio.toFixed(2)}`);
    }
  }
  const page = backgroundOf(document.body), boxBackground = backgroundOf(document.querySelector("#comments"));
  return { failures, page: luminance(page), box: luminance(boxBackground) };
}"""
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_is_readable_in_light_and_dark(
    browser: Browser, live_server: LiveServer, discussed: Article, scheme: str
) -> None:
    for tab in _open_tab(browser, live_server, color_scheme=scheme):
        open_article(tab, discussed)
        result = tab.evaluate(CONTRAST_JS, [TEXT])
        assert result["failures"] == []
        if scheme == "dark":
            assert result["page"] < 0.05, "the page is not dark"
            assert result["box"] < 0.05, "the box is not dark"
        else:
            assert result["page"] > 0.9


def test_the_front_page_is_dark_too(dark_tab: Page, discussed: Article) -> None:
    dark_tab.goto("/")
    result = dark_tab.evaluate(
        CONTRAST_JS.replace('document.querySelector("#comments")', "document.body"),
        [[".teaser-headline a", ".standfirst", ".meta", ".badge", ".front-heading"]],
    )
    assert result["failures"] == []
    assert result["page"] < 0.05


# 6. The front page


def test_front_page_headlines_read_like_a_news_front(tab: Page, discussed: Article) -> None:
    tab.goto("/")
    teaser = tab.locator(".teaser").first
    headline = teaser.get_by_role("link", name=discussed.headline)
    look = headline.evaluate(
        """(a) => { const s = getComputedStyle(a);
          return { colour: s.color, underline: s.textDecorationLine, font: s.fontFamily }; }"""
    )
    assert look["colour"] not in ("rgb(0, 0, 238)", "rgb(11, 92, 173)"), "a default blue link"
    assert look["underline"] == "none"
    assert "Georgia" in look["font"]
    headline.hover()
    assert "underline" in headline.evaluate("(a) => getComputedStyle(a).textDecorationLine")

    expect(teaser.locator("time")).to_have_attribute(
        "datetime", localtime(discussed.published_at).isoformat()
    )
    expect(teaser.locator(".badge-comments")).to_have_text("6 comments")
    expect(teaser.locator(".badge-rating")).to_have_text("★ 4.2 · 5 votes")


# 9. The icon


def test_the_page_names_an_icon_the_browser_can_load(tab: Page, discussed: Article) -> None:
    open_article(tab, discussed)
    href = tab.locator('link[rel="icon"]').get_attribute("href")
    assert href
    response = tab.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert tab.request.get("/favicon.ico").status == 200
