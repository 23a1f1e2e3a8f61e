"""Posting comments about passages and answers to prompts: what is stored, what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tests.inline.corpus import BUDGET

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import post_comment
from rejoinder.errors import InvalidInput
from rejoinder.inline.anchoring import MAX_QUOTE_CHARS
from rejoinder.inline.models import Anchor, FoundBy, Prompt
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.revisions import page_text, pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article, Page

PASSAGE = "operate on last year's spending plan"


@contextmanager
def nothing_stored(page: Page) -> Iterator[None]:
    before = (Comment.objects.count(), Anchor.objects.count(), Commenter.objects.count())
    version = Page.objects.get(pk=page.pk).version
    yield
    after = (Comment.objects.count(), Anchor.objects.count(), Commenter.objects.count())
    assert after == before
    assert Page.objects.get(pk=page.pk).version == version


def post(page: Page, author: Commenter, **kwargs: object) -> Comment:
    return post_inline_comment(
        page=page, author=author, name="Ana", body="On this passage.", **kwargs
    )  # type: ignore[arg-type]


def text_of(article: Article) -> str:
    text = page_text(article.page)
    assert text is not None
    return text


def test_a_quote_with_its_position_is_stored_as_the_reader_saw_it(
    article: Article, reader: Commenter
) -> None:
    text = text_of(article)
    start = text.index(PASSAGE)
    comment = post(
        article.page,
        reader,
        selector=PassageSelector(exact=PASSAGE, start=start, end=start + len(PASSAGE)),
    )
    anchor = Anchor.objects.get(comment=comment)
    assert (anchor.exact, anchor.start, anchor.end) == (PASSAGE, start, start + len(PASSAGE))
    assert anchor.prefix == text[start - 32 : start]
    assert anchor.suffix == text[anchor.end : anchor.end + 32]  # type: ignore[operator]
    assert (anchor.current_start, anchor.current_end) == (anchor.start, anchor.end)
    assert anchor.revision is not None
    assert anchor.revision.number == 1
    assert anchor.found_by == FoundBy.CREATED
    assert not anchor.changed
    assert not anchor.is_orphaned
    assert comment.depth == 0
    assert comment.status == CommentStatus.PUBLISHED
    assert Page.objects.get(pk=article.page_id).comment_count == 1


def test_a_quote_alone_is_found_in_the_text_using_its_context(
    article: Article, reader: Commenter
) -> None:
    text = text_of(article)
    second = text.index("car park", text.index("car park") + 1)
    comment = post(
        article.page,
        reader,
        selector=PassageSelector(
            exact="car park", prefix="the ruling group of mismanaging the ", suffix=" project."
        ),
    )
    anchor = Anchor.objects.get(comment=comment)
    assert (anchor.start, anchor.end) == (second, second + len("car park"))


def test_a_position_that_does_not_hold_the_quote_falls_back_to_the_quote(
    article: Article, reader: Commenter
) -> None:
    text = text_of(article)
    comment = post(article.page, reader, selector=PassageSelector(exact=PASSAGE, start=0, end=10))
    anchor = Anchor.objects.get(comment=comment)
    assert anchor.start == text.index(PASSAGE)


def test_a_position_alone_selects_text_when_the_page_text_is_known(
    article: Article, reader: Commenter
) -> None:
    text = text_of(article)
    start = text.index(PASSAGE)
    comment = post(
        article.page,
        reader,
        selector=PassageSelector(exact="", start=start - 1, end=start + len(PASSAGE) + 1),
    )
    anchor = Anchor.objects.get(comment=comment)
    # The whitespace around the selection is trimmed.
    assert anchor.exact == PASSAGE


def test_a_quote_on_a_page_without_known_text_is_kept_as_given_without_position(
    page: Page, reader: Commenter
) -> None:
    comment = post(
        page,
        reader,
        selector=PassageSelector(
            exact="anything the host page shows", prefix="p" * 100, suffix="s", start=5, end=9
        ),
    )
    anchor = Anchor.objects.get(comment=comment)
    assert anchor.exact == "anything the host page shows"
    assert anchor.prefix == "p" * 32
    assert anchor.suffix == "s"
    assert anchor.start is None
    assert anchor.current_start is None
    assert anchor.revision is None
    assert not anchor.is_orphaned


def test_extra_keyword_arguments_reach_post_comment(article: Article, reader: Commenter) -> None:
    comment = post(article.page, reader, selector=PassageSelector(exact=PASSAGE), moderated=False)
    assert comment.status == CommentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        (PassageSelector(exact="words that are not there"), "does not occur"),
        (PassageSelector(exact="x" * (MAX_QUOTE_CHARS + 1)), "at most"),
        (PassageSelector(exact=PASSAGE, prefix="p" * (MAX_QUOTE_CHARS + 1)), "limited"),
        (PassageSelector(exact="   "), "empty"),
        (PassageSelector(exact="", start=0, end=100_000), "outside the article"),
        (PassageSelector(exact=PASSAGE, start=0, end=100_000), "outside the article"),
        (PassageSelector(exact=PASSAGE, start=-1, end=5), "before the beginning"),
        (PassageSelector(exact=PASSAGE, start=9, end=9), "end after it starts"),
        (PassageSelector(exact=PASSAGE, start=9), "both the start and the end"),
        (PassageSelector(exact="plan\x00"), "control characters"),
    ],
)
def test_every_bad_passage_is_refused_and_nothing_is_stored(
    article: Article, reader: Commenter, selector: PassageSelector, message: str
) -> None:
    with nothing_stored(article.page), pytest.raises(InvalidInput, match=message) as refused:
        post(article.page, reader, selector=selector)
    assert refused.value.field == "passage"
    assert refused.value.status == 422


def test_a_position_over_only_whitespace_is_refused(article: Article, reader: Commenter) -> None:
    blank = text_of(article).index("\n\n")
    with nothing_stored(article.page), pytest.raises(InvalidInput, match="only whitespace"):
        post(article.page, reader, selector=PassageSelector(exact="", start=blank, end=blank + 2))


def test_on_a_page_without_known_text_a_position_alone_is_refused(
    page: Page, reader: Commenter
) -> None:
    with nothing_stored(page), pytest.raises(InvalidInput, match="needs its quoted text"):
        post(page, reader, selector=PassageSelector(exact="", start=0, end=5))


def test_a_comment_needs_a_passage_or_a_prompt(article: Article, reader: Commenter) -> None:
    with nothing_stored(article.page), pytest.raises(InvalidInput):
        post(article.page, reader)


def test_an_inline_reply_is_refused_but_an_ordinary_reply_to_an_inline_comment_works(
    article: Article, reader: Commenter
) -> None:
    parent = post(article.page, reader, selector=PassageSelector(exact=PASSAGE))
    with nothing_stored(article.page), pytest.raises(InvalidInput) as refused:
        post(article.page, reader, selector=PassageSelector(exact=PASSAGE), parent_id=parent.pk)
    assert refused.value.field == "parent"
    reply = post_comment(
        page=article.page, author=reader, name="Ana", body="Reply", parent_id=parent.pk
    )
    assert not Anchor.objects.filter(comment=reply).exists()


def test_a_bad_body_stores_no_anchor_either(article: Article, reader: Commenter) -> None:
    with nothing_stored(article.page), pytest.raises(InvalidInput) as refused:
        post_inline_comment(
            page=article.page,
            author=reader,
            name="Ana",
            body="",
            selector=PassageSelector(exact=PASSAGE),
        )
    assert refused.value.field == "body"


@pytest.fixture
def prompt(article: Article) -> Prompt:
    text = extract_text(article.body_html)
    prompt = Prompt(page=article.page, question="Was the delay the right call?")
    pin_prompt(prompt, text, text.blocks[1])
    prompt.save()
    return prompt


def test_an_answer_to_a_prompt_is_anchored_to_its_paragraph(
    article: Article, reader: Commenter, prompt: Prompt
) -> None:
    comment = post(article.page, reader, prompt_id=prompt.pk)
    anchor = Anchor.objects.get(comment=comment)
    assert anchor.prompt == prompt
    assert (anchor.start, anchor.end, anchor.exact) == (prompt.start, prompt.end, prompt.exact)
    assert anchor.exact.startswith("The delay means")
    assert prompt.answers.count() == 1


def test_an_answer_may_quote_its_own_passage(
    article: Article, reader: Commenter, prompt: Prompt
) -> None:
    comment = post(
        article.page, reader, prompt_id=prompt.pk, selector=PassageSelector(exact=PASSAGE)
    )
    anchor = Anchor.objects.get(comment=comment)
    assert anchor.prompt == prompt
    assert anchor.exact == PASSAGE


def test_closed_foreign_and_orphaned_prompts_are_refused(
    article: Article, reader: Commenter, prompt: Prompt, page: Page
) -> None:
    other = Prompt.objects.create(page=page, question="Elsewhere?", exact="x", start=0, end=1)
    closed = Prompt.objects.create(
        page=article.page, question="Closed?", is_open=False, exact=prompt.exact, start=0, end=5
    )
    orphan = Prompt.objects.create(
        page=article.page, question="Lost?", exact="gone", status=FoundBy.ORPHANED
    )
    for prompt_id, message in [
        (other.pk, "does not exist on this page"),
        (closed.pk, "closed"),
        (orphan.pk, "no longer in the article"),
        (999_999, "does not exist"),
    ]:
        with nothing_stored(article.page), pytest.raises(InvalidInput, match=message) as refused:
            post(article.page, reader, prompt_id=prompt_id)
        assert refused.value.field == "passage"


def test_posting_through_the_demo_article_body_is_unaffected(
    article: Article, reader: Commenter
) -> None:
    assert BUDGET.startswith("The city council")
    comment = post(article.page, reader, selector=PassageSelector(exact="The city council"))
    assert Anchor.objects.get(comment=comment).start == 0
