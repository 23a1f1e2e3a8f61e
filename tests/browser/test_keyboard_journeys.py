"""Keyboard-only journeys through the box and the moderation page: post, reply, vote, subscribe,
report, sort, Load more, comment on a passage, moderate. The focus is never lost (after posting
it is on the new comment, after closing a form or dialog on what opened it), it is always
visible, and outcomes are spoken by the page's live regions (posted, awaiting moderation,
failed and why)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect
from tests.browser.helpers import (
    SeedComments,
    comment_item,
    open_article,
    own_inner,
    posted_item,
    tab_until,
)

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.demo.content import load_content
from rejoinder.demo.loading import load_demo
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.pages.models import Article, Site

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PASSWORD = "correct horse battery staple"


def assert_focus_visible(tab: Page) -> None:
    """The focused element is not the page itself and draws a focus indicator (an outline or a
    ring of box-shadow) that the keyboard's :focus-visible turned on."""
    seen = tab.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "body";
          const style = getComputedStyle(el);
          const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
          return el.matches(":focus-visible") && (outline || style.boxShadow !== "none")
            ? "visible" : `not visible: ${el.outerHTML.slice(0, 120)}`;
        }"""
    )
    assert seen == "visible"


def type_into(tab: Page, field: Locator, text: str) -> None:
    tab_until(tab, field)
    tab.keyboard.type(text)


def test_posting_with_the_keyboard_lands_on_the_new_comment_and_says_so(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    type_into(tab, form.get_by_label("Write a comment"), "Typed, never clicked.")
    type_into(tab, form.get_by_label("Name"), "Kim")
    tab_until(tab, form.get_by_role("button", name="Post", exact=True))
    assert_focus_visible(tab)
    tab.keyboard.press("Enter")

    item = posted_item(box, "Typed, never clicked.")
    expect(own_inner(item)).to_be_focused()
    assert_focus_visible(tab)
    status = box.locator(".rj-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Your comment was posted.")


def test_a_held_comment_is_announced_as_awaiting_moderation(tab: Page, article: Article) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    type_into(tab, form.get_by_label("Write a comment"), "Please let this through.")
    type_into(tab, form.get_by_label("Name"), "Kim")
    tab.keyboard.press("Enter")  # Enter in a text field sends its form

    item = posted_item(box, "Please let this through.")
    expect(own_inner(item)).to_be_focused()
    expect(box.get_by_role("status")).to_have_text(
        "Your comment was posted. Others will see it once a moderator approves it."
    )


def test_a_post_that_fails_says_why_in_an_alert_and_keeps_the_focus_and_the_text(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    type_into(tab, form.get_by_label("Write a comment"), "Sent into a dead network.")
    type_into(tab, form.get_by_label("Name"), "Kim")
    tab.route("**/comments", lambda route: route.abort("internetdisconnected"))
    tab.keyboard.press("Enter")

    alert = form.get_by_role("alert")
    expect(alert).to_have_text("The connection failed; your text is kept. Try again.")
    expect(alert).to_have_attribute("aria-live", "assertive")
    expect(form.get_by_label("Name")).to_be_focused()
    expect(form.get_by_label("Write a comment")).to_have_value("Sent into a dead network.")

    # Empty fields: each is marked and named, the first gets the focus.
    tab.unroute("**/comments")
    form.get_by_label("Write a comment").fill("")
    tab_until(tab, form.get_by_role("button", name="Post", exact=True))
    tab.keyboard.press("Enter")
    body = form.get_by_label("Write a comment")
    expect(body).to_be_focused()
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_accessible_description(re.compile(r"^\S.*Markdown"))


def test_replying_with_the_keyboard_lands_on_the_reply_and_escape_returns_to_reply(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    reply_link = own_inner(comment_item(box, first)).get_by_role("link", name="Reply")
    tab_until(tab, reply_link)
    assert_focus_visible(tab)
    tab.keyboard.press("Enter")
    reply_box = box.locator(f"#reply-{first.pk}")
    expect(reply_box.get_by_label("Your reply")).to_be_focused()
    tab.keyboard.press("Escape")
    expect(reply_link).to_be_focused()

    tab.keyboard.press("Enter")
    expect(reply_box.get_by_label("Your reply")).to_be_focused()
    tab.keyboard.type("Answered from the keyboard.")
    type_into(tab, reply_box.get_by_label("Name"), "Kim")
    tab_until(tab, reply_box.get_by_role("button", name="Post reply"))
    tab.keyboard.press("Enter")

    reply = posted_item(box, "Answered from the keyboard.")
    expect(comment_item(box, first).locator(".rj-replies > .rj-comment")).to_have_count(1)
    expect(own_inner(reply)).to_be_focused()
    expect(box.get_by_role("status")).to_have_text("Your comment was posted.")


def test_a_vote_cast_with_the_keyboard_keeps_the_focus_which_speaks_the_new_count(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    votes = own_inner(comment_item(box, first))
    tab_until(tab, votes.get_by_role("button", name="Upvote, 0 votes"))
    tab.keyboard.press("Enter")

    # The button is rendered again by the server; the one now focused is named with the new
    # count and pressed, which is what a screen reader reads out on the focus.
    upvote = votes.get_by_role("button", name="Upvote, 1 vote")
    expect(upvote).to_be_focused()
    expect(upvote).to_have_attribute("aria-pressed", "true")
    assert_focus_visible(tab)
    tab.keyboard.press("Tab")
    tab.keyboard.press("Space")
    downvote = votes.get_by_role("button", name="Downvote, 1 vote")
    expect(downvote).to_be_focused()
    expect(votes.get_by_role("button", name="Upvote, 0 votes")).to_have_attribute(
        "aria-pressed", "false"
    )


def test_the_rating_is_one_radio_group_of_five_named_stars(tab: Page, article: Article) -> None:
    box = open_article(tab, article)
    group = box.get_by_role("group", name="Rate this article:")
    stars = group.get_by_role("radio")
    expect(stars).to_have_count(5)
    for n, name in enumerate(["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]):
        expect(stars.nth(n)).to_have_accessible_name(name)
    assert stars.evaluate_all("els => new Set(els.map((e) => e.name)).size") == 1
    tab_until(tab, stars.first)
    assert_focus_visible(tab)
    tab.keyboard.press("Tab")
    # One Tab stop for the group: the next Tab leaves the stars.
    assert not tab.evaluate("() => document.activeElement.matches('input[name=stars]')")


def test_subscribing_with_the_keyboard_is_answered_in_a_live_region(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    form = box.locator("form.rj-notify")
    kind = form.get_by_label("Notify of")
    tab_until(tab, kind)
    tab.keyboard.press("ArrowDown")
    expect(kind).to_have_value("replies")
    type_into(tab, form.get_by_label("Email"), "kim@example.org")
    tab.keyboard.press("Enter")

    result = form.locator(".rj-notify-result")
    expect(result).to_have_attribute("aria-live", "polite")
    expect(result).to_contain_text("Check the inbox of kim@example.org")
    expect(form.get_by_label("Email")).to_be_focused()


def test_reporting_with_the_keyboard_lands_on_the_thanks(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    inner = own_inner(comment_item(box, first))
    tab_until(tab, inner.get_by_role("link", name="Report"))
    tab.keyboard.press("Enter")
    form = comment_item(box, first).locator(".rj-report-form")
    expect(form.locator("input[name=reason]").first).to_be_focused()
    tab.keyboard.press("Space")
    tab_until(tab, form.get_by_role("button", name="Send report"))
    tab.keyboard.press("Enter")

    done = comment_item(box, first).get_by_role("status")
    expect(done).to_have_text("Thanks, a moderator will review it.")
    expect(done).to_be_focused()


def test_sorting_with_the_keyboard_brings_the_focus_back_to_the_box(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    seed_comments(3)
    box = open_article(tab, article)
    tab_until(tab, box.get_by_role("link", name="Oldest"))
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(r"sort=oldest.*#comments$"))
    expect(box.locator(".rj-thread .rj-body").first).to_have_text("Seeded comment number 1.")
    expect(box).to_have_class(re.compile(r"\brj-js\b"))

    # The page opened at the box: the next Tab goes on from there, not from the top.
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => Boolean(document.activeElement.closest('#comments'))")


def test_load_more_with_the_keyboard_lands_on_the_first_new_comment(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    Site.objects.update(page_size=5)
    seed_comments(7)
    box = open_article(tab, article)
    tab_until(tab, box.get_by_role("link", name="Load more comments"), most=80)
    tab.keyboard.press("Enter")

    sixth = comment_item(box, Comment.objects.get(body="Seeded comment number 2."))
    expect(own_inner(sixth)).to_be_focused()
    assert_focus_visible(tab)
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => Boolean(document.activeElement.closest('#comments'))")


@pytest.fixture
def demo_article(live_db: None) -> Article:
    load_demo()
    return Article.objects.get(slug=load_content().article["slug"])


def test_a_passage_panel_opened_with_the_keyboard_closes_back_to_its_highlight(
    tab: Page, demo_article: Article
) -> None:
    open_article(tab, demo_article)
    mark = tab.locator("[data-rj-article-body] mark.rj-passage[id]").first
    mark.focus()
    tab.keyboard.press("Enter")
    panel = tab.get_by_role("dialog")
    expect(panel.locator(".rj-comment").first).to_be_visible()
    assert tab.evaluate("() => Boolean(document.activeElement.closest('[role=dialog]'))")

    tab.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(mark).to_be_focused()
    assert_focus_visible(tab)


@pytest.fixture
def moderator(article: Article) -> Any:
    user = get_user_model().objects.create_user("editor", password=PASSWORD)
    ModeratorRole.objects.create(user=user, site=article.page.site, role="moderator")
    return user


def test_a_moderators_dialogs_return_the_focus_to_what_opened_them(
    tab: Page, article: Article, moderator: Any, other_reader: Commenter
) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    for n, name in enumerate(["Bruno", "Dora"]):
        post_comment(page=article.page, author=other_reader, name=name, body=f"Held {n}.")
    tab.goto("/moderation/")
    type_into(tab, tab.get_by_label("Username"), moderator.username)
    type_into(tab, tab.get_by_label("Password"), PASSWORD)
    tab.keyboard.press("Enter")
    expect(tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))

    help_button = tab.get_by_role("button", name=re.compile("Keyboard shortcuts"))
    tab_until(tab, help_button)
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    tab.keyboard.press("Escape")
    expect(help_button).to_be_focused()

    first = tab.locator(".rj-mod-item").first
    ban = first.get_by_role("link", name="Ban")
    tab_until(tab, ban)
    tab.keyboard.press("Enter")
    dialog = tab.get_by_role("dialog", name=re.compile("^Ban"))
    expect(dialog.locator("input[name=duration]:checked")).to_be_focused()
    tab.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(ban).to_be_focused()
    assert_focus_visible(tab)

    # A ban sent from the dialog: the list is rendered again; the focus stays on that comment,
    # never on the page.
    item_id = first.get_attribute("id")
    tab.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    tab_until(tab, dialog.get_by_role("button", name="Ban", exact=True))
    tab.keyboard.press("Enter")
    expect(tab.locator(".rj-mod-toasts")).to_contain_text("Banned")
    expect(tab.locator(f"#{item_id}")).to_be_focused()


def test_a_moderator_turns_the_single_key_shortcuts_off_and_they_stay_off(
    tab: Page, article: Article, moderator: Any, other_reader: Commenter
) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    held = post_comment(page=article.page, author=other_reader, name="Bruno", body="Held.")
    tab.goto("/moderation/")
    type_into(tab, tab.get_by_label("Username"), moderator.username)
    type_into(tab, tab.get_by_label("Password"), PASSWORD)
    tab.keyboard.press("Enter")
    expect(tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))

    tab.keyboard.press("?")
    dialog = tab.get_by_role("dialog", name="Keyboard shortcuts")
    switch = dialog.get_by_label("Use single-key shortcuts")
    expect(switch).to_be_checked()
    tab_until(tab, switch)
    tab.keyboard.press("Space")
    expect(switch).not_to_be_checked()
    tab.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    tab.reload()
    expect(tab.locator("body")).to_have_class(re.compile(r"\brj-mod-js\b"))
    tab.keyboard.press("j")
    tab.keyboard.press("a")
    tab.keyboard.press("?")
    expect(tab.locator(".rj-mod-item")).not_to_be_focused()
    expect(dialog).to_be_hidden()
    held.refresh_from_db()
    assert held.status == "pending"

    # Turned on again, they work.
    tab.get_by_role("button", name=re.compile("Keyboard shortcuts")).click()
    switch.check()
    tab.keyboard.press("Escape")
    tab.keyboard.press("j")
    expect(tab.locator(".rj-mod-item")).to_be_focused()
