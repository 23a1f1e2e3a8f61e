"""A moderator at work on the moderation page, with JavaScript: keys, counts, dialogs, undo."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.browser.conftest import _open_tab
from tests.browser.helpers import assert_same_document, mark_document, open_article

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.comments.posting import post_comment
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def fast_counts(settings: Settings) -> None:
    """Poll the queue counts every second, so a test sees a change soon after it happens."""
    settings.REJOINDER = {**settings.REJOINDER, "MODERATION_POLL_SECONDS": 1}


@pytest.fixture
def moderator(article: Article) -> Any:
    """Return an account with the Moderator role for the article's site and no admin access."""
    user = get_user_model().objects.create_user("editor", password=PASSWORD)  # no admin access
    ModeratorRole.objects.create(user=user, site=article.page.site, role="moderator")
    return user


@pytest.fixture
def mod_tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    """Return a second browser, for the moderator, beside the reader's `tab`."""
    yield from _open_tab(browser, live_server)


@pytest.fixture
def bystander_tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    """Return a third browser: a reader who has never written anything."""
    yield from _open_tab(browser, live_server)


def premoderate(article: Article) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()


def hold(article: Article, body: str, name: str = "Bruno") -> Comment:
    """Post a comment through the moderated path as a new reader; premoderation holds it."""
    key = reader_key_from_token(issue_reader_token())
    assert key
    return post_comment(page=article.page, author=commenter_for(key), name=name, body=body)


def sign_in(tab: Page, moderator: Any) -> None:
    """Sign in through the moderators' sign-in page, coming from the moderation page."""
    tab.goto("/moderation/")
    expect(tab).to_have_url(re.compile(r"/moderation/sign-in/\?next=/moderation/$"))
    tab.get_by_label("Username").fill(moderator.username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(re.compile(r"/moderation/\d+/queue/pending/$"))
    expect(tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))


def items(tab: Page) -> Locator:
    return tab.locator(".rj-mod-list > .rj-mod-item")


def item_of(tab: Page, comment: Comment) -> Locator:
    return tab.locator(f"#mod-item-{comment.pk}")


def count_badge(tab: Page, queue: str) -> Locator:
    return tab.locator(f"[data-rj-count={queue}]")


def status_of(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_a_moderator_works_through_the_pending_queue_with_the_keyboard(
    mod_tab: Page, article: Article, moderator: Any
) -> None:
    premoderate(article)
    oldest = hold(article, "First held comment.")
    middle = hold(article, "Second held comment.")
    newest = hold(article, "Third held comment.")

    sign_in(mod_tab, moderator)
    mark_document(mod_tab)

    expect(items(mod_tab)).to_have_count(3)
    expect(count_badge(mod_tab, "pending")).to_have_text("3")
    mod_tab.keyboard.press("j")
    expect(item_of(mod_tab, newest)).to_be_focused()
    mod_tab.keyboard.press("j")
    expect(item_of(mod_tab, middle)).to_be_focused()
    mod_tab.keyboard.press("k")
    expect(item_of(mod_tab, newest)).to_be_focused()

    mod_tab.keyboard.press("a")

    expect(item_of(mod_tab, newest)).to_have_count(0)
    expect(item_of(mod_tab, middle)).to_be_focused()
    expect(count_badge(mod_tab, "pending")).to_have_text("2")
    expect(mod_tab.locator(".rj-mod-toasts")).to_contain_text("Approved 1 comment.")
    assert status_of(newest) == CommentStatus.PUBLISHED

    mod_tab.keyboard.press("r")

    expect(item_of(mod_tab, middle)).to_have_count(0)
    expect(item_of(mod_tab, oldest)).to_be_focused()
    assert status_of(middle) == CommentStatus.REMOVED

    mod_tab.keyboard.press("s")

    expect(items(mod_tab)).to_have_count(0)
    expect(mod_tab.locator(".rj-mod-empty")).to_be_visible()
    expect(count_badge(mod_tab, "pending")).to_have_text("0")
    assert status_of(oldest) == CommentStatus.SPAM

    mod_tab.locator(".rj-mod-toasts").get_by_role("button", name="Undo").click()

    expect(item_of(mod_tab, oldest)).to_be_visible()
    expect(count_badge(mod_tab, "pending")).to_have_text("1")
    assert status_of(oldest) == CommentStatus.PENDING
    assert_same_document(mod_tab)


def test_shortcuts_are_off_while_typing_and_the_help_lists_them(
    mod_tab: Page, article: Article, moderator: Any
) -> None:
    premoderate(article)
    held = hold(article, "Held while someone types.")
    sign_in(mod_tab, moderator)

    mod_tab.keyboard.press("j")
    mod_tab.keyboard.press("b")
    dialog = mod_tab.get_by_role("dialog", name=re.compile("Ban"))
    expect(dialog).to_be_visible()
    reason = dialog.get_by_label("Reason (for the log)")
    reason.fill("as")  # "a" and "s" typed into a field do nothing to the queue
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert status_of(held) == CommentStatus.PENDING

    mod_tab.keyboard.press("x")
    expect(item_of(mod_tab, held).get_by_role("checkbox")).to_be_checked()
    mod_tab.keyboard.press("?")
    expect(mod_tab.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    expect(mod_tab.get_by_role("dialog", name="Keyboard shortcuts")).to_contain_text("Mark as spam")


def test_counts_change_without_a_reload(
    fast_counts: None, mod_tab: Page, article: Article, moderator: Any
) -> None:
    premoderate(article)
    sign_in(mod_tab, moderator)
    mark_document(mod_tab)
    expect(count_badge(mod_tab, "pending")).to_have_text("0")

    hold(article, "Arrived while the moderator looked.")
    hold(article, "And another one.")

    expect(count_badge(mod_tab, "pending")).to_have_text("2")
    expect(count_badge(mod_tab, "recent")).to_have_text("2")
    expect(mod_tab.locator(".rj-mod-announcer")).to_contain_text("2")
    assert_same_document(mod_tab)


def test_bulk_approve_with_select_all(mod_tab: Page, article: Article, moderator: Any) -> None:
    premoderate(article)
    held = [hold(article, f"Held number {n}.") for n in range(3)]
    sign_in(mod_tab, moderator)

    mod_tab.get_by_label("Select all").check()
    mod_tab.get_by_role("button", name="Approve selected").click()

    expect(items(mod_tab)).to_have_count(0)
    expect(mod_tab.locator(".rj-mod-toasts")).to_contain_text("Approved 3 comments.")
    assert [status_of(c) for c in held] == [CommentStatus.PUBLISHED] * 3


def test_a_shadow_ban_from_the_dialog_hides_the_readers_next_comment_from_everyone_else(
    tab: Page, mod_tab: Page, bystander_tab: Page, article: Article, moderator: Any
) -> None:
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    form.get_by_label("Name").fill("Troll")
    form.get_by_label("Write a comment").fill("You are all wrong.")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(box.locator(".rj-thread .rj-body", has_text="You are all wrong.")).to_be_visible()
    first = Comment.objects.get(body="You are all wrong.")

    sign_in(mod_tab, moderator)
    mod_tab.get_by_role("link", name=re.compile("^Recent")).click()
    item_of(mod_tab, first).get_by_role("link", name="Ban").click()
    dialog = mod_tab.get_by_role("dialog", name=re.compile("Ban Troll"))
    dialog.get_by_label("Forever").check()
    dialog.get_by_label("Shadow ban").check()
    dialog.get_by_label("Reason (for the log)").fill("Trolling")
    dialog.get_by_role("button", name="Ban", exact=True).click()

    expect(dialog).to_be_hidden()
    expect(mod_tab.locator(".rj-mod-toasts")).to_contain_text("Shadow-banned Troll for good.")

    form.get_by_label("Write a comment").fill("Nobody can stop me.")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(box.locator(".rj-body", has_text="Nobody can stop me.")).to_be_visible()
    shadowed = Comment.objects.get(body="Nobody can stop me.")
    assert shadowed.shadowed

    box = open_article(tab, article)
    expect(box.locator(".rj-body", has_text="Nobody can stop me.")).to_be_visible()
    expect(box.get_by_text("Awaiting moderation")).to_have_count(0)
    other_box = open_article(bystander_tab, article)
    expect(other_box.locator(".rj-body", has_text="You are all wrong.")).to_be_visible()
    expect(other_box.locator(".rj-body", has_text="Nobody can stop me.")).to_have_count(0)

    mod_tab.get_by_role("link", name="Bans").click()
    expect(mod_tab.get_by_role("row", name=re.compile("Troll"))).to_contain_text("Trolling")


def test_an_action_is_undone_from_the_audit_log(
    mod_tab: Page, article: Article, moderator: Any
) -> None:
    premoderate(article)
    held = hold(article, "Approve me, then think again.", name="Dora")
    sign_in(mod_tab, moderator)
    item_of(mod_tab, held).get_by_role("button", name="Approve").click()
    expect(item_of(mod_tab, held)).to_have_count(0)

    mod_tab.get_by_role("link", name="Audit log").click()
    row = mod_tab.get_by_role("row", name=re.compile("Approved"))
    expect(row).to_contain_text("editor")
    expect(row).to_contain_text("pending → published")
    row.get_by_role("button", name=re.compile("^Undo")).click()

    expect(mod_tab.locator(".rj-mod-toasts")).to_contain_text("Undone: 1 action.")
    expect(mod_tab.get_by_role("row", name=re.compile("Approved"))).to_contain_text("undone")
    assert status_of(held) == CommentStatus.PENDING


def test_without_js_actions_post_and_come_back_with_an_undo(
    nojs_tab: Page, article: Article, moderator: Any
) -> None:
    premoderate(article)
    held = hold(article, "Judge me without scripts.", name="Eve")
    nojs_tab.goto("/moderation/")
    nojs_tab.get_by_label("Username").fill(moderator.username)
    nojs_tab.get_by_label("Password").fill(PASSWORD)
    nojs_tab.get_by_role("button", name="Sign in").click()
    expect(item_of(nojs_tab, held)).to_be_visible()
    expect(nojs_tab.get_by_role("button", name="Keyboard shortcuts")).to_be_hidden()

    item_of(nojs_tab, held).get_by_role("button", name="Approve").click()

    expect(nojs_tab).to_have_url(re.compile(r"/moderation/\d+/queue/pending/$"))
    expect(nojs_tab.get_by_role("status")).to_contain_text("Approved 1 comment.")
    expect(item_of(nojs_tab, held)).to_have_count(0)
    assert status_of(held) == CommentStatus.PUBLISHED

    nojs_tab.get_by_role("status").get_by_role("button", name="Undo").click()

    expect(nojs_tab.get_by_role("status")).to_contain_text("Undone: 1 action.")
    expect(item_of(nojs_tab, held)).to_be_visible()

    item_of(nojs_tab, held).get_by_role("link", name="Ban").click()
    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Ban Eve")
    nojs_tab.get_by_label("1 day").check()
    nojs_tab.get_by_role("button", name="Ban", exact=True).click()

    expect(nojs_tab).to_have_url(re.compile(r"/moderation/\d+/queue/pending/$"))
    expect(nojs_tab.get_by_role("status")).to_contain_text("Banned Eve until")
