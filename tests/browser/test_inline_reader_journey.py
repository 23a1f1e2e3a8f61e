"""Inline feedback in a real browser: quoting a selection or a paragraph, highlights and their
panel, the filter, phones, prompts, article edits, and the same without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect
from tests.browser.helpers import open_article, tab_until

from rejoinder.comments.models import Comment, Commenter
from rejoinder.inline.models import Anchor, Prompt
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.revisions import page_text, pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

BODY = (
    "The council met on Tuesday to discuss the harbour bridge and its future.\n\n"
    "Repairs will cost **four million** euros, paid over ten years by the port authority.\n\n"
    "Cyclists get a lane of their own, separated from the traffic by a low kerb."
)


@pytest.fixture
def story(live_db: None, rate_limits_off: None) -> Article:
    return save_article(
        Article(slug="bridge-repairs", headline="Bridge repairs", body=BODY, author_name="Ed")
    )


def select_words(tab: Page, words: str) -> None:
    """Select `words` in the article body by dragging the mouse over them."""
    box = tab.evaluate(
        """(words) => {
          const body = document.querySelector("[data-rj-article-body]");
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const rects = range.getClientRects();
            const first = rects[0], last = rects[rects.length - 1];
            return { x1: first.left + 1, y1: first.top + first.height / 2,
                     x2: last.right - 1, y2: last.top + last.height / 2 };
          }
          return null;
        }""",
        words,
    )
    assert box, f"{words!r} is not in the article"
    tab.mouse.move(box["x1"], box["y1"])
    tab.mouse.down()
    tab.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=4)
    tab.mouse.move(box["x2"], box["y2"], steps=4)
    tab.mouse.up()
    assert tab.evaluate("() => getSelection().toString()") == words


def post_from_form(box: Locator, body: str, name: str = "Ana") -> None:
    form = box.locator("#rj-form-top")
    form.get_by_label("Write a comment").fill(body)
    form.get_by_label("Name").fill(name)
    form.get_by_role("button", name="Post").click()


def highlight(tab: Page, words: str) -> Locator:
    """Return the first piece of the highlight whose text starts with `words`."""
    return tab.locator("[data-rj-article-body] mark.rj-passage", has_text=words).first


def count_badge(tab: Page, words: str) -> Locator:
    """Return the piece of a highlight that shows its count (its last piece)."""
    key = highlight(tab, words).get_attribute("data-rj-passage")
    return tab.locator(f'[data-rj-article-body] mark[data-rj-passage="{key}"][data-rj-count]')


def comment_on(
    story: Article, passage: str, reader: Commenter, body: str, **extra: object
) -> Comment:
    text = page_text(story.page)
    assert text is not None
    start = text.index(passage)
    return post_inline_comment(
        page=story.page,
        author=reader,
        name="Bruno",
        body=body,
        selector=PassageSelector(exact=passage, start=start, end=start + len(passage)),
        moderated=False,
        **extra,
    )


def test_a_reader_selects_words_comments_and_finds_the_comment_at_the_highlight(
    tab: Page, story: Article
) -> None:
    box = open_article(tab, story)
    select_words(tab, "paid over ten years")
    button = tab.get_by_role("button", name="Comment on this", exact=True)
    expect(button).to_be_visible()
    button.click()

    form = box.locator("#rj-form-top")
    quote = form.locator(".rj-form-quote")
    expect(quote).to_be_visible()
    expect(quote.locator("blockquote")).to_have_text("paid over ten years")
    expect(form.get_by_label("Write a comment")).to_be_focused()
    post_from_form(box, "Ten years is a long time.")

    item = box.locator(".rj-thread > .rj-comment").first
    expect(item.locator(".rj-body")).to_have_text("Ten years is a long time.")
    expect(item.locator(".rj-quoted")).to_have_text("paid over ten years")
    mark = highlight(tab, "paid over ten years")
    expect(mark).to_have_attribute("data-rj-count", "1")
    expect(box.locator(".rj-inline-total")).to_have_text("1")
    expect(quote).to_be_hidden()
    anchor = Anchor.objects.get()
    assert anchor.exact == "paid over ten years"
    assert page_text(story.page)[anchor.start : anchor.end] == "paid over ten years"  # type: ignore[index]

    # The highlight opens the passage's comments beside the text, and Escape closes them.
    mark.click()
    panel = tab.get_by_role("dialog", name="1 comment on this passage")
    expect(panel).to_be_visible()
    expect(panel.locator(".rj-comment .rj-body")).to_have_text("Ten years is a long time.")
    expect(panel.locator(".rj-panel-heading")).to_be_focused()
    assert panel.evaluate("(el) => getComputedStyle(el).position") == "fixed"
    tab.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(mark).to_be_focused()

    # The filter lists it with its quote; its link goes back to the highlight.
    box.get_by_role("link", name=re.compile(r"Inline Feedbacks \(1\)")).click()
    tab.wait_for_url(re.compile(r"filter=inline"))
    listed = tab.locator("#comments .rj-thread > .rj-comment")
    expect(listed).to_have_count(1)
    expect(listed.locator(".rj-quoted")).to_have_text("paid over ten years")
    listed.get_by_role("link", name="Show in the article").click()
    tab.wait_for_url(re.compile(rf"#passage-{anchor.start}-{anchor.end}$"))
    expect(highlight(tab, "paid over ten years")).to_have_class(re.compile(r"\brj-flash\b"))
    assert (
        tab.evaluate("() => document.querySelector(':target').textContent") == "paid over ten years"
    )


def test_selections_reaching_outside_the_article_get_a_message_instead_of_the_button(
    tab: Page, story: Article
) -> None:
    open_article(tab, story)
    tab.evaluate(
        """() => {
          const body = document.querySelector("[data-rj-article-body]");
          const range = document.createRange();
          range.setStart(body.querySelector("p").firstChild, 4);
          range.setEnd(document.querySelector("#comments h2").firstChild, 3);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    expect(tab.locator(".rj-select-message")).to_have_text(
        "Select text within the article to comment on it."
    )
    expect(tab.get_by_role("button", name="Comment on this", exact=True)).to_be_hidden()


def test_a_selection_longer_than_a_quote_can_be_is_explained(tab: Page, live_db: None) -> None:
    long = save_article(
        Article(
            slug="long",
            headline="Long",
            body="\n\n".join(f"Paragraph {n} " + "words " * 60 for n in range(10)),
            author_name="Ed",
        )
    )
    open_article(tab, long)
    tab.evaluate(
        """() => {
          const blocks = document.querySelectorAll("[data-rj-article-body] p");
          const range = document.createRange();
          range.setStart(blocks[0].firstChild, 0);
          range.setEnd(blocks[blocks.length - 1].firstChild, 20);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    expect(tab.locator(".rj-select-message")).to_contain_text("too long to quote")
    expect(tab.get_by_role("button", name="Comment on this", exact=True)).to_be_hidden()


def test_the_keyboard_route_comments_on_a_paragraph(tab: Page, story: Article) -> None:
    box = open_article(tab, story)
    tab.locator("body").focus()
    links = tab.get_by_role("button", name="Comment on this paragraph")
    tab_until(tab, links.first, most=12)
    # The paragraph links are one Tab stop; the arrow keys move between them.
    tab.keyboard.press("ArrowDown")
    link = links.nth(1)
    expect(link).to_be_focused()
    expect(link).to_have_accessible_description(
        "The arrow keys move to the other paragraphs' links."
    )
    tab.keyboard.press("Enter")
    form = box.locator("#rj-form-top")
    expect(form.get_by_label("Write a comment")).to_be_focused()
    expect(form.locator(".rj-form-quote blockquote")).to_have_text(
        "Repairs will cost four million euros, paid over ten years by the port authority."
    )
    # Cancelling the quote returns to the paragraph's link.
    form.get_by_role("link", name="Cancel quote").click()
    expect(form.locator(".rj-form-quote")).to_be_hidden()
    expect(link).to_be_focused()
    tab.keyboard.press(" ")
    expect(form.locator(".rj-form-quote")).to_be_visible()
    post_from_form(box, "Who pays?")
    mark = highlight(tab, "Repairs will cost")
    expect(count_badge(tab, "Repairs will cost")).to_have_attribute("data-rj-count", "1")
    # The highlight is reachable and opens with the keyboard too.
    mark.focus()
    tab.keyboard.press("Enter")
    panel = tab.get_by_role("dialog")
    expect(panel.locator(".rj-body")).to_have_text("Who pays?")
    panel.get_by_role("button", name="Close").click()
    expect(mark).to_be_focused()


def test_on_a_phone_the_comments_open_below_the_paragraph(
    phone_tab: Page, story: Article, other_reader: Commenter
) -> None:
    comment_on(story, "four million", other_reader, "Too expensive.")
    open_article(phone_tab, story)
    highlight(phone_tab, "four million").click()
    panel = phone_tab.get_by_role("dialog")
    expect(panel.locator(".rj-body")).to_have_text("Too expensive.")
    assert panel.evaluate("(el) => getComputedStyle(el).position") == "static"
    # Right after the paragraph, before the next one.
    assert panel.evaluate(
        "(el) => el.previousElementSibling.closest('[data-rj-block]') !== null"
        " || el.previousElementSibling.matches('.rj-para-tools')"
    )
    paragraph = phone_tab.locator("[data-rj-article-body] p", has_text="Repairs will cost")
    next_paragraph = phone_tab.locator("[data-rj-article-body] p", has_text="Cyclists")
    top = panel.bounding_box()["y"]  # type: ignore[index]
    assert paragraph.bounding_box()["y"] < top < next_paragraph.bounding_box()["y"]  # type: ignore[index]
    # Replying works there as anywhere else.
    panel.get_by_role("link", name="Reply").click()
    reply_form = panel.locator(".rj-reply-box form")
    reply_form.get_by_label("Your reply").fill("Cheaper than a new bridge.")
    reply_form.get_by_label("Name").fill("Ana")
    reply_form.get_by_role("button", name="Post reply").click()
    expect(panel.locator(".rj-replies .rj-body")).to_have_text("Cheaper than a new bridge.")
    assert Comment.objects.filter(parent__isnull=False).count() == 1


def test_answering_an_author_prompt(tab: Page, story: Article) -> None:
    prompt = Prompt(page=story.page, question="Is this money well spent?")
    text = extract_text(story.body_html)
    pin_prompt(prompt, text, text.blocks[1])
    prompt.save()
    story.page.bump()
    box = open_article(tab, story)
    shown = tab.locator(".rj-prompt")
    expect(shown).to_contain_text("Is this money well spent?")
    expect(shown).to_contain_text("0 answers")
    shown.get_by_role("button", name="Answer this question").click()
    form = box.locator("#rj-form-top")
    expect(form.locator(".rj-form-quote")).to_contain_text("Answering the author's question:")
    expect(form.locator(".rj-form-quote blockquote")).to_have_text("Is this money well spent?")
    post_from_form(box, "Yes, the port needs it.")
    expect(box.locator(".rj-thread .rj-quote-prompt").first).to_contain_text(
        "Is this money well spent?"
    )
    expect(tab.locator(".rj-prompt")).to_contain_text("1 answer")
    anchor = Anchor.objects.get()
    assert anchor.prompt_id == prompt.pk


def test_highlights_follow_admin_edits_and_orphans_say_so(
    tab: Page, story: Article, other_reader: Commenter
) -> None:
    kept = comment_on(story, "paid over ten years", other_reader, "Long loan.")
    lost = comment_on(story, "separated from the traffic by a low kerb", other_reader, "Kerbs!")
    User.objects.create_superuser("editor", "editor@example.org", "pw-editor-1")

    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill("editor")
    tab.get_by_label("Password").fill("pw-editor-1")
    tab.get_by_role("button", name="Log in").click()
    tab.goto(f"/admin/pages/article/{story.pk}/change/")
    body = tab.get_by_label("Body (Markdown)")
    body.fill(
        "The council met on Tuesday to discuss the harbour bridge and its future.\n\n"
        "After a long debate, repairs will cost **four million** euros, paid over ten years"
        " by the port authority.\n\n"
        "Cyclists get a lane of their own."
    )
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    box = open_article(tab, story)
    expect(highlight(tab, "paid over ten years")).to_have_text("paid over ten years")
    expect(tab.locator("mark.rj-passage")).to_have_count(1)
    orphan = box.locator(f"#comment-{lost.pk}")
    expect(orphan).to_contain_text(
        "The passage this comment was about is no longer in the article."
    )
    original = orphan.locator("details.rj-quote-original")
    expect(original.locator(".rj-quoted-exact")).to_be_hidden()
    original.locator("summary").click()
    expect(original.locator(".rj-quoted-exact")).to_have_text(
        "separated from the traffic by a low kerb"
    )
    expect(box.locator(f"#comment-{kept.pk} .rj-quoted")).to_have_text("paid over ten years")


def test_without_javascript_a_paragraph_link_quotes_it_and_the_comment_lists_with_its_quote(
    nojs_tab: Page, story: Article
) -> None:
    open_article(nojs_tab, story, scripted=False)
    nojs_tab.get_by_role("link", name="Comment on this paragraph").nth(2).click()
    nojs_tab.wait_for_url(re.compile(r"\?passage=2#comment-form$"))
    form = nojs_tab.locator("#rj-form-top")
    expect(form.locator(".rj-form-quote blockquote")).to_have_text(
        "Cyclists get a lane of their own, separated from the traffic by a low kerb."
    )
    form.get_by_label("Write a comment").fill("Finally!")
    form.get_by_label("Name").fill("Ana")
    form.get_by_role("button", name="Post").click()
    nojs_tab.wait_for_url(re.compile(r"#comment-\d+$"))
    item = nojs_tab.locator("#comments .rj-thread > .rj-comment").first
    expect(item.locator(".rj-quoted")).to_have_text(
        "Cyclists get a lane of their own, separated from the traffic by a low kerb."
    )
    expect(item.locator(".rj-body")).to_have_text("Finally!")
    expect(count_badge(nojs_tab, "Cyclists get a lane")).to_have_attribute("data-rj-count", "1")
    nojs_tab.get_by_role("link", name=re.compile(r"Inline Feedbacks \(1\)")).click()
    expect(nojs_tab.locator("#comments .rj-thread > .rj-comment .rj-quoted")).to_have_count(1)


def test_inline_feedback_is_voted_on_and_edited_like_any_comment(
    tab: Page, story: Article, other_reader: Commenter
) -> None:
    theirs = comment_on(story, "four million", other_reader, "Too expensive.")
    box = open_article(tab, story)
    highlight(tab, "four million").click()
    panel = tab.get_by_role("dialog")
    panel.get_by_role("button", name="Upvote").click()
    expect(panel.get_by_role("button", name="Upvote, 1 vote")).to_have_attribute(
        "aria-pressed", "true"
    )
    theirs.refresh_from_db()
    assert theirs.upvotes == 1
    panel.get_by_role("button", name="Close").click()

    select_words(tab, "by the port authority")
    tab.get_by_role("button", name="Comment on this", exact=True).click()
    post_from_form(box, "Which port?")
    mine = box.locator(".rj-thread > .rj-comment").first
    mine.get_by_role("link", name="Edit").click()
    editor = mine.locator(".rj-edit-form")
    editor.get_by_label("Comment").fill("Which port authority?")
    editor.get_by_role("button", name="Save").click()
    expect(mine.locator(".rj-body")).to_have_text("Which port authority?")
    expect(mine.locator(".rj-quoted")).to_have_text("by the port authority")


def test_deleting_an_inline_comment_in_place_removes_its_highlight(
    tab: Page, story: Article
) -> None:
    box = open_article(tab, story)
    select_words(tab, "harbour bridge")
    tab.get_by_role("button", name="Comment on this", exact=True).click()
    post_from_form(box, "Old bridge.")
    expect(highlight(tab, "harbour bridge")).to_be_visible()
    tab.on("dialog", lambda dialog: dialog.accept())
    box.locator(".rj-thread > .rj-comment").first.get_by_role("link", name="Delete").click()
    expect(tab.locator("[data-rj-article-body] mark.rj-passage")).to_have_count(0)
    expect(box.locator(".rj-inline-total")).to_have_text("0")


TRICKY = (
    "An émoji 🚲 first, then   spaces,&nbsp;a no-break space and a line  \n"
    "break.\n\n"
    "- Tight *item* one\n"
    "- Item two with `code`\n"
    "  - A nested item\n\n"
    "1. Loose item\n\n"
    "   Its second paragraph\n\n"
    "> Quoted **words** here\n\n"
    "```\nline one\n  indented two\n```\n\n"
    "| A | B |\n|---|---|\n| cell one | cell 🚲 two |\n\n"
    "Last paragraph & done."
)


def test_the_script_quotes_every_block_exactly_as_the_server_counts_it(
    tab: Page, live_db: None, rate_limits_off: None
) -> None:
    tricky = save_article(Article(slug="tricky", headline="Tricky", body=TRICKY, author_name="Ed"))
    text = extract_text(tricky.body_html)
    box = open_article(tab, tricky)
    form = box.locator("#rj-form-top")
    leaves = tab.evaluate(
        """() => Array.from(document.querySelectorAll("[data-rj-block]"))
             .filter((el) => !el.querySelector("[data-rj-block]"))
             .map((el) => Number(el.dataset.rjBlock))"""
    )
    assert len(leaves) >= 10
    for index in leaves:
        tab.evaluate(
            """(index) => {
              const range = document.createRange();
              range.selectNodeContents(document.querySelector(`[data-rj-block="${index}"]`));
              getSelection().removeAllRanges();
              getSelection().addRange(range);
            }""",
            index,
        )
        tab.get_by_role("button", name="Comment on this", exact=True).click()
        block = text.blocks[index]
        expected = {
            "passage_exact": text.text[block.start : block.end],
            "passage_prefix": text.text[max(0, block.start - 32) : block.start],
            "passage_suffix": text.text[block.end : block.end + 32],
            "passage_start": str(block.start),
            "passage_end": str(block.end),
        }
        sent = {name: form.locator(f"input[name={name}]").input_value() for name in expected}
        assert sent == expected, f"block {index}"


def test_comment_on_this_passage_from_its_panel(
    tab: Page, story: Article, other_reader: Commenter
) -> None:
    comment_on(story, "four million", other_reader, "Too expensive.")
    box = open_article(tab, story)
    highlight(tab, "four million").click()
    tab.get_by_role("dialog").get_by_role("button", name="Comment on this passage").click()
    expect(tab.get_by_role("dialog")).to_have_count(0)
    form = box.locator("#rj-form-top")
    expect(form.locator(".rj-form-quote blockquote")).to_have_text("four million")
    expect(form.get_by_label("Write a comment")).to_be_focused()
    post_from_form(box, "Not that much.")
    expect(count_badge(tab, "four million")).to_have_attribute("data-rj-count", "2")
    highlight(tab, "four million").click()
    expect(tab.get_by_role("dialog", name="2 comments on this passage")).to_be_visible()
