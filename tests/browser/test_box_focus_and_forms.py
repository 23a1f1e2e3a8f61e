"""The box for keyboard and screen-reader users: where the focus goes after each action, closing
forms with Cancel and Escape, what the vote buttons say, field errors, and the length counter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.helpers import (
    SeedComments,
    comment_item,
    open_article,
    own_inner,
    post_comment_in_box,
    posted_item,
)

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.pages.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

OWN_VOTE_HINT = "You can't vote on your own comment"


def post_comment(box: Locator, body: str) -> Locator:
    post_comment_in_box(box, body)
    return posted_item(box, body)


def is_focused(element: Locator) -> bool:
    return bool(element.evaluate("(el) => el === document.activeElement"))


def test_withdrawing_a_vote_keeps_the_focus_on_its_button(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    down = own_inner(comment_item(box, first)).locator(".rj-down")
    down.focus()

    tab.keyboard.press("Enter")
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(down).to_be_focused()

    tab.keyboard.press("Enter")

    expect(down).to_have_attribute("aria-pressed", "false")
    expect(down).to_be_focused()
    assert is_focused(down)


def test_saving_an_edit_puts_the_focus_on_the_edited_comment(tab: Page, article: Article) -> None:
    box = open_article(tab, article)
    item = post_comment(box, "The bridge opens on Munday.")
    own_inner(item).get_by_role("link", name="Edit").click()
    editor = item.locator(":scope > .rj-edit-form")
    editor.get_by_label("Comment").fill("The bridge opens on Monday.")

    editor.get_by_role("button", name="Save").click()

    expect(own_inner(item).locator(".rj-body")).to_have_text("The bridge opens on Monday.")
    expect(own_inner(item)).to_be_focused()
    assert is_focused(own_inner(item))


def test_deleting_a_comment_puts_the_focus_on_the_next_comment(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [older] = seed_comments(1)
    box = open_article(tab, article)
    mine = post_comment(box, "Posted in haste.")  # newest first: above the seeded one
    tab.once("dialog", lambda dialog: dialog.accept())

    own_inner(mine).get_by_role("link", name="Delete").click()

    expect(mine).to_have_count(0)
    next_comment = own_inner(comment_item(box, older))
    expect(next_comment).to_be_focused()
    assert is_focused(next_comment)


def test_deleting_the_only_comment_puts_the_focus_on_the_discussion_heading(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    mine = post_comment(box, "Posted in haste.")
    tab.once("dialog", lambda dialog: dialog.accept())

    own_inner(mine).get_by_role("link", name="Delete").click()

    expect(mine).to_have_count(0)
    heading = box.get_by_role("heading", name="Discussion")
    expect(heading).to_be_focused()
    assert is_focused(heading)


def test_escape_and_cancel_close_the_reply_form_back_to_its_reply_link_keeping_the_text(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    item = comment_item(box, first)
    reply_link = own_inner(item).get_by_role("link", name="Reply")
    reply_box = item.locator(f":scope > #reply-{first.pk}")

    reply_link.click()
    reply_box.get_by_label("Your reply").fill("Half a thought")
    tab.keyboard.press("Escape")

    expect(reply_box).to_have_count(0)
    expect(reply_link).to_be_focused()

    tab.keyboard.press("Enter")
    expect(reply_box.get_by_label("Your reply")).to_have_value("Half a thought")
    expect(reply_box.get_by_label("Your reply")).to_be_focused()
    cancel = reply_box.get_by_role("link", name="Cancel")
    expect(cancel).to_have_attribute("href", re.compile(rf"/c/{first.pk}/$"))

    cancel.click()

    expect(reply_box).to_have_count(0)
    expect(reply_link).to_be_focused()
    assert not Comment.objects.filter(parent=first).exists()


def test_escape_closes_the_report_form_back_to_its_report_link(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    item = comment_item(open_article(tab, article), first)
    link = own_inner(item).get_by_role("link", name=re.compile("^Report"))
    link.click()
    expect(item.locator(".rj-report-form").get_by_label("Spam or advertising")).to_be_focused()

    tab.keyboard.press("Escape")

    expect(item.locator(".rj-report-form")).to_have_count(0)
    expect(link).to_be_focused()


def test_vote_buttons_say_their_counts_and_which_one_is_pressed(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    fan = reader_key_from_token(issue_reader_token())
    assert fan
    vote_on_comment(
        comment_id=first.pk, voter=commenter_for(fan), value=1, ip_hash="", limited=False
    )
    votes = own_inner(comment_item(open_article(tab, article), first)).locator(".rj-votes")
    up, down = votes.locator(".rj-up"), votes.locator(".rj-down")
    expect(up).to_have_accessible_name("Upvote, 1 vote")
    expect(down).to_have_accessible_name("Downvote, 0 votes")
    expect(up).to_have_attribute("aria-pressed", "false")

    up.click()

    expect(up).to_have_accessible_name("Upvote, 2 votes")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")


def test_the_disabled_votes_on_ones_own_comment_say_why(tab: Page, article: Article) -> None:
    def assert_explained(item: Locator) -> None:
        expect(item.get_by_text(OWN_VOTE_HINT)).to_be_visible()
        expect(item.locator(".rj-vote")).to_have_count(2)
        for button in item.locator(".rj-vote").all():
            expect(button).to_be_disabled()
            expect(button).to_have_accessible_description(OWN_VOTE_HINT)
            expect(button).to_have_attribute("title", OWN_VOTE_HINT)

    assert_explained(post_comment(open_article(tab, article), "My own view."))  # in place
    assert_explained(comment_item(open_article(tab, article), Comment.objects.get()))  # reloaded


def test_an_empty_form_marks_every_field_at_once_and_focuses_the_first(
    tab: Page, article: Article
) -> None:
    form = open_article(tab, article).locator("#rj-form-top")
    body, name = form.get_by_label("Write a comment"), form.get_by_label("Name")

    form.get_by_role("button", name="Post", exact=True).click()

    expect(body).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_accessible_description(re.compile(r"^Write something before posting\."))
    expect(name).to_have_accessible_description("Please give a name to show with your comment.")
    expect(form.get_by_text("Please give a name to show with your comment.")).to_be_visible()
    expect(body).to_be_focused()
    expect(form.get_by_label("Email (optional, never shown)")).not_to_have_attribute(
        "aria-invalid", "true"
    )

    body.fill("A point at last.")
    form.get_by_role("button", name="Post", exact=True).click()

    expect(body).not_to_have_attribute("aria-invalid", "true")
    expect(form.get_by_text("Write something before posting.")).to_have_count(0)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()


def test_a_reply_form_marks_its_fields_too(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    item = comment_item(open_article(tab, article), first)
    own_inner(item).get_by_role("link", name="Reply").click()
    form = item.locator(".rj-reply-box form")

    form.get_by_role("button", name="Post reply").click()

    expect(form.get_by_label("Your reply")).to_have_accessible_description(
        re.compile(r"^Write something before posting\.")
    )
    expect(form.get_by_label("Name")).to_have_accessible_description(
        "Please give a name to show with your comment."
    )
    expect(form.get_by_label("Your reply")).to_be_focused()


def test_a_counter_shows_near_the_limit_and_speaks_only_at_thresholds(
    tab: Page, article: Article
) -> None:
    form = open_article(tab, article).locator("#rj-form-top")
    text = form.get_by_label("Write a comment")
    counter, live = form.locator(".rj-counter"), form.locator("[aria-live=polite].rj-counter-live")

    text.fill("a" * 3999)
    expect(counter).to_be_hidden()

    text.fill("a" * 4000)
    expect(counter).to_have_text("1,000 characters left")
    expect(live).to_have_text("1,000 characters left")
    expect(text).to_have_accessible_description(re.compile(r"^1,000 characters left"))

    text.press("End")
    text.press("a")
    expect(counter).to_have_text("999 characters left")
    expect(live).to_have_text("1,000 characters left")  # not every keystroke

    text.fill("a" * 4800)
    expect(live).to_have_text("200 characters left")


def test_pasted_text_over_the_limit_is_kept_and_refused_with_a_clear_message(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    text = form.get_by_label("Write a comment")
    too_long = "word " * 1000 + "extra"
    form.get_by_label("Name").fill("Ana")

    text.focus()
    tab.keyboard.insert_text(too_long)  # as a paste does

    expect(text).to_have_value(too_long)
    over = "5 characters too many: the limit is 5000. Shorten your text to post it."
    expect(form.locator(".rj-counter")).to_have_text(over)
    expect(form.locator(".rj-counter-live")).to_have_text(over)

    form.get_by_role("button", name="Post", exact=True).click()

    expect(text).to_have_attribute("aria-invalid", "true")
    expect(text).to_have_accessible_description(re.compile("^" + re.escape(over)))
    expect(text).to_be_focused()
    expect(text).to_have_value(too_long)
    expect(box.locator(".rj-comment")).to_have_count(0)

    text.press("End")
    for _ in range(5):
        text.press("Backspace")
    expect(text).not_to_have_attribute("aria-invalid", "true")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(box.locator(".rj-comment")).to_have_count(1)
    assert len(Comment.objects.get().body) == 4999  # "word " * 1000, trimmed
