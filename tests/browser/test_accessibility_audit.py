"""axe-core on every reader and moderator page, in its main states, in the light and the dark
theme (the browser's prefers-color-scheme): the empty box, a 1,000-comment thread, a form with
errors, a reply form open, the passage panel open, Arabic, the subscription pages, the
reader's data page (with its form's errors, and after the erasure), the moderation queue with its dialogs open, the audit log and bans, and the box embedded on the
demo publisher's page. No state may have a serious or critical violation; the moderate and
minor ones are listed at the end of the run (and answered in docs/accessibility.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser import test_embedded_box as embedded
from tests.browser.conftest import _open_tab
from tests.browser.helpers import SeedComments, accessibility_problems, open_article

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.demo.content import load_content
from rejoinder.demo.loading import PUBLISHER_PAGE, load_demo
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Article
from rejoinder.subscriptions.models import Subscription
from rejoinder.subscriptions.tokens import confirm_token, unsubscribe_token

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PASSWORD = "correct horse battery staple"


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def themed_tab(
    scheme: str, browser: Browser, live_server: LiveServer, live_db: None
) -> Iterator[Page]:
    """Return a tab whose browser prefers the light or the dark theme."""
    yield from _open_tab(browser, live_server, color_scheme=scheme)


def audit(tab: Page, state: str, scheme: str) -> list[str]:
    return accessibility_problems(tab, state=f"{state} ({scheme})")


@pytest.fixture
def demo_article(live_db: None) -> Article:
    load_demo()
    return Article.objects.get(slug=load_content().article["slug"])


def test_the_empty_box(themed_tab: Page, scheme: str, article: Article) -> None:
    box = open_article(themed_tab, article)
    expect(box.locator(".rj-empty")).to_be_visible()

    assert audit(themed_tab, "empty box", scheme) == []


def test_a_thousand_comment_thread(
    themed_tab: Page, scheme: str, article: Article, other_reader: Commenter
) -> None:
    start = timezone.now() - timedelta(days=2)
    for n in range(1000):
        post_comment(
            page=article.page,
            author=other_reader,
            name=f"Reader {n % 37}",
            body=f"Comment {n}: the *bridge* and the [ferry](https://example.org/{n}).",
            parent_id=None,
            created_at=start + timedelta(seconds=n),
            moderated=False,
        )
    box = open_article(themed_tab, article)
    expect(box.locator(".rj-comment-total")).to_have_text(re.compile(r"^1,?000$"))
    top_level = box.locator(".rj-thread > .rj-comment")
    shown = top_level.count()
    box.get_by_role("link", name="Load more comments").click()
    expect(top_level).not_to_have_count(shown)

    assert audit(themed_tab, "1,000-comment thread after Load more", scheme) == []


def test_a_form_showing_its_errors_and_a_reply_form_open(
    themed_tab: Page, scheme: str, article: Article, seed_comments: SeedComments
) -> None:
    seed_comments(3)
    box = open_article(themed_tab, article)
    form = box.locator("#rj-form-top")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(form.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    box.locator(".rj-thread .rj-reply-link").first.click()
    expect(box.locator(".rj-reply-box").get_by_label("Your reply")).to_be_focused()

    assert audit(themed_tab, "form with errors, reply form open", scheme) == []


def test_the_passage_panel_open_on_the_demo_article(
    themed_tab: Page, scheme: str, demo_article: Article
) -> None:
    open_article(themed_tab, demo_article)
    themed_tab.locator("[data-rj-article-body] mark.rj-passage[id]").first.click()
    expect(themed_tab.get_by_role("dialog").locator(".rj-comment").first).to_be_visible()

    assert audit(themed_tab, "demo article, passage panel open", scheme) == []


def test_the_box_in_arabic(
    themed_tab: Page, scheme: str, article: Article, seed_comments: SeedComments
) -> None:
    site = default_site()
    site.language = "ar"
    site.save()
    [first] = seed_comments(1, name="Bruno")
    seed_comments(1, name="سارة", parent=first)
    box = open_article(themed_tab, article)
    expect(themed_tab.locator("html")).to_have_attribute("dir", "rtl")
    box.locator("#rj-form-top button[type=submit]").click()
    expect(box.locator("#rj-form-top [aria-invalid=true]").first).to_be_visible()

    assert audit(themed_tab, "Arabic box, form with errors", scheme) == []


def test_the_front_page(themed_tab: Page, scheme: str, demo_article: Article) -> None:
    themed_tab.goto("/")
    expect(themed_tab.get_by_role("heading", level=1)).to_be_visible()

    assert audit(themed_tab, "front page", scheme) == []


def test_the_subscription_pages(themed_tab: Page, scheme: str, article: Article) -> None:
    themed_tab.goto(article.get_absolute_url())
    form = themed_tab.locator("form.rj-notify")
    form.get_by_label("Email").fill("bo@example.org")
    # Sent as a plain form post: the page that answers a reader without the script.
    form.evaluate("(form) => form.submit()")
    expect(themed_tab.get_by_role("status")).to_contain_text("bo@example.org")
    assert audit(themed_tab, "subscribed page", scheme) == []

    subscription = Subscription.objects.get()
    themed_tab.goto(f"/subscriptions/confirm/{confirm_token(subscription)}/")
    expect(themed_tab.get_by_role("heading", level=1)).to_be_visible()
    assert audit(themed_tab, "subscription confirmation page", scheme) == []

    themed_tab.goto(f"/subscriptions/unsubscribe/{unsubscribe_token(subscription)}/")
    expect(themed_tab.get_by_role("heading", level=1)).to_be_visible()
    assert audit(themed_tab, "unsubscribe page", scheme) == []


def test_the_readers_data_pages(themed_tab: Page, scheme: str, article: Article) -> None:
    box = open_article(themed_tab, article)
    form = box.locator("#rj-form-top")
    form.get_by_label("Name").fill("Quilla")
    form.get_by_label("Write a comment").fill("A comment to erase.")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(box.locator(".rj-comment", has_text="A comment to erase.")).to_have_count(1)

    themed_tab.goto(f"/my-data/?page={article.page.pk}")
    expect(themed_tab.get_by_role("heading", level=1)).to_have_text("Your data")
    assert audit(themed_tab, "reader's data page", scheme) == []

    themed_tab.get_by_role("button", name="Delete my account").click()
    expect(themed_tab.get_by_role("alert").first).to_be_visible()
    assert audit(themed_tab, "reader's data page with errors", scheme) == []

    themed_tab.get_by_label("Remove the comments").check()
    themed_tab.get_by_label("I understand that this cannot be undone.").check()
    themed_tab.get_by_role("button", name="Delete my account").click()
    expect(themed_tab.get_by_role("heading", level=1)).to_have_text("Your account was deleted")
    assert audit(themed_tab, "account deleted page", scheme) == []


@pytest.fixture
def moderator(article: Article) -> Any:
    user = get_user_model().objects.create_user("editor", password=PASSWORD)
    ModeratorRole.objects.create(user=user, site=article.page.site, role="moderator")
    return user


def test_the_moderation_pages_with_their_dialogs_open(
    themed_tab: Page, scheme: str, article: Article, moderator: Any, other_reader: Commenter
) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    for n, name in enumerate(["Bruno", "سارة", "Dora"]):
        post_comment(page=article.page, author=other_reader, name=name, body=f"Held {n}.")
    assert Comment.objects.filter(status="pending").count() == 3

    themed_tab.goto("/moderation/")
    assert audit(themed_tab, "moderators' sign-in page", scheme) == []
    themed_tab.get_by_label("Username").fill(moderator.username)
    themed_tab.get_by_label("Password").fill(PASSWORD)
    themed_tab.get_by_role("button", name="Sign in").click()
    expect(themed_tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))
    expect(themed_tab.locator(".rj-mod-list > .rj-mod-item")).to_have_count(3)
    assert audit(themed_tab, "pending queue", scheme) == []

    themed_tab.locator(".rj-mod-item").first.get_by_role("link", name="Ban").click()
    dialog = themed_tab.get_by_role("dialog", name=re.compile("^Ban"))
    expect(dialog).to_be_visible()
    assert audit(themed_tab, "pending queue, ban dialog open", scheme) == []
    dialog.get_by_role("button", name="Cancel").click()

    themed_tab.get_by_role("button", name=re.compile("Keyboard shortcuts")).click()
    expect(themed_tab.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    assert audit(themed_tab, "pending queue, shortcuts dialog open", scheme) == []
    themed_tab.keyboard.press("Escape")

    themed_tab.locator(".rj-mod-item").first.get_by_role("button", name="Approve").click()
    expect(themed_tab.locator(".rj-mod-toasts")).not_to_be_empty()
    assert audit(themed_tab, "pending queue after an action (toast shown)", scheme) == []

    for link in ("Audit log", "Bans"):
        themed_tab.get_by_role("link", name=link).click()
        expect(themed_tab.get_by_role("heading", level=1)).to_be_visible()
        assert audit(themed_tab, f"moderation: {link.lower()}", scheme) == []


@pytest.fixture
def themed_host(scheme: str, browser: Browser, publisher: str) -> Iterator[embedded.Host]:
    yield from embedded._host(browser, publisher, color_scheme=scheme)


publisher = embedded.publisher


def test_the_box_embedded_on_the_publishers_page(themed_host: embedded.Host, scheme: str) -> None:
    themed_host.open(PUBLISHER_PAGE)
    page = themed_host.box()
    box = page.locator(embedded.BOX)
    box.locator(".rj-reply-link").first.click()
    expect(box.locator(".rj-reply-box textarea")).to_be_focused()

    before = len(themed_host.console)
    assert audit(page, "embedded box on the publisher's page, reply form open", scheme) == []
    # axe-core sets inline styles while it measures, which the publisher's CSP refuses (and the
    # console says so); those refusals are axe's own, not the box's.
    axe_own = themed_host.console[before:]
    assert all(m.startswith("Applying inline style violates") for m in axe_own), axe_own
    del themed_host.console[before:]
