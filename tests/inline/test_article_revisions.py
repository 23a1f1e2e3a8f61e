"""Revisions recorded by save_article, and anchored passages followed through each edit."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.inline.conftest import edit_article
from tests.inline.corpus import BUDGET, drop_paragraph, edit

from rejoinder.comments.models import Comment, Commenter
from rejoinder.inline.anchoring import MAX_QUOTE_CHARS
from rejoinder.inline.models import Anchor, ArticleRevision, FoundBy, Prompt
from rejoinder.inline.posting import post_inline_comment
from rejoinder.inline.rendering import quote_paragraph
from rejoinder.inline.revisions import page_text, pin_prompt, record_revision
from rejoinder.inline.text import extract_text
from rejoinder.pages.lookup import default_site, ensure_page
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

PASSAGE = "operate on last year's spending plan"


def anchor_of(comment: Comment) -> Anchor:
    return Anchor.objects.get(comment=comment)


def current_text(article: Article, anchor: Anchor) -> str:
    text = page_text(article.page)
    assert text is not None
    assert anchor.current_start is not None
    return text[anchor.current_start : anchor.current_end]


def test_publishing_records_revision_one_with_the_plain_text(article: Article) -> None:
    revision = ArticleRevision.objects.get(page=article.page)
    assert revision.number == 1
    assert revision.body == BUDGET
    assert revision.text == extract_text(article.body_html).text
    assert page_text(article.page) == revision.text


def test_only_a_changed_text_makes_a_new_revision_and_numbers_count_up(article: Article) -> None:
    edit_article(article, BUDGET)
    article.headline = "Budget delay"
    edit_article(article, BUDGET)
    assert list(article.page.revisions.values_list("number", flat=True)) == [1]
    edit_article(article, BUDGET + "\n\nA late paragraph.")
    edit_article(article, BUDGET + "\n\nA later paragraph.")
    assert sorted(article.page.revisions.values_list("number", flat=True)) == [1, 2, 3]
    assert page_text(article.page).endswith("A later paragraph.")  # type: ignore[union-attr]


def test_a_page_that_is_not_an_article_has_no_known_text(db: None) -> None:
    page = ensure_page(default_site(), "/elsewhere/", title="Elsewhere")
    assert page_text(page) is None


def test_words_inserted_before_the_passage_move_it_by_quote(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, PASSAGE))
    edit_article(article, "A new opening paragraph, added later.\n\n" + BUDGET)
    anchor.refresh_from_db()
    assert anchor.found_by == FoundBy.QUOTE
    assert anchor.current_start == anchor.start + len("A new opening paragraph, added later.\n\n")  # type: ignore[operator]
    assert current_text(article, anchor) == PASSAGE
    assert not anchor.changed
    assert not anchor.is_orphaned
    assert anchor.revision is not None
    assert anchor.revision.number == 1
    assert anchor.current_revision is not None
    assert anchor.current_revision.number == 2


def test_an_edit_after_the_passage_keeps_its_position(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, PASSAGE))
    edit_article(article, BUDGET + "\n\nAn update at the end.")
    anchor.refresh_from_db()
    assert anchor.found_by == FoundBy.POSITION
    assert (anchor.current_start, anchor.current_end) == (anchor.start, anchor.end)


def test_a_moved_paragraph_takes_its_passage_along(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, PASSAGE))
    paragraphs = BUDGET.split("\n\n")
    moved = "\n\n".join([paragraphs[1], paragraphs[0], *paragraphs[2:]])
    edit_article(article, moved)
    anchor.refresh_from_db()
    assert anchor.found_by == FoundBy.QUOTE
    assert current_text(article, anchor) == PASSAGE
    assert anchor.current_start is not None
    assert anchor.current_start < anchor.start


def test_a_typo_fixed_in_the_passage_is_found_fuzzily_and_flagged_changed(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    body = edit(BUDGET, ("spending plan", "spendng plan"))
    edit_article(article, body)
    anchor = anchor_of(comment_on(article, "operate on last year's spendng plan"))
    edit_article(article, BUDGET)
    anchor.refresh_from_db()
    assert anchor.found_by == FoundBy.FUZZY
    assert current_text(article, anchor) == PASSAGE
    assert anchor.changed
    assert anchor.exact == "operate on last year's spendng plan"


def test_a_duplicated_phrase_keeps_the_occurrence_the_reader_chose(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, "car park", occurrence=1))
    edit_article(article, "Short intro about the car park.\n\n" + BUDGET)
    anchor.refresh_from_db()
    new_text = page_text(article.page) or ""
    occurrences = [match.start() for match in re.finditer("car park", new_text)]
    # Now the third of four: the intro added one before it.
    assert anchor.current_start == occurrences[2]
    assert current_text(article, anchor) == "car park"


def test_a_passage_whose_paragraph_is_cut_is_orphaned_and_keeps_its_quote(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, PASSAGE))
    edit_article(article, drop_paragraph(BUDGET, 1))
    anchor.refresh_from_db()
    assert anchor.is_orphaned
    assert anchor.found_by == FoundBy.ORPHANED
    assert anchor.current_start is None
    assert anchor.current_end is None
    assert anchor.exact == PASSAGE
    assert anchor.changed


def test_an_orphaned_passage_comes_back_when_the_text_is_restored(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, PASSAGE))
    edit_article(article, drop_paragraph(BUDGET, 1))
    edit_article(article, BUDGET)
    anchor.refresh_from_db()
    assert not anchor.is_orphaned
    assert current_text(article, anchor) == PASSAGE
    assert not anchor.changed


def test_successive_small_edits_are_followed_from_revision_to_revision(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    anchor = anchor_of(comment_on(article, "members clashed over the cost of repairing"))
    body = BUDGET
    for old, new in [
        ("members clashed", "members argued"),
        ("the cost of repairing", "the cost of fixing"),
        ("members argued", "councillors argued"),
    ]:
        body = edit(body, (old, new))
        edit_article(article, body)
    anchor.refresh_from_db()
    assert not anchor.is_orphaned
    assert current_text(article, anchor).startswith("councillors argued over the cost of fixing")
    assert anchor.changed
    assert anchor.current_revision is not None
    assert anchor.current_revision.number == 4


def test_a_prompt_follows_its_paragraph_and_spans_all_of_it_after_an_edit(
    article: Article,
) -> None:
    text = extract_text(article.body_html)
    prompt = Prompt(page=article.page, question="Was the delay right?")
    pin_prompt(prompt, text, text.blocks[1])
    prompt.save()
    edit_article(article, edit(BUDGET, ("until at least March", "until at least April")))
    edit_article(article, "Intro.\n\n" + edit(BUDGET, ("until at least March", "until April")))
    prompt.refresh_from_db()
    new_text = extract_text(article.body_html)
    assert prompt.block_index == 2
    assert (prompt.start, prompt.end) == (new_text.blocks[2].start, new_text.blocks[2].end)
    assert prompt.exact.startswith("The delay means")
    assert "until April" in prompt.exact
    assert prompt.status in (FoundBy.FUZZY, FoundBy.QUOTE)


def test_a_prompt_whose_paragraph_is_cut_is_orphaned(article: Article) -> None:
    text = extract_text(article.body_html)
    prompt = Prompt(page=article.page, question="Why?")
    pin_prompt(prompt, text, text.blocks[3])
    prompt.save()
    edit_article(article, drop_paragraph(BUDGET, 3))
    prompt.refresh_from_db()
    assert prompt.is_orphaned
    assert prompt.start is None
    assert prompt.block_index is None


def test_an_edit_bumps_the_page_version_once_per_save(article: Article) -> None:
    version = article.page.__class__.objects.get(pk=article.page_id).version
    edit_article(article, BUDGET + "\n\nMore.")
    assert article.page.__class__.objects.get(pk=article.page_id).version == version + 1


def test_record_revision_without_a_change_returns_none(article: Article) -> None:
    article.refresh_from_db()
    assert record_revision(article) is None


def test_a_paragraph_longer_than_a_quote_is_pinned_and_answered_by_its_opening_words(
    make_reader: Callable[[], Commenter],
) -> None:
    long = " ".join(f"Sentence {n} of a very long council statement." for n in range(70))
    assert len(long) > MAX_QUOTE_CHARS
    article = save_article(
        Article(slug="long", headline="Long", body=f"Intro.\n\n{long}", author_name="R.")
    )
    text = extract_text(article.body_html)
    prompt = Prompt(page=article.page, question="Too long?")
    pin_prompt(prompt, text, text.blocks[1])
    prompt.save()

    edit_article(article, f"Intro.\n\nA new line.\n\n{long}")  # re-anchoring must not fail the save

    prompt.refresh_from_db()
    assert not prompt.is_orphaned
    assert prompt.block_index == 2
    assert len(prompt.exact) <= MAX_QUOTE_CHARS
    assert long.startswith(prompt.exact)
    answer = post_inline_comment(
        page=article.page, author=make_reader(), name="Ana", body="Yes.", prompt_id=prompt.pk
    )
    assert answer.anchor.exact == prompt.exact
    quoted = quote_paragraph(article, 2)
    assert quoted is not None
    assert (quoted.exact, quoted.start) == (prompt.exact, prompt.start)
