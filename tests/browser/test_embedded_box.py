"""The box embedded in a publisher's own page, on another origin than Rejoinder's.

The publisher is the demo's sample newspaper: hostile CSS (global resets, `div`, `button`, a
header at the top z-index) and a Content-Security-Policy without 'unsafe-inline' or
'unsafe-eval'. Rejoinder is the live server on http://localhost:PORT; the publisher is
http://127.0.0.1:PORT2, another site, so nothing may rely on Rejoinder's cookies.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser.conftest import TIMEOUT_MS
from tests.servers import free_port

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment
from rejoinder.comments.posting import post_comment
from rejoinder.demo.loading import PUBLISHER_PAGE, load_publisher_demo
from rejoinder.demo.publisher import publisher_handler
from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Page as DiscussedPage

pytestmark = pytest.mark.browser

BOX = "#rejoinder-thread"


class Host:
    """The publisher's site: its origin, and a tab on it that records what went wrong."""

    def __init__(self, origin: str, context: BrowserContext) -> None:
        self.origin = origin
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(message.text)

    def open(self, path: str) -> Page:
        self.page.goto(self.origin + path)
        return self.page

    def box(self) -> Page:
        """Wait for the box to be enhanced; on failure, say what the console said."""
        try:
            self.page.locator(f"{BOX} .rj-discussion.rj-js").wait_for()
        except Exception as exc:
            raise AssertionError(f"no box; console: {self.console} {self.errors}") from exc
        return self.page

    def assert_healthy(self) -> None:
        assert self.errors == []
        blocked = [m for m in self.console if "Content Security Policy" in m or "CORS" in m]
        assert blocked == []


@pytest.fixture
def publisher(live_server: LiveServer, live_db: None, rate_limits_off: None) -> Iterator[str]:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    load_publisher_demo(origin)
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), publisher_handler(live_server.url, origin, default_site().pk)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield origin
    server.shutdown()
    server.server_close()


def _host(browser: Browser, origin: str, **options: object) -> Iterator[Host]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    host = Host(origin, context)
    try:
        yield host
        host.assert_healthy()
    finally:
        context.close()


@pytest.fixture
def host(browser: Browser, publisher: str) -> Iterator[Host]:
    yield from _host(browser, publisher)


@pytest.fixture
def phone_host(browser: Browser, publisher: str) -> Iterator[Host]:
    yield from _host(
        browser, publisher, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )


def test_a_reader_rates_posts_replies_votes_edits_deletes_and_subscribes_on_the_publishers_page(
    host: Host, live_server: LiveServer
) -> None:
    page = host.open(PUBLISHER_PAGE)
    host.box()
    box = page.locator(BOX)
    expect(box.locator(".rj-rating-count")).to_have_text("1 vote")

    box.locator(".rj-star").nth(4).click()
    expect(box.locator(".rj-rating-count")).to_have_text("2 votes")

    form = box.locator("#rj-form-top")
    form.locator("textarea[name=body]").fill("Posted from the newspaper's own page.")
    form.locator("input[name=name]").fill("Host Reader")
    form.locator("button[type=submit]").click()
    posted = box.locator(".rj-comment.rj-new").first
    expect(posted).to_contain_text("Posted from the newspaper's own page.")
    mine = box.locator(f"#{posted.get_attribute('id')}")
    expect(box.locator(".rj-comment-total")).to_have_text("3")

    marta = box.locator(".rj-comment", has_text="Finally. The last bus").first
    marta.locator("[data-rj-reply]").first.click()
    reply = marta.locator(".rj-reply-box form")
    reply.locator("textarea[name=body]").fill("The night bus would help too.")
    reply.locator("button[type=submit]").click()
    expect(marta.locator(".rj-replies")).to_contain_text("The night bus would help too.")

    jonas = box.locator(".rj-comment", has_text="Six votes to three").first
    jonas.locator(".rj-votes button").first.click()
    expect(jonas.locator(".rj-votes button[aria-pressed=true]")).to_have_count(1)

    mine.locator("[data-rj-edit]").first.click()
    editor = mine.locator(".rj-edit-form")
    editor.locator("textarea").fill("Edited on the newspaper's page.")
    editor.locator("button[type=submit]").click()
    expect(mine).to_contain_text("Edited on the newspaper's page.")

    page.once("dialog", lambda dialog: dialog.accept())
    mine.locator("[data-rj-delete]").first.click()
    expect(box.locator(".rj-comment", has_text="Edited on the newspaper's page.")).to_have_count(0)

    notify = box.locator(".rj-notify")
    notify.locator("input[name=email]").fill("reader@example.org")
    notify.locator("button[type=submit]").click()
    expect(notify.locator(".rj-notify-result")).not_to_be_empty()

    stored = Comment.objects.filter(page__uri=PUBLISHER_PAGE)
    assert set(stored.values_list("body", flat=True)) >= {"The night bus would help too."}
    # Everything above worked without one cookie from Rejoinder's origin.
    assert [c for c in host.context.cookies() if c["domain"] == "localhost"] == []
    assert (
        page.evaluate("Object.keys(localStorage)").count(f"rejoinder-reader:{live_server.url}") == 1
    )


def test_the_first_comment_creates_the_page_and_the_list_counts_it_in_one_request(
    phone_host: Host,
) -> None:
    page = phone_host.open("/news/lighthouse-keepers.html")
    phone_host.box()
    box = page.locator(BOX)
    assert not DiscussedPage.objects.filter(uri="/news/lighthouse-keepers.html").exists()

    form = box.locator("#rj-form-top")
    form.locator("textarea[name=body]").fill("Who keeps the museum open in winter?")
    form.locator("input[name=name]").fill("Ines")
    form.locator("button[type=submit]").click()
    expect(box.locator(".rj-discussion:not([data-rj-new-page]) .rj-comment")).to_have_count(1)
    created = DiscussedPage.objects.get(uri="/news/lighthouse-keepers.html")
    assert created.title == "The last lighthouse keepers hand over the keys"
    assert created.url == f"{phone_host.origin}/news/lighthouse-keepers.html"

    counted: list[str] = []
    page.on("request", lambda r: counted.append(r.url) if "/counts?" in r.url else None)
    phone_host.open("/")
    expect(page.locator("[data-rejoinder-count='/news/harbour-ferry.html']")).to_have_text(
        "2 comments"
    )
    expect(page.locator("[data-rejoinder-count='/news/harbour-long-read.html']")).to_have_text(
        "0 comments"
    )
    expect(page.locator("[data-rejoinder-count='/news/lighthouse-keepers.html']")).to_have_text(
        "1 comment"
    )
    expect(page.locator("[data-rejoinder-stars]").first).to_have_text("★ 4.0 (1)")
    assert len(counted) == 1


def test_host_css_and_the_box_css_stay_on_their_own_side(host: Host) -> None:
    page = host.open(PUBLISHER_PAGE)
    host.box()
    post = page.locator(f"{BOX} #rj-form-top button[type=submit]")
    style = post.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).fontFamily]"
    )
    assert style[0] != "rgb(204, 0, 0)"  # the host's `button { background: #c00 !important }`
    assert "fantasy" not in style[1]
    area = page.locator(f"{BOX} #rj-form-top textarea")
    assert "cursive" not in area.evaluate("a => getComputedStyle(a).fontFamily")
    assert "Georgia" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("document.querySelectorAll('link[href*=discussion]').length") == 0


def test_a_shared_permalink_opens_the_page_of_the_thread_and_scrolls_to_the_comment(
    host: Host,
) -> None:
    site = default_site()
    site.page_size = 2
    site.save()
    discussed = DiscussedPage.objects.get(uri=PUBLISHER_PAGE)
    oldest = Comment.objects.filter(page=discussed).order_by("created_at").first()
    assert oldest is not None
    key = reader_key_from_token(issue_reader_token())
    assert key
    for n in range(4):
        post_comment(page=discussed, author=commenter_for(key), name="Eva", body=f"Later {n}.")

    page = host.open(f"{PUBLISHER_PAGE}#comment-{oldest.pk}")
    host.box()
    target = page.locator(f"{BOX} #comment-{oldest.pk}")
    expect(target).to_be_in_viewport()

    # The comment's own "Link" stays on the publisher's page.
    newest = page.locator(f"{BOX} .rj-comment").first
    expect(newest).to_have_count(1)


def test_an_origin_the_site_does_not_allow_is_told_why_and_nothing_is_shown(
    host: Host,
) -> None:
    site = default_site()
    site.allowed_origins = "https://news.example.org"
    site.save()
    page = host.open(PUBLISHER_PAGE)
    refused = page.locator(f"{BOX} .rj-embed-refused")
    expect(refused).to_contain_text("not allowed to embed discussions")
    assert any("not allowed to embed" in m for m in host.console)
    host.console.clear()  # the refusal was the point here


def test_mounting_and_unmounting_a_hundred_times_leaks_no_listeners_timers_or_nodes(
    host: Host,
) -> None:
    page = host.page
    page.add_init_script(
        "(() => { const live = new Set(); const set = window.setInterval, clear = window.clearInterval;"
        " window.setInterval = (...a) => { const id = set(...a); live.add(id); return id; };"
        " window.clearInterval = (id) => { live.delete(id); clear(id); };"
        " window.liveIntervals = () => live.size; })();"
    )
    host.open(PUBLISHER_PAGE)
    host.box()
    cdp = host.context.new_cdp_session(page)

    def counters() -> dict[str, int]:
        cdp.send("HeapProfiler.collectGarbage")
        return cdp.send("Memory.getDOMCounters")

    cycle = """async (times) => {
        const el = document.querySelector('#rejoinder-thread');
        for (let i = 0; i < times; i++) {
            const ready = new Promise((done) => el.addEventListener('rejoinder:ready', done, { once: true }));
            Rejoinder.unmount(el);
            Rejoinder.mount(el, { load: 'now' });
            await ready;
        }
        Rejoinder.unmount(el);
        Rejoinder.mount(el, { load: 'now' });
        await new Promise((done) => el.addEventListener('rejoinder:ready', done, { once: true }));
        return window.liveIntervals();
    }"""
    assert page.evaluate(cycle, 5) == 1
    before = counters()
    assert page.evaluate(cycle, 100) == 1
    after = counters()

    assert after["jsEventListeners"] <= before["jsEventListeners"] + 5
    assert after["nodes"] <= before["nodes"] * 1.1 + 50
    assert page.locator(f"{BOX} .rj-discussion").count() == 1


SELECT_IN_ARTICLE = """(words) => {
    const article = document.querySelector('article');
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
        const at = node.data.indexOf(words);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        return true;
    }
    return false;
}"""


def test_a_reader_comments_on_a_passage_of_the_publishers_article_and_it_is_highlighted(
    host: Host,
) -> None:
    page = host.open(PUBLISHER_PAGE)
    host.box()
    box = page.locator(BOX)
    # Inline feedback is wired once its script has loaded (its selection button exists).
    page.locator("[data-rejoinder-skip]").wait_for(state="attached")

    assert page.evaluate(SELECT_IN_ARTICLE, "the night ferry between the old quay")
    page.get_by_role("button", name="Comment on this").click()
    form = box.locator("#rj-form-top")
    expect(form.locator(".rj-form-quote-text")).to_have_text("the night ferry between the old quay")
    expect(form.locator("textarea[name=body]")).to_be_focused()
    form.locator("textarea[name=body]").fill("Which quay: the old one by the market?")
    form.locator("input[name=name]").fill("Rui")
    form.locator("button[type=submit]").click()

    highlight = page.locator("article mark.rejoinder-passage")
    expect(highlight).to_have_text("the night ferry between the old quay")
    expect(highlight).to_have_attribute("data-rejoinder-count", "1")
    expect(form.locator(".rj-form-quote")).to_be_hidden()
    stored = Comment.objects.get(body="Which quay: the old one by the market?")
    assert stored.anchor.exact == "the night ferry between the old quay"

    # The keyboard route: the highlight is a button that opens its comments in the box.
    highlight.focus()
    page.keyboard.press("Enter")
    panel = box.locator(".rj-passage-panel")
    expect(panel.locator(".rj-panel-heading")).to_be_focused()
    expect(panel).to_contain_text("Which quay: the old one by the market?")
    panel.locator("[data-rj-panel-close]").click()
    expect(panel).to_have_count(0)
    expect(highlight).to_be_focused()

    # A reload finds the passage again in the host's text.
    page.reload()
    host.box()
    expect(page.locator("article mark.rejoinder-passage")).to_have_count(1)


def test_a_second_script_and_a_second_element_make_one_global_and_two_boxes(
    host: Host,
) -> None:
    page = host.open(PUBLISHER_PAGE)
    host.box()
    first = page.evaluate("window.Rejoinder")
    page.evaluate(
        """(src) => {
            const again = document.createElement('script');
            again.src = src;
            document.body.append(again);
            const second = document.createElement('div');
            second.id = 'second-thread';
            document.querySelector('main').append(second);
            return new Promise((done) => again.addEventListener('load', () => {
                second.addEventListener('rejoinder:ready', done, { once: true });
                Rejoinder.mount(second, { load: 'now' });
            }));
        }""",
        page.locator("script[src$='embed.js']").first.get_attribute("src"),
    )
    assert page.evaluate("window.Rejoinder") == first
    second = page.locator("#second-thread")
    form = second.locator("#rj-form-top")
    form.locator("textarea[name=body]").fill("Posted once, from the second box.")
    form.locator("input[name=name]").fill("Twice")
    form.locator("button[type=submit]").click()
    expect(second.locator(".rj-comment.rj-new")).to_have_count(1)
    assert Comment.objects.filter(body="Posted once, from the second box.").count() == 1


def test_keyboard_only_a_reader_sorts_reports_and_posts_in_the_embedded_box(host: Host) -> None:
    page = host.open(PUBLISHER_PAGE)
    host.box()
    box = page.locator(BOX)

    # Another sort opens in place: the host page stays where it is.
    box.locator("a[data-rj-sort=oldest]").focus()
    page.keyboard.press("Enter")
    expect(box.locator(".rj-comment").first).to_contain_text("Finally. The last bus")
    assert page.url.endswith(PUBLISHER_PAGE)

    jonas = box.locator(".rj-comment", has_text="Six votes to three").first
    jonas.locator("[data-rj-report]").focus()
    page.keyboard.press("Enter")
    report = jonas.locator(".rj-report-form")
    report.locator("input[name=reason]").first.focus()
    page.keyboard.press("Space")
    report.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(jonas.locator(".rj-report-done")).to_be_visible()

    area = box.locator("#rj-form-top textarea[name=body]")
    area.focus()
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    page.keyboard.type("Keys")
    box.locator("#rj-form-top button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(box.locator(".rj-comment.rj-new")).to_contain_text("Typed without a mouse.")
    expect(box.locator(".rj-comment.rj-new .rj-comment-inner")).to_be_focused()


def test_lazily_the_box_waits_until_the_reader_scrolls_near_it(
    host: Host, live_server: LiveServer
) -> None:
    page = host.page
    page.set_viewport_size({"width": 1000, "height": 700})
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.startswith(live_server.url) else None)
    host.open("/news/harbour-long-read.html")
    page.wait_for_load_state("networkidle")
    assert [url.removeprefix(live_server.url) for url in asked] == ["/embed.js"]

    page.locator("#rejoinder-thread").scroll_into_view_if_needed()
    host.box()
    assert any("/box?" in url for url in asked)


def test_a_reader_opens_their_data_from_the_publishers_page(host: Host) -> None:
    page = host.open(PUBLISHER_PAGE)
    host.box()
    box = page.locator(BOX)
    form = box.locator("#rj-form-top")
    form.locator("textarea[name=body]").fill("Mine to take with me.")
    form.locator("input[name=name]").fill("Quilla Marsh")
    form.locator("button[type=submit]").click()
    expect(box.locator(".rj-comment.rj-new").first).to_contain_text("Mine to take with me.")

    page.reload()
    host.box()
    with host.context.expect_page() as opened:
        page.locator(BOX).get_by_role("button", name="My data").click()
    mine = opened.value
    expect(mine.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(mine.locator(".rj-my-data-facts")).to_contain_text("Quilla Marsh")
    # Our page keeps the token in our own cookie from then on.
    ours = [c["name"] for c in host.context.cookies() if c["domain"] == "localhost"]
    assert settings.REJOINDER["READER_COOKIE"] in ours
