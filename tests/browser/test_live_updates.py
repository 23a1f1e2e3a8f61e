"""Live updates in the box, against `rejoinder serve` (the streams are served by its front):
new comments wait behind a "New comments: N — show" button and never disturb the reader."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import TIMEOUT_MS, WatchedTab
from tests.servers import page_id, running_server

pytestmark = [pytest.mark.browser, pytest.mark.processes]

URI = "/live/in-the-browser/"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, int]]:
    with running_server(tmp_path, URI, RATE_LIMITS="0") as base:
        yield base, page_id(tmp_path, URI, RATE_LIMITS="0")


def _api(base: str, path: str, fields: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/api/v1/{path}",
        data=json.dumps(fields).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        answer: dict[str, object] = json.load(response)
        return answer


def _post(base: str, body: str, parent: int | None = None) -> int:
    fields = {"uri": URI, "name": "Bruno", "body": body, **({"parent": parent} if parent else {})}
    comment = _api(base, "comments", fields)["comment"]
    assert isinstance(comment, dict)
    return int(comment["id"])


@pytest.fixture
def live_tab(browser: Browser, served: tuple[str, int]) -> Iterator[Page]:
    context = browser.new_context(base_url=served[0])
    context.set_default_timeout(TIMEOUT_MS)
    tab = WatchedTab(context)
    try:
        yield tab.page
        tab.assert_healthy()
    finally:
        context.close()


def test_new_comments_wait_behind_a_button_and_keep_the_readers_text(
    live_tab: Page, served: tuple[str, int]
) -> None:
    base, page = served
    first = _post(base, "The first comment, there before the reader came.")
    live_tab.goto(f"/discussion/{page}/")
    box = live_tab.locator("#comments")
    expect(box).to_have_class(re.compile(r"\brj-js\b"))
    draft = box.locator("#rj-form-top textarea")
    draft.fill("Half a thought I have not sent")
    live_tab.evaluate("() => { window.__rjMarker = 1; }")

    reply = _post(base, "A reply that arrives while the reader writes.", parent=first)
    newer = _post(base, "A new comment that arrives while the reader writes.")
    button = box.get_by_role("button", name="New comments: 2 — show")
    expect(button).to_be_visible()
    expect(box.locator(".rj-live[aria-live='polite']")).to_contain_text("New comments: 2")
    # Counted at once, shown only when asked; the draft and the focus stay where they were.
    expect(box.locator(".rj-comment-total")).to_have_text("3")
    expect(box.locator(f"#comment-{newer}")).to_have_count(0)
    expect(box.locator(f"#comment-{reply}")).to_have_count(0)
    expect(draft).to_have_value("Half a thought I have not sent")
    expect(draft).to_be_focused()

    button.click()
    expect(box.locator(f"#comment-{first} > .rj-replies > #comment-{reply}")).to_be_visible()
    expect(box.locator(f".rj-thread > #comment-{newer}")).to_be_visible()
    expect(button).to_be_hidden()
    expect(draft).to_have_value("Half a thought I have not sent")
    assert live_tab.evaluate("() => window.__rjMarker") == 1, "the page reloaded"
    # What came in works like the rest: the reader can vote on it in place.
    inner = box.locator(f"#comment-{newer} > .rj-comment-inner")
    inner.get_by_role("button", name=re.compile("^Upvote")).click()
    expect(inner.locator(".rj-up")).to_have_attribute("aria-pressed", "true")
    expect(inner.locator(".rj-up .rj-count")).to_have_text("1")


def test_votes_and_edits_change_in_place_and_an_open_reply_form_stays(
    live_tab: Page, served: tuple[str, int]
) -> None:
    base, page = served
    first = _post(base, "A comment readers will vote on.")
    live_tab.goto(f"/discussion/{page}/")
    box = live_tab.locator("#comments")
    expect(box).to_have_class(re.compile(r"\brj-js\b"))
    item = box.locator(f"#comment-{first}")
    item.get_by_role("link", name="Reply").click()
    reply = item.locator(".rj-reply-box textarea")
    reply.fill("My unsent reply")

    _api(base, f"comments/{first}/vote", {"value": 1})  # another reader (no cookie)
    up = item.locator(":scope > .rj-comment-inner .rj-up")
    expect(up.locator(".rj-count")).to_have_text("1")
    expect(up).to_have_attribute("aria-label", re.compile("1 vote"))
    expect(up).to_have_attribute("aria-pressed", "false")  # not this reader's vote
    expect(reply).to_have_value("My unsent reply")
    expect(reply).to_be_focused()
