"""A reader reports a comment, with and without JavaScript; enough reports hide it for review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser.conftest import _open_tab
from tests.browser.helpers import (
    SeedComments,
    assert_same_document,
    comment_item,
    mark_document,
    open_article,
    own_inner,
)

from rejoinder.moderation.models import Flag, ModeratorRole, settings_for
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def mod_tab(browser: Browser, live_server: LiveServer, live_db: None) -> Iterator[Page]:
    yield from _open_tab(browser, live_server)


def hide_after_one_flag(article: Article) -> None:
    rules = settings_for(article.page.site)
    rules.flags_to_hide = 1
    rules.save()


def test_a_reader_reports_a_comment_in_place_and_cannot_report_it_twice(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    (comment,) = seed_comments(1)
    box = open_article(tab, article)
    mark_document(tab)
    item = comment_item(box, comment)

    own_inner(item).get_by_role("link", name="Report the comment by Bruno").click()
    form = item.locator(".rj-report-form")
    expect(form.get_by_label("Spam or advertising")).to_be_focused()
    form.get_by_label("Abusive or hateful").check()
    form.get_by_label("Anything to add? (optional)").fill("Name-calling.")
    form.get_by_role("button", name="Send report").click()

    expect(item.locator(".rj-report-done")).to_have_text("Thanks, a moderator will review it.")
    expect(item.locator(".rj-report-done")).to_be_focused()
    expect(own_inner(item).get_by_role("link", name=re.compile("^Report"))).to_have_count(0)
    flag = Flag.objects.get()
    assert (flag.comment_id, flag.reason, flag.note) == (comment.pk, "abuse", "Name-calling.")
    assert_same_document(tab)

    box = open_article(tab, article)
    item = comment_item(box, comment)
    own_inner(item).get_by_role("link", name=re.compile("^Report")).click()
    form = item.locator(".rj-report-form")
    form.get_by_label("Off-topic").check()
    form.get_by_role("button", name="Send report").click()

    expect(form.locator(".rj-form-error")).to_have_text("You have already flagged this comment.")
    assert Flag.objects.count() == 1


def test_the_report_form_can_be_cancelled(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    (comment,) = seed_comments(1)
    item = comment_item(open_article(tab, article), comment)
    link = own_inner(item).get_by_role("link", name=re.compile("^Report"))

    link.click()
    item.locator(".rj-report-form").get_by_role("button", name="Cancel").click()

    expect(item.locator(".rj-report-form")).to_have_count(0)
    expect(link).to_be_focused()
    assert not Flag.objects.exists()


def test_without_js_a_reader_reports_through_a_page_of_its_own(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    (comment,) = seed_comments(1)
    box = open_article(nojs_tab, article, scripted=False)

    own_inner(comment_item(box, comment)).get_by_role("link", name=re.compile("^Report")).click()
    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Report a comment")
    expect(nojs_tab.get_by_role("button", name="Cancel")).to_be_hidden()
    nojs_tab.get_by_label("Off-topic").check()
    nojs_tab.get_by_role("button", name="Send report").click()

    expect(nojs_tab).to_have_url(re.compile(r"/report\?sent=1$"))
    expect(nojs_tab.get_by_role("status")).to_have_text("Thanks, a moderator will review it.")
    assert Flag.objects.get().reason == "off-topic"


def test_a_reported_comment_leaves_the_thread_and_waits_in_the_flagged_queue(
    tab: Page, mod_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    hide_after_one_flag(article)
    kept, reported = seed_comments(2)
    box = open_article(tab, article)
    item = comment_item(box, reported)
    own_inner(item).get_by_role("link", name=re.compile("^Report")).click()
    item.get_by_label("Spam or advertising").check()
    item.get_by_role("button", name="Send report").click()
    expect(item.locator(".rj-report-done")).to_be_visible()

    box = open_article(tab, article)
    expect(comment_item(box, reported)).to_have_count(0)
    expect(comment_item(box, kept)).to_be_visible()

    user: Any = get_user_model().objects.create_user("desk", password=PASSWORD)
    ModeratorRole.objects.create(user=user, site=article.page.site)
    mod_tab.goto("/moderation/")
    mod_tab.get_by_label("Username").fill("desk")
    mod_tab.get_by_label("Password").fill(PASSWORD)
    mod_tab.get_by_role("button", name="Sign in").click()
    flagged = mod_tab.get_by_role("link", name=re.compile("^Flagged by readers"))
    expect(flagged.locator("[data-rj-count]")).to_have_text("1")
    flagged.click()

    queued = mod_tab.locator(f"#mod-item-{reported.pk}")
    expect(queued).to_contain_text(reported.body)
    expect(queued.locator(".rj-mod-reasons")).to_contain_text("Spam")
    expect(mod_tab.locator(f"#mod-item-{kept.pk}")).to_have_count(0)
