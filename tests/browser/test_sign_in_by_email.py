"""Signing in by email from the box, with JavaScript off: ask, open the mailed link, press."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.browser.helpers import accessibility_problems, open_article

from rejoinder.accounts.models import Account, SignInSettings
from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Article


def test_a_reader_signs_in_by_email_without_javascript(nojs_tab: Page, article: Article) -> None:
    SignInSettings.objects.create(site=article.page.site, email_sign_in=True)
    box = open_article(nojs_tab, article, scripted=False)
    box.get_by_text("Sign in by email").click()  # the disclosure opens the form
    box.locator(".rj-sign-in").get_by_label("Email").fill("ana@example.org")
    box.get_by_role("button", name="Send me a sign-in link").click()

    expect(nojs_tab.get_by_role("status")).to_contain_text(
        "We sent a sign-in link to ana@example.org"
    )
    assert not Account.objects.exists()
    text = OutboxMail.objects.get(kind="sign_in").text_body
    path = re.search(r"https?://[^/\s]+(/sign-in/email/[^/\s]+/)", text).group(1)  # type: ignore[union-attr]

    nojs_tab.goto(path)
    nojs_tab.get_by_label("Name shown beside your comments").fill("Ana")
    nojs_tab.get_by_role("button", name="Sign in").click()

    expect(nojs_tab.locator("#comments .rj-sign-in")).to_contain_text("Signed in as Ana")
    assert nojs_tab.url.endswith(article.get_absolute_url())
    assert Account.objects.get().email_verified

    nojs_tab.goto(path)  # used: the page says so and offers a new link
    expect(nojs_tab.get_by_role("alert")).to_contain_text("used already")
    expect(nojs_tab.get_by_role("link", name="Ask for a new sign-in link")).to_be_visible()


def test_the_sign_in_pages_pass_axe(tab: Page, article: Article) -> None:
    SignInSettings.objects.create(site=article.page.site, email_sign_in=True)
    site = article.page.site.pk
    tab.goto(f"/sign-in/email?site={site}&next={article.get_absolute_url()}")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Sign in by email")
    assert accessibility_problems(tab, state="sign-in by email page") == []
    tab.get_by_role("textbox", name="Email").fill("bo@example.org")
    tab.get_by_role("button", name="Send me a sign-in link").click()
    expect(tab.get_by_role("status")).to_contain_text("bo@example.org")
    assert accessibility_problems(tab, state="sign-in link sent") == []
    text = OutboxMail.objects.get(kind="sign_in").text_body
    path = re.search(r"https?://[^/\s]+(/sign-in/email/[^/\s]+/)", text).group(1)  # type: ignore[union-attr]
    tab.goto(path)
    expect(tab.get_by_role("button", name="Sign in")).to_be_visible()
    assert accessibility_problems(tab, state="sign-in link page") == []
    tab.goto("/sign-in/email/not-a-link/")
    expect(tab.get_by_role("alert")).to_contain_text("not valid")
    assert accessibility_problems(tab, state="refused sign-in link") == []
