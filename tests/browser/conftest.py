"""Headless Chromium against the live server: one browser per session, a fresh context per test.

Once started, Playwright's sync API keeps an asyncio loop running in the main thread, and Django
then refuses ORM calls from that thread (SynchronousOnlyOperation). The tests seed data there
between browser calls, never during one, so the guard is relaxed; the browser lives for the
whole session, hence so does the setting.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.browser.helpers import SeedComments

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every wait is on a condition, so this only bounds a broken one; it is generous because the
# whole suite shares two cores with the live server, PostgreSQL and Chromium.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def live_db(transactional_db: None, django_db_serialized_rollback: None) -> None:
    """Give the live server committed data, restoring the migrations' rows (the default Site)."""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need it. Run "
            "`make test-deps` as root, or install Debian's chromium package.",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


class WatchedTab:
    """A browser tab on the live server that records script errors and server failures."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page = context.new_page()
        self.script_errors: list[str] = []
        self.server_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        self.page.on("requestfinished", self._check_status)

    def _check_status(self, request: Request) -> None:
        response = request.response()
        if response is not None and response.status >= 500:
            self.server_errors.append(f"{request.method} {request.url} -> {response.status}")

    def assert_healthy(self) -> None:
        assert self.script_errors == [], "the page raised script errors"
        assert self.server_errors == [], "the server answered 5xx"


def _open_tab(browser: Browser, live_server: LiveServer, **options: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    tab = WatchedTab(context)
    try:
        yield tab.page
        tab.assert_healthy()
    finally:
        context.close()


@pytest.fixture
def tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    """Return a tab with JavaScript on (the default reader)."""
    yield from _open_tab(browser, live_server)


@pytest.fixture
def nojs_tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    """Return a tab with JavaScript off: every action is a plain form post and a redirect."""
    yield from _open_tab(browser, live_server, java_script_enabled=False)


@pytest.fixture
def phone_tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    """Return a tab the size of a small phone."""
    yield from _open_tab(
        browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )


@pytest.fixture
def rate_limits_off(settings: Settings) -> None:
    """Let one reader post as often as a journey needs."""
    settings.REJOINDER = {**settings.REJOINDER, "RATE_LIMITS_ENABLED": False}


@pytest.fixture
def article(live_db: None) -> Article:
    return save_article(
        Article(
            slug="harbour-bridge-reopens",
            headline="Harbour bridge reopens after two years of repairs",
            body="The bridge carries **40,000** cars a day.\n\nCyclists get a lane of their own.",
            author_name="Rosa Lima",
        )
    )


@pytest.fixture
def other_reader(live_db: None) -> Commenter:
    """Return a reader who is not the browser, to write comments the browser can vote on."""
    key = reader_key_from_token(issue_reader_token())
    assert key
    return commenter_for(key)


@pytest.fixture
def seed_comments(article: Article, other_reader: Commenter) -> SeedComments:
    """Return a function that publishes comments by another reader, a minute apart, oldest first.

    Numbering continues across calls, so bodies stay unique within a test.
    """
    numbers = count(1)
    start = timezone.now() - timedelta(hours=2)

    def seed(how_many: int, *, name: str = "Bruno", parent: Comment | None = None) -> list[Comment]:
        made = []
        for _ in range(how_many):
            n = next(numbers)
            made.append(
                post_comment(
                    page=article.page,
                    author=other_reader,
                    name=name,
                    body=f"Seeded comment number {n}.",
                    parent_id=parent.pk if parent else None,
                    created_at=start + timedelta(minutes=n),
                    moderated=False,
                )
            )
        return made

    return seed


@pytest.fixture(scope="session", autouse=True)
def _static_files_for_other_origins() -> Iterator[None]:
    """Serve the live server's static files as WhiteNoise does under `rejoinder serve` (checked
    in tests/config/test_served_files.py): to any origin, so that a publisher's page on another
    origin can import the box's modules. The live server uses Django's own static handler."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    original = StaticFilesHandler.serve

    def serve(self: StaticFilesHandler, request: Any) -> Any:
        response = original(self, request)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    StaticFilesHandler.serve = serve  # type: ignore[method-assign]
    yield
    StaticFilesHandler.serve = original  # type: ignore[method-assign]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List the moderate and minor axe-core findings of the audited states (none fail a test;
    each is fixed or justified in docs/accessibility.md)."""
    from tests.browser.helpers import LESSER_FINDINGS

    if not LESSER_FINDINGS:
        return
    terminalreporter.section("axe-core: moderate and minor findings")
    for state, findings in sorted(LESSER_FINDINGS.items()):
        terminalreporter.write_line(f"{state}: {'; '.join(findings) if findings else 'none'}")
