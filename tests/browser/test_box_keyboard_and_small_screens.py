"""The box for readers on a keyboard, behind a screen reader, or on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.helpers import SeedComments, comment_item, open_article, own_inner, tab_until

from rejoinder.comments.markdown import render_markdown
from rejoinder.pages.models import Article
from rejoinder.ratings.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("rate_limits_off")]

PHONE_WIDTH = 375


def test_the_rating_and_the_post_button_are_reachable_with_tab(tab: Page, article: Article) -> None:
    box = open_article(tab, article)

    tab_until(tab, box.get_by_label("1 star", exact=True))
    tab_until(tab, box.locator("#rj-form-top").get_by_label("Write a comment"))
    tab_until(tab, box.get_by_role("button", name="Post", exact=True), most=8)


def test_a_rating_chosen_with_the_keyboard_is_saved_and_keeps_the_focus(
    tab: Page, article: Article
) -> None:
    box = open_article(tab, article)
    one_star = box.get_by_label("1 star", exact=True)
    tab_until(tab, one_star)

    tab.keyboard.press("Space")

    expect(box.locator(".rj-rating-count")).to_have_text("1 vote")
    expect(one_star).to_be_checked()
    expect(one_star).to_be_focused()

    for _ in range(3):
        tab.keyboard.press("ArrowRight")

    expect(box.locator(".rj-rating legend")).to_have_text("Your rating: 4 stars. Change it:")
    expect(box.get_by_label("4 stars", exact=True)).to_be_focused()
    expect(box.locator(".rj-rating-average")).to_have_text("4.0")
    assert Rating.objects.get().stars == 4


def test_the_comment_form_fields_are_labelled_and_described(tab: Page, article: Article) -> None:
    form = open_article(tab, article).locator("#rj-form-top")

    expect(form.get_by_label("Write a comment")).to_have_accessible_description(
        "Markdown: *emphasis*, **bold**, [links](https://…), > quotes, `code`, lists."
    )
    for label in ("Name", "Email (optional, never shown)", "Website (optional)"):
        expect(form.get_by_label(label, exact=True)).to_be_editable()
    expect(form.get_by_role("alert")).to_be_hidden()


def test_on_a_phone_the_discussion_fits_the_screen_width(
    phone_tab: Page, article: Article, seed_comments: SeedComments
) -> None:
    [top] = seed_comments(1, name="Bartholomew Featherstonehaugh-Wolfeschlegel")
    parent = top
    for _ in range(3):
        [parent] = seed_comments(1, parent=parent)
    [long_words] = seed_comments(1)
    long_words.body = (
        "Supercalifragilisticexpialidocious-antidisestablishmentarianism-"
        "pneumonoultramicroscopicsilicovolcanoconiosis, see "
        "<https://example.org/a/very/long/path/that/never/breaks/anywhere/at/all>\n\n"
        "```\nSELECT comment_id, author_name, body FROM comments WHERE page_id = 1;\n```"
    )
    long_words.body_html = render_markdown(long_words.body)
    long_words.save(update_fields=["body", "body_html"])
    box = open_article(phone_tab, article)

    own_inner(comment_item(box, parent)).get_by_role("link", name="Reply").click()
    reply_form = box.locator(f"#reply-{parent.pk}")
    expect(reply_form.get_by_label("Your reply")).to_be_focused()

    scroll_width = phone_tab.evaluate("() => document.scrollingElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH + 1
    edge = reply_form.bounding_box()
    assert edge is not None
    assert edge["x"] >= 0
    assert edge["x"] + edge["width"] <= PHONE_WIDTH + 1
