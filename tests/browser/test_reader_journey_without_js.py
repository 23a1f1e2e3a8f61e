"""The same journey with JavaScript off: plain forms, redirects back to the comment, real pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.helpers import (
    SeedComments,
    comment_item,
    open_article,
    own_inner,
    top_level_bodies,
)

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article, Site

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]


def open_plain_article(tab: Page, article: Article, query: str = "") -> Locator:
    return open_article(tab, article, query, scripted=False)


def post_plain_comment(tab: Page, article: Article, body: str) -> Locator:
    """Post a comment through the top form and return it, on the page the redirect lands on."""
    form = open_plain_article(tab, article).locator("#rj-form-top")
    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Write a comment").fill(body)
    form.get_by_role("button", name="Post", exact=True).click()
    expect(tab).to_have_url(re.compile(r"#comment-\d+$"))
    pk = int(tab.url.rsplit("-", 1)[1])
    return comment_item(tab.locator("#comments"), pk)


def test_without_js_the_rate_button_sends_the_chosen_stars(
    nojs_tab: Page, article: Article
) -> None:
    rating = open_plain_article(nojs_tab, article).locator(".rj-rating")

    rating.get_by_label("3 stars", exact=True).check()
    rating.get_by_role("button", name="Rate").click()

    expect(nojs_tab).to_have_url(re.compile(re.escape(article.get_absolute_url()) + r"#rating$"))
    expect(rating.locator(".rj-rating-count")).to_have_text("1 vote")
    expect(rating.locator(".rj-rating-average")).to_have_text("3.0")
    expect(rating.locator("legend")).to_have_text("Your rating: 3 stars. Change it:")
    expect(rating.get_by_label("3 stars", exact=True)).to_be_checked()


def test_without_js_a_posted_comment_is_shown_at_its_anchor(
    nojs_tab: Page, article: Article
) -> None:
    item = post_plain_comment(nojs_tab, article, "Finally, a lane for *bikes*.")

    expect(own_inner(item).locator(".rj-body")).to_have_text("Finally, a lane for bikes.")
    expect(item.locator("em")).to_have_text("bikes")
    expect(item).to_be_in_viewport()
    expect(nojs_tab.locator(".rj-comment-total")).to_have_text("1")
    expect(own_inner(item).get_by_role("link", name="Edit")).to_be_visible()
    for button in item.locator(".rj-vote").all():
        expect(button).to_be_disabled()


def test_without_js_the_reply_link_renders_a_reply_form_under_the_comment(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_plain_article(nojs_tab, article)

    own_inner(comment_item(box, first)).get_by_role("link", name="Reply").click()

    expect(nojs_tab).to_have_url(re.compile(rf"[?&]reply={first.pk}#reply-{first.pk}$"))
    reply_box = comment_item(box, first).locator(f":scope > #reply-{first.pk}")
    expect(reply_box).to_be_in_viewport()
    expect(reply_box.locator(".rj-replying")).to_have_text("Replying to Bruno")
    form = reply_box.locator("form")
    expect(form).to_have_attribute("id", f"rj-form-reply-{first.pk}")
    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Your reply").fill("Will the toll come back?")
    form.get_by_role("button", name="Post reply").click()

    expect(nojs_tab).to_have_url(re.compile(r"#comment-\d+$"))
    reply = comment_item(box, first).locator(".rj-replies > .rj-comment")
    expect(reply.locator(".rj-body")).to_have_text("Will the toll come back?")
    expect(box.locator(".rj-reply-box")).to_have_count(0)
    expect(box.locator(".rj-comment-total")).to_have_text("2")


def test_without_js_a_vote_is_counted_and_can_be_withdrawn(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_plain_article(nojs_tab, article)
    up = own_inner(comment_item(box, first)).locator(".rj-up")

    up.click()

    expect(nojs_tab).to_have_url(re.compile(rf"#comment-{first.pk}$"))
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_accessible_name("Upvote, 1 vote")
    expect(up.locator(".rj-count")).to_have_text("1")

    up.click()

    expect(up).to_have_attribute("aria-pressed", "false")
    expect(up.locator(".rj-count")).to_have_text("0")


def test_without_js_the_author_edits_on_the_edit_page(nojs_tab: Page, article: Article) -> None:
    item = post_plain_comment(nojs_tab, article, "The bridge opens on Munday.")

    own_inner(item).get_by_role("link", name="Edit").click()

    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Edit your comment")
    text = nojs_tab.get_by_label("Comment")
    expect(text).to_have_value("The bridge opens on Munday.")
    text.fill("The bridge opens on Monday.")
    nojs_tab.get_by_role("button", name="Save").click()

    expect(nojs_tab).to_have_url(re.compile(r"#comment-\d+$"))
    expect(own_inner(item).locator(".rj-body")).to_have_text("The bridge opens on Monday.")
    expect(own_inner(item).locator(".rj-edited")).to_be_visible()


def test_without_js_the_author_deletes_after_a_confirmation_page(
    nojs_tab: Page, article: Article
) -> None:
    item = post_plain_comment(nojs_tab, article, "Posted in haste.")

    own_inner(item).get_by_role("link", name="Delete").click()

    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Delete your comment?")
    expect(nojs_tab.locator("blockquote")).to_have_text("Posted in haste.")
    nojs_tab.get_by_role("link", name="Keep it").click()
    expect(own_inner(item).locator(".rj-body")).to_have_text("Posted in haste.")

    own_inner(item).get_by_role("link", name="Delete").click()
    nojs_tab.get_by_role("button", name="Delete").click()

    expect(nojs_tab).to_have_url(re.compile(r"#comments$"))
    expect(nojs_tab.locator(".rj-comment")).to_have_count(0)
    expect(nojs_tab.locator(".rj-comment-total")).to_have_text("0")


def test_without_js_the_load_more_link_opens_the_next_page(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    Site.objects.update(page_size=5)
    seed_comments(7)
    box = open_plain_article(nojs_tab, article)
    expect(top_level_bodies(box)).to_have_count(5)

    box.get_by_role("link", name="Load more comments").click()

    expect(nojs_tab).to_have_url(re.compile(r"\?sort=newest&page=2#comments$"))
    expect(top_level_bodies(box)).to_have_text(
        ["Seeded comment number 2.", "Seeded comment number 1."]
    )
    expect(box.get_by_role("link", name="Load more comments")).to_have_count(0)


def test_a_permalink_to_a_comment_on_page_two_opens_page_two_at_the_comment(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    Site.objects.update(page_size=5)
    oldest, *_ = seed_comments(7)

    nojs_tab.goto(f"/c/{oldest.pk}/")

    expect(nojs_tab).to_have_url(re.compile(rf"\?sort=newest&page=2#comment-{oldest.pk}$"))
    item = comment_item(nojs_tab.locator("#comments"), oldest)
    expect(own_inner(item).locator(".rj-body")).to_have_text("Seeded comment number 1.")
    expect(item).to_be_in_viewport()


def test_without_js_a_refused_comment_comes_back_with_the_text_kept(
    nojs_tab: Page, article: Article
) -> None:
    form = open_plain_article(nojs_tab, article).locator("#rj-form-top")
    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Email (optional, never shown)").fill("ana-at-example")
    form.get_by_label("Write a comment").fill("Tolls should stay.")

    form.get_by_role("button", name="Post", exact=True).click()

    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Your comment was not posted")
    expect(nojs_tab.get_by_role("alert").first).to_have_text("That email address is not valid.")
    retry = nojs_tab.locator("#rj-form-retry")
    expect(retry.get_by_label("Write a comment")).to_have_value("Tolls should stay.")
    expect(retry.get_by_label("Name")).to_have_value("Ana")
    expect(retry.get_by_label("Email (optional, never shown)")).to_have_value("ana-at-example")

    retry.get_by_label("Email (optional, never shown)").fill("ana@example.org")
    retry.get_by_role("button", name="Post", exact=True).click()

    expect(nojs_tab).to_have_url(re.compile(r"#comment-\d+$"))
    expect(top_level_bodies(nojs_tab.locator("#comments"))).to_have_text(["Tolls should stay."])
    assert Comment.objects.get().author.email == "ana@example.org"


def highlighted(item: Locator) -> bool:
    """Tell whether a comment is set apart from the others (its own part has a background)."""
    return bool(
        own_inner(item).evaluate(
            "(el) => getComputedStyle(el).backgroundColor !== 'rgba(0, 0, 0, 0)'"
        )
    )


def test_without_js_the_reply_form_has_a_cancel_link_back_to_the_comment(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_plain_article(nojs_tab, article)
    own_inner(comment_item(box, first)).get_by_role("link", name="Reply").click()
    reply_box = comment_item(box, first).locator(f":scope > #reply-{first.pk}")

    reply_box.get_by_role("link", name="Cancel").click()

    expect(nojs_tab).to_have_url(re.compile(rf"\?sort=newest&page=1#comment-{first.pk}$"))
    expect(box.locator(".rj-reply-box")).to_have_count(0)
    expect(comment_item(box, first)).to_be_in_viewport()


def test_without_js_an_empty_form_comes_back_with_every_field_marked(
    nojs_tab: Page, article: Article
) -> None:
    form = open_plain_article(nojs_tab, article).locator("#rj-form-top")
    form.get_by_label("Website (optional)").fill("ftp://example.org")

    form.get_by_role("button", name="Post", exact=True).click()

    expect(nojs_tab.get_by_role("heading", level=1)).to_have_text("Your comment was not posted")
    expect(nojs_tab.get_by_role("alert").first.get_by_role("listitem")).to_have_text(
        [
            "Write something before posting.",
            "Please give a name to show with your comment.",
            "The website must be an http:// or https:// address.",
        ]
    )
    retry = nojs_tab.locator("#rj-form-retry")
    body = retry.get_by_label("Write a comment")
    expect(body).to_be_focused()
    for label, message in (
        ("Write a comment", "Write something before posting."),
        ("Name", "Please give a name to show with your comment."),
        ("Website (optional)", "The website must be an http:// or https:// address."),
    ):
        field = retry.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile("^" + re.escape(message)))
    email = retry.get_by_label("Email (optional, never shown)")
    expect(email).not_to_have_attribute("aria-invalid", "true")
    expect(retry.get_by_label("Website (optional)")).to_have_value("ftp://example.org")


def test_without_js_a_posted_comment_is_announced_and_highlighted(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [other] = seed_comments(1)

    item = post_plain_comment(nojs_tab, article, "Finally, a lane for bikes.")

    status = nojs_tab.locator("#comments").get_by_role("status")
    expect(status).to_have_text("Your comment was posted.")
    expect(own_inner(item).locator(".rj-body")).to_have_text("Finally, a lane for bikes.")
    assert highlighted(item)
    assert not highlighted(comment_item(nojs_tab.locator("#comments"), other))


def test_a_permalinked_comment_is_highlighted(
    nojs_tab: Page, tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    linked, other = seed_comments(2)
    for reader in (nojs_tab, tab):
        reader.goto(f"/c/{linked.pk}/")

        expect(reader).to_have_url(re.compile(rf"#comment-{linked.pk}$"))
        box = reader.locator("#comments")
        expect(comment_item(box, linked)).to_be_in_viewport()
        assert highlighted(comment_item(box, linked))
        assert not highlighted(comment_item(box, other))
        expect(box.locator(".rj-status")).to_have_text("")  # only the author hears "posted"


def test_without_js_the_forms_are_filled_with_the_name_the_reader_used_last(
    nojs_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    post_plain_comment(nojs_tab, article, "Tolls should stay.")
    box = nojs_tab.locator("#comments")
    expect(box.locator("#rj-form-top").get_by_label("Name")).to_have_value("Ana")

    own_inner(comment_item(box, first)).get_by_role("link", name="Reply").click()

    reply_form = box.locator(f"#rj-form-reply-{first.pk}")
    expect(reply_form.get_by_label("Name")).to_have_value("Ana")
    expect(reply_form.get_by_label("Your reply")).to_have_value("")
