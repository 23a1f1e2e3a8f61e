"""Subscribing from the discussion box's "Notify of" form, with and without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from tests.browser.helpers import assert_same_document, mark_document, open_article

from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Article
from rejoinder.subscriptions.models import Subscription


def test_subscribing_in_place_asks_to_confirm_by_mail(tab: Page, article: Article) -> None:
    box = open_article(tab, article)
    mark_document(tab)
    form = box.locator("form.rj-notify")
    form.get_by_label("Notify of").select_option("replies")
    form.get_by_label("Email").fill("ana@example.org")
    form.get_by_role("button", name="Subscribe").click()

    expect(form.locator(".rj-notify-result")).to_contain_text("Check the inbox of ana@example.org")
    assert_same_document(tab)
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.kind, subscription.is_active) == (
        "ana@example.org",
        "replies",
        False,
    )
    mail = OutboxMail.objects.get()
    assert (mail.to_address, mail.kind) == ("ana@example.org", "confirm")


def test_a_bad_address_is_explained_in_the_form(tab: Page, article: Article) -> None:
    box = open_article(tab, article)
    form = box.locator("form.rj-notify")
    form.get_by_label("Email").fill("not an address")
    form.evaluate("(f) => f.noValidate = true")
    form.get_by_role("button", name="Subscribe").click()

    expect(form.get_by_role("alert")).to_contain_text("email address is not valid")
    assert not Subscription.objects.exists()


def test_subscribing_without_javascript_shows_a_page_that_says_what_happens(
    nojs_tab: Page, article: Article
) -> None:
    box = open_article(nojs_tab, article, scripted=False)
    form = box.locator("form.rj-notify")
    form.get_by_label("Email").fill("bo@example.org")
    form.get_by_role("button", name="Subscribe").click()

    expect(nojs_tab.get_by_role("status")).to_contain_text("Check the inbox of bo@example.org")
    expect(nojs_tab.get_by_role("link", name="Back to the discussion")).to_be_visible()
    assert Subscription.objects.get().kind == "page"
