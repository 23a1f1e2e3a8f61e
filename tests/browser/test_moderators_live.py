"""Two moderators on one queue, against `rejoinder serve` (its front serves the site's stream):
what one handles leaves the other's list at once, with a note of who did what."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import TIMEOUT_MS, WatchedTab
from tests.servers import running_server, server_env

pytestmark = [pytest.mark.browser, pytest.mark.processes]

URI = "/live/moderators/"
PASSWORD = "correct horse battery staple"
SETUP = f"""
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")  # as the server
django.setup()
from django.contrib.auth import get_user_model
from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.posting import post_comment
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.pages.lookup import default_site, find_page
site = default_site()
for name in ("ana", "bea"):
    user = get_user_model().objects.create_user(name, password={PASSWORD!r})
    ModeratorRole.objects.create(user=user, site=site, role="moderator")
rules = settings_for(site)
rules.mode = "pre"
rules.save()
page = find_page(None, {URI!r})
held = []
for n in range(3):
    author = commenter_for(reader_key_from_token(issue_reader_token()))
    held.append(post_comment(page=page, author=author, name="Bruno", body=f"Held comment {{n}}").pk)
print(json.dumps(held))
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    with running_server(tmp_path, URI, RATE_LIMITS="0") as base:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", SETUP],
            env=server_env(tmp_path, RATE_LIMITS="0"),
            check=True,
            capture_output=True,
            text=True,
        )
        yield base, json.loads(done.stdout)


def _moderator(browser: Browser, base: str, name: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base)
    context.set_default_timeout(TIMEOUT_MS)
    tab = WatchedTab(context)
    try:
        page = tab.page
        page.goto("/moderation/sign-in/?next=/moderation/")
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/moderation/\d+/queue/pending/$"))
        expect(page.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))
        yield page
        tab.assert_healthy()
    finally:
        context.close()


@pytest.fixture
def ana(browser: Browser, served: tuple[str, list[int]]) -> Iterator[Page]:
    yield from _moderator(browser, served[0], "ana")


@pytest.fixture
def bea(browser: Browser, served: tuple[str, list[int]]) -> Iterator[Page]:
    yield from _moderator(browser, served[0], "bea")


def test_what_one_moderator_handles_leaves_the_others_list_with_who_did_what(
    ana: Page, bea: Page, served: tuple[str, list[int]]
) -> None:
    _base, held = served
    for tab in (ana, bea):
        expect(tab.locator(".rj-mod-list > .rj-mod-item")).to_have_count(3)
    bea.evaluate("() => { window.__rjMarker = 1; }")
    # Bea is at work on the newest comment when Ana removes the one beside it.
    bea.locator(f"#mod-item-{held[2]}").focus()

    ana.locator(f"#mod-item-{held[1]}").get_by_role("button", name="Remove").click()

    expect(ana.locator(".rj-mod-toasts")).to_contain_text("Removed 1 comment.")
    note = bea.locator(".rj-mod-list > .rj-mod-handled")
    expect(note).to_have_text("Handled by ana: removed")
    expect(bea.locator(f"#mod-item-{held[1]}")).to_have_count(0)
    expect(bea.locator(".rj-mod-list > .rj-mod-item")).to_have_count(2)
    expect(bea.locator(f"#mod-item-{held[2]}")).to_be_focused()  # her place is kept
    expect(bea.locator("[data-rj-count=pending]")).to_have_text("2")
    # Ana's own list shows her toast, not a note about herself.
    expect(ana.locator(".rj-mod-handled")).to_have_count(0)

    # Ana approves the comment Bea has the focus on: the focus moves to the next one.
    ana.locator(f"#mod-item-{held[2]}").get_by_role("button", name="Approve").click()
    expect(bea.locator(".rj-mod-list > .rj-mod-handled").nth(0)).to_have_text(
        "Handled by ana: approved"
    )
    expect(bea.locator(f"#mod-item-{held[0]}")).to_be_focused()
    assert bea.evaluate("() => window.__rjMarker") == 1  # no reload on the way
