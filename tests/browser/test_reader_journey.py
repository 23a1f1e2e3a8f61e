"""A reader's journey through the discussion box with JavaScript on: everything happens in place.

Each action posts the same form a script-less reader would, and the page is never reloaded:
a marker put on the window before the action is still there after it.
"""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from playwright.sync_api import Page, expect
from tests.browser.helpers import (
    SeedComments,
    assert_same_document,
    comment_item,
    mark_document,
    open_article,
    own_inner,
    post_comment_in_box,
    posted_item,
    top_level_bodies,
)

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.pages.models import Article, Site
from rejoinder.ratings.rating import rate_page
from rejoinder.request_identity import ip_hash

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]


def test_a_reader_sees_the_headline_the_comment_count_and_no_rating_yet(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    seed_comments(2)

    box = open_article(tab, article)

    expect(tab.get_by_role("heading", level=1)).to_have_text(article.headline)
    expect(box.locator(".rj-filterbar")).to_contain_text("View all comments (2)")
    expect(box.locator(".rj-rating-count")).to_have_text("No votes yet")
    expect(top_level_bodies(box)).to_have_text(
        ["Seeded comment number 2.", "Seeded comment number 1."]
    )


def test_clicking_a_star_rates_the_article_without_reloading(tab: Page, article: Article) -> None:
    box = open_article(tab, article)
    rating = box.locator(".rj-rating")
    expect(rating.get_by_role("button", name="Rate")).to_be_hidden()
    mark_document(tab)

    rating.get_by_label("4 stars", exact=True).check()

    expect(box.locator(".rj-rating-count")).to_have_text("1 vote")
    expect(box.locator(".rj-rating-average")).to_have_text("4.0")
    expect(box.locator(".rj-rating legend")).to_have_text("Your rating: 4 stars. Change it:")
    expect(box.get_by_label("4 stars", exact=True)).to_be_checked()

    box.get_by_label("2 stars", exact=True).check()

    expect(box.locator(".rj-rating-average")).to_have_text("2.0")
    expect(box.locator(".rj-rating-count")).to_have_text("1 vote")
    assert_same_document(tab)


def test_a_posted_comment_appears_at_the_top_and_is_announced_without_reloading(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    expect(box.locator(".rj-empty")).to_have_text("No comments yet. Start the discussion!")
    mark_document(tab)

    post_comment_in_box(box, "The cycle lane is **long overdue**.")

    item = posted_item(box, "The cycle lane is long overdue.")
    expect(item.locator("strong")).to_have_text("long overdue")
    expect(box.locator(".rj-empty")).to_have_count(0)
    expect(box.locator(".rj-comment-total")).to_have_text("1")
    status = box.get_by_role("status")
    expect(status).to_have_text("Your comment was posted.")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(box.locator("#rj-form-top").get_by_label("Write a comment")).to_have_value("")
    assert_same_document(tab)

    box = open_article(tab, article)
    expect(top_level_bodies(box)).to_have_text(["The cycle lane is long overdue."])
    expect(box.get_by_role("link", name="Edit")).to_be_visible()


def test_a_reply_form_opens_under_the_comment_and_the_reply_appears_nested(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    item = comment_item(box, first)
    mark_document(tab)

    own_inner(item).get_by_role("link", name="Reply").click()

    reply_box = item.locator(f":scope > #reply-{first.pk}")
    expect(reply_box.get_by_label("Your reply")).to_be_focused()
    reply_box.get_by_label("Name").fill("Ana")
    reply_box.get_by_label("Your reply").fill("Will the toll come back?")
    reply_box.get_by_role("button", name="Post reply").click()

    reply = item.locator(":scope > .rj-replies > .rj-comment")
    expect(reply.locator(".rj-body")).to_have_text("Will the toll come back?")
    expect(reply).to_have_class("rj-comment rj-reply rj-new")
    expect(reply_box).to_have_count(0)
    expect(box.locator(".rj-comment-total")).to_have_text("2")
    assert_same_document(tab)

    box = open_article(tab, article)
    expect(comment_item(box, first).locator(".rj-replies .rj-body")).to_have_text(
        "Will the toll come back?"
    )


def test_a_reply_to_the_deepest_comment_is_placed_where_a_reload_shows_it(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [top] = seed_comments(1)
    chain = [top]
    for _ in range(article.page.site.max_reply_depth):
        chain += seed_comments(1, parent=chain[-1], name="Carla")
    deepest, its_parent = chain[-1], chain[-2]
    box = open_article(tab, article)

    own_inner(comment_item(box, deepest)).get_by_role("link", name="Reply").click()
    reply_box = box.locator(f"#reply-{deepest.pk}")
    reply_box.get_by_label("Name").fill("Ana")
    reply_box.get_by_label("Your reply").fill("Same depth as Carla.")
    reply_box.get_by_role("button", name="Post reply").click()

    siblings = comment_item(box, its_parent).locator(":scope > .rj-replies > .rj-comment")
    expect(siblings.locator(":scope > .rj-comment-inner .rj-body")).to_have_text(
        [deepest.body, "Same depth as Carla."]
    )
    expect(siblings.last.locator(".rj-reply-to")).to_have_text("replying to Carla")

    box = open_article(tab, article)
    expect(siblings.locator(":scope > .rj-comment-inner .rj-body")).to_have_text(
        [deepest.body, "Same depth as Carla."]
    )


def test_a_comment_with_line_breaks_as_long_as_the_textarea_allows_is_accepted(
    tab: Page, article: Article
) -> None:
    body = "\n".join(["a" * 499] * 10) + "."
    assert len(body) == 5000
    box = open_article(tab, article)

    with tab.expect_response(re.compile(r"/comments$")) as answer:
        post_comment_in_box(box, body)

    assert answer.value.status == 201


def test_a_vote_is_counted_and_voting_again_withdraws_it(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [first] = seed_comments(1)
    box = open_article(tab, article)
    votes = own_inner(comment_item(box, first)).locator(".rj-votes")
    mark_document(tab)

    votes.get_by_role("button", name="Upvote").click()

    up = votes.locator(".rj-up")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_accessible_name("Upvote, 1 vote")
    expect(up.locator(".rj-count")).to_have_text("1")

    up.click()

    expect(up).to_have_attribute("aria-pressed", "false")
    expect(up.locator(".rj-count")).to_have_text("0")

    votes.get_by_role("button", name="Downvote").click()

    expect(votes.locator(".rj-down")).to_have_attribute("aria-pressed", "true")
    expect(votes.locator(".rj-down .rj-count")).to_have_text("1")
    expect(up.locator(".rj-count")).to_have_text("0")
    assert_same_document(tab)

    box = open_article(tab, article)
    expect(own_inner(comment_item(box, first)).locator(".rj-down")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_a_reader_cannot_vote_on_their_own_comment(tab: Page, article: Article) -> None:
    box = open_article(tab, article)
    post_comment_in_box(box, "My own view.")

    item = posted_item(box, "My own view.")
    expect(item.locator(".rj-vote")).to_have_count(2)
    for button in item.locator(".rj-vote").all():
        expect(button).to_be_disabled()

    box = open_article(tab, article)
    for button in posted_item(box, "My own view.").locator(".rj-vote").all():
        expect(button).to_be_disabled()


def test_the_author_edits_a_comment_in_place_and_it_shows_as_edited(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    post_comment_in_box(box, "The bridge opens on Munday.")
    item = posted_item(box, "The bridge opens on Munday.")
    expect(item.locator(".rj-edited")).to_have_count(0)
    mark_document(tab)

    own_inner(item).get_by_role("link", name="Edit").click()

    editor = item.locator(":scope > .rj-edit-form")
    text = editor.get_by_label("Comment")
    expect(text).to_be_focused()
    expect(text).to_have_value("The bridge opens on Munday.")
    text.fill("The bridge opens on Monday.")
    editor.get_by_role("button", name="Save").click()

    expect(own_inner(item).locator(".rj-body")).to_have_text("The bridge opens on Monday.")
    expect(own_inner(item).locator(".rj-edited")).to_have_text("· edited")
    expect(editor).to_have_count(0)
    assert_same_document(tab)

    box = open_article(tab, article)
    item = posted_item(box, "The bridge opens on Monday.")
    expect(item.locator(".rj-edited")).to_be_visible()


def test_the_author_deletes_a_comment_after_confirming_and_it_disappears(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    post_comment_in_box(box, "Posted in haste.")
    item = posted_item(box, "Posted in haste.")
    delete = own_inner(item).get_by_role("link", name="Delete")

    tab.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    expect(item.locator(".rj-body")).to_have_text("Posted in haste.")

    tab.once("dialog", lambda dialog: dialog.accept())
    delete.click()

    expect(item).to_have_count(0)
    expect(box.get_by_role("status")).to_have_text("Your comment was deleted.")
    expect(box.locator(".rj-comment-total")).to_have_text("0")

    box = open_article(tab, article)
    expect(box.get_by_text("Posted in haste.")).to_have_count(0)
    expect(box.locator(".rj-comment-total")).to_have_text("0")


def test_deleting_a_comment_that_has_replies_leaves_a_removed_placeholder(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    box = open_article(tab, article)
    post_comment_in_box(box, "Tolls should stay.")
    posted_item(box, "Tolls should stay.")
    mine = Comment.objects.get(body="Tolls should stay.")
    seed_comments(1, parent=mine)
    box = open_article(tab, article)
    item = comment_item(box, mine)

    tab.once("dialog", lambda dialog: dialog.accept())
    own_inner(item).get_by_role("link", name="Delete").click()

    expect(own_inner(item)).to_have_text("[removed]")
    expect(item).to_have_class("rj-comment rj-removed")
    expect(item.locator(".rj-replies .rj-body")).to_have_text("Seeded comment number 1.")

    box = open_article(tab, article)
    expect(own_inner(comment_item(box, mine))).to_have_text("[removed]")


def test_an_empty_comment_is_refused_in_the_form_and_the_name_is_kept(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    form = box.locator("#rj-form-top")
    text = form.get_by_label("Write a comment")
    mark_document(tab)

    form.get_by_label("Name").fill("Ana")
    form.get_by_role("button", name="Post", exact=True).click()

    expect(text).to_have_attribute("aria-invalid", "true")
    expect(text).to_have_accessible_description(re.compile(r"^Write something before posting\."))
    expect(text).to_be_focused()
    expect(form.get_by_label("Name")).to_have_value("Ana")
    expect(form.get_by_label("Name")).not_to_have_attribute("aria-invalid", "true")
    expect(box.locator(".rj-comment")).to_have_count(0)
    assert_same_document(tab)


def test_load_more_appends_the_next_page_of_comments_without_reloading(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    Site.objects.update(page_size=5)
    seed_comments(7)
    box = open_article(tab, article)
    bodies = top_level_bodies(box)
    expect(bodies).to_have_count(5)
    mark_document(tab)

    box.get_by_role("link", name="Load more comments").click()

    expect(bodies).to_have_text([f"Seeded comment number {n}." for n in range(7, 0, -1)])
    expect(box.get_by_role("link", name="Load more comments")).to_have_count(0)
    assert_same_document(tab)

    seeded_second_page = comment_item(box, Comment.objects.get(body="Seeded comment number 1."))
    own_inner(seeded_second_page).get_by_role("button", name="Upvote").click()
    expect(own_inner(seeded_second_page).locator(".rj-up")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_load_more_after_posting_shows_no_comment_twice(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    Site.objects.update(page_size=5)
    seed_comments(7)
    box = open_article(tab, article)
    post_comment_in_box(box, "Posted while reading.")
    posted_item(box, "Posted while reading.")

    box.get_by_role("link", name="Load more comments").click()

    expect(box.get_by_role("link", name="Load more comments")).to_have_count(0)
    expect(top_level_bodies(box)).to_have_text(
        ["Posted while reading."] + [f"Seeded comment number {n}." for n in range(7, 0, -1)]
    )


def test_sort_links_reorder_the_comments(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    oldest, _, newest = seed_comments(3)
    fan = reader_key_from_token(issue_reader_token())
    assert fan
    vote_on_comment(comment_id=oldest.pk, voter=commenter_for(fan), value=1, ip_hash="")
    box = open_article(tab, article)
    bodies = top_level_bodies(box)
    expect(bodies.first).to_have_text(newest.body)

    box.get_by_role("link", name="Oldest").click()
    expect(bodies).to_have_text([f"Seeded comment number {n}." for n in (1, 2, 3)])
    expect(box.get_by_role("link", name="Oldest")).to_have_attribute("aria-current", "true")

    box.get_by_role("link", name="Most voted").click()
    expect(bodies).to_have_text([f"Seeded comment number {n}." for n in (1, 3, 2)])

    box.get_by_role("link", name="Newest").click()
    expect(bodies).to_have_text([f"Seeded comment number {n}." for n in (3, 2, 1)])


def _home_ip_hash() -> str:
    """Return the IP hash the live server gives the browser (it connects from 127.0.0.1)."""
    return ip_hash(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"))


def test_a_vote_and_a_rating_past_the_addresss_share_are_refused_and_the_box_says_so(
    tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    site = article.page.site
    site.max_votes_per_address = 1
    site.save()
    [first] = seed_comments(1)
    neighbour = commenter_for(reader_key_from_token(issue_reader_token()) or "")
    vote_on_comment(comment_id=first.pk, voter=neighbour, value=1, ip_hash=_home_ip_hash())
    rate_page(page=article.page, rater=neighbour, stars=5, ip_hash=_home_ip_hash())
    box = open_article(tab, article)
    votes = own_inner(comment_item(box, first)).locator(".rj-votes")
    mark_document(tab)

    votes.get_by_role("button", name="Upvote").click()

    expect(box.get_by_role("status").first).to_contain_text("Your vote was not counted")
    expect(votes.locator(".rj-up")).to_have_attribute("aria-pressed", "false")
    expect(votes.locator(".rj-up .rj-count")).to_have_text("1")

    box.get_by_label("2 stars", exact=True).click()  # not check(): the box unchecks it again

    expect(box.get_by_role("status").first).to_contain_text("Your rating was not counted")
    expect(box.get_by_label("2 stars", exact=True)).not_to_be_checked()
    expect(box.locator(".rj-rating-count")).to_have_text("1 vote")
    expect(box.locator(".rj-rating-average")).to_have_text("5.0")
    assert_same_document(tab)
