"""A signed-in reader is mentioned by another; the bell in the box says so, opens the list in
place, leads to the comment, and "Mark all read" clears the count."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser.helpers import open_article, post_comment_in_box

from rejoinder.accounts.models import Account
from rejoinder.accounts.sessions import open_session
from rejoinder.comments.identity import ACCOUNT_KEY_PREFIX
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.notices.models import Notice
from rejoinder.pages.models import Article


def test_a_mention_rings_the_bell_and_mark_all_read_clears_it(
    tab: Page, browser: Browser, live_server: LiveServer, article: Article
) -> None:
    commenter = Commenter.objects.create(
        reader_key=ACCOUNT_KEY_PREFIX + secrets.token_urlsafe(24), display_name="Ana"
    )
    ana = Account.objects.create(site=article.page.site, commenter=commenter, display_name="Ana")
    post_comment(page=article.page, author=commenter, name="Ana", body="The lane is too narrow.")
    tab.context.add_cookies(
        [
            {
                "name": settings.REJOINDER["READER_COOKIE"],
                "value": open_session(ana, provider="sso"),
                "url": live_server.url,
            }
        ]
    )
    box = open_article(tab, article)
    bell = box.get_by_role("button", name="Notices, 0 unread")
    expect(bell).to_have_attribute("aria-expanded", "false")

    # Bruno, in a browser of his own, answers Ana by name.
    other = browser.new_context(base_url=live_server.url)
    try:
        bruno = other.new_page()
        theirs = open_article(bruno, article)
        post_comment_in_box(theirs, "@Ana it is wide enough for two bikes.", name="Bruno")
        mention = theirs.get_by_role("link", name="@Ana")
        expect(mention).to_be_visible()
    finally:
        other.close()
    reply = Comment.objects.get(author_name="Bruno")
    assert Notice.objects.filter(recipient=commenter, comment=reply).exists()

    box = open_article(tab, article)
    bell = box.get_by_role("button", name="Notices, 1 unread")
    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    popover = box.locator(".rj-notices-popover")
    link = popover.get_by_role("link", name="Bruno mentioned you on")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", re.compile(rf"#comment-{reply.pk}$"))

    tab.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(bell).to_be_focused()
    expect(bell).to_have_attribute("aria-expanded", "false")

    bell.click()
    popover.get_by_role("button", name="Mark all read").click()
    expect(box.get_by_role("button", name="Notices, none unread")).to_be_visible()
    expect(popover.locator(".rj-notice-unread")).to_have_count(0)
    assert Notice.objects.get(comment=reply).read_at is not None

    popover.get_by_role("link", name="Bruno mentioned you on").click()
    expect(tab.locator(f"#comment-{reply.pk}")).to_contain_text("it is wide enough for two bikes")
    box = open_article(tab, article)
    expect(box.get_by_role("button", name="Notices, 0 unread")).to_be_visible()
