"""Small steps the browser tests share: open an article, mark the document, find a comment,
check accessibility with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article

SeedComments = Callable[..., list[Comment]]


def open_article(tab: Page, article: Article, query: str = "", *, scripted: bool = True) -> Locator:
    """Open the article and return its discussion box, once discussion.js has enhanced it.

    Pass `scripted=False` for a tab with JavaScript off, where the box stays plain HTML.
    """
    tab.goto(article.get_absolute_url() + query)
    box = tab.locator("#comments")
    if scripted:
        expect(box).to_have_class(re.compile(r"\brj-js\b"))
    else:
        expect(box).to_be_visible()
    return box


def mark_document(tab: Page) -> None:
    """Put a marker on the window; it survives only as long as the page is not reloaded."""
    tab.evaluate("() => { window.__rjMarker = 1; }")


def assert_same_document(tab: Page) -> None:
    assert tab.evaluate("() => window.__rjMarker") == 1, "the page navigated or reloaded"


def comment_item(box: Locator, comment: Comment | int) -> Locator:
    pk = comment if isinstance(comment, int) else comment.pk
    return box.locator(f"#comment-{pk}")


def own_inner(item: Locator) -> Locator:
    """Return a comment's own header, body and footer (not its replies')."""
    return item.locator(":scope > .rj-comment-inner")


def top_level_bodies(box: Locator) -> Locator:
    return box.locator(".rj-thread > .rj-comment > .rj-comment-inner .rj-body")


def post_comment_in_box(box: Locator, body: str, *, name: str = "Ana") -> None:
    form = box.locator("#rj-form-top")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Write a comment").fill(body)
    form.get_by_role("button", name="Post", exact=True).click()


def posted_item(box: Locator, body: str) -> Locator:
    """Return the comment item whose own body reads `body` (once it is on the page), by its id."""
    own_body = box.page.locator(":scope > .rj-comment-inner .rj-body", has_text=body)
    item = box.locator(".rj-comment").filter(has=own_body)
    expect(item).to_have_count(1)
    return box.locator(f"#{item.get_attribute('id')}")


def tab_until(tab: Page, target: Locator, *, most: int = 40) -> int:
    """Press Tab until `target` has focus; return how many presses it took."""
    for presses in range(1, most + 1):
        tab.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{target} was not reached with {most} presses of Tab")


AXE_SCRIPT = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
LANDMARK_RULES = re.compile(r"^(landmark-|region$)")


def axe_findings(tab: Page) -> list[dict[str, object]]:
    """Run axe-core on the page as it is now; return every violation with its impact, help and
    first offending elements."""
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"axe-core is not installed at {AXE_SCRIPT}: run `make test-deps` "
            "(it runs `npm ci --prefix tests/browser`).",
            pytrace=False,
        )
    # Evaluated through the DevTools protocol, so the page's CSP does not stop it.
    tab.evaluate(AXE_SCRIPT.read_text())
    findings: list[dict[str, object]] = tab.evaluate(
        """async () => (await axe.run(document)).violations.map((v) => ({
             id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.slice(0, 3).map((n) => n.html.slice(0, 160)),
           }))"""
    )
    return findings


def describe(finding: dict[str, object]) -> str:
    return f"{finding['id']} ({finding['impact']}): {finding['help']} — {finding['nodes']}"


# Moderate and minor findings of every audited state, printed at the end of the run
# (tests/browser/conftest.py) and answered in docs/accessibility.md.
LESSER_FINDINGS: dict[str, list[str]] = {}


def accessibility_problems(tab: Page, *, state: str = "") -> list[str]:
    """Run axe-core on the page as it is now; describe its serious, critical and landmark findings.

    Serious and critical violations, and any about landmarks (which axe rates moderate), each
    as "rule (impact): help — the first offending elements". The other moderate and minor
    findings are kept under `state` (when given) for the run's summary.
    """
    findings = axe_findings(tab)
    problems = [
        describe(v)
        for v in findings
        if v["impact"] in ("serious", "critical") or LANDMARK_RULES.match(str(v["id"]))
    ]
    if state:
        LESSER_FINDINGS[state] = [describe(v) for v in findings if describe(v) not in problems]
    return problems
