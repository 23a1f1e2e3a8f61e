"""Reading inline feedback: passages to highlight, prompts, the filtered thread, the original."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.inline.conftest import edit_article
from tests.inline.corpus import BUDGET, drop_paragraph, edit

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import delete_comment, post_comment
from rejoinder.comments.thread import read_thread
from rejoinder.errors import NotFound
from rejoinder.inline.models import Prompt
from rejoinder.inline.posting import PassageSelector, post_inline_comment
from rejoinder.inline.reading import (
    anchors_for,
    inline_count,
    original_passage,
    passages,
    prompts_for,
    read_inline_thread,
)
from rejoinder.inline.revisions import page_text, pin_prompt
from rejoinder.inline.text import extract_text
from rejoinder.pages.models import Article, CommentSort, Page

PASSAGE = "operate on last year's spending plan"
OTHER = "The car park, which opened in 1974"


def test_passages_group_published_comments_by_place_in_text_order(
    article: Article, comment_on: Callable[..., Comment], reader: Commenter
) -> None:
    later = comment_on(article, OTHER)
    first = comment_on(article, PASSAGE)
    second = comment_on(article, PASSAGE)
    hidden = comment_on(article, "Councillor Imran Shah")
    Comment.objects.filter(pk=hidden.pk).update(status=CommentStatus.PENDING)
    post_comment(page=article.page, author=reader, name="B", body="Reply", parent_id=first.pk)

    views = passages(article.page)

    text = page_text(article.page) or ""
    assert [(v.start, v.end) for v in views] == [
        (text.index(PASSAGE), text.index(PASSAGE) + len(PASSAGE)),
        (text.index(OTHER), text.index(OTHER) + len(OTHER)),
    ]
    assert views[0].comment_ids == (first.pk, second.pk)
    assert views[0].count == 2
    assert views[1].comment_ids == (later.pk,)
    assert views[1].comment_count == 1
    assert not views[0].changed


def test_orphaned_passages_are_not_highlighted(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    comment_on(article, PASSAGE)
    edit_article(article, drop_paragraph(BUDGET, 1))
    assert passages(article.page) == []
    assert inline_count(article.page) == 1


def test_passages_and_anchors_each_cost_one_query_whatever_their_number(
    article: Article,
    comment_on: Callable[..., Comment],
    django_assert_num_queries: Callable,  # type: ignore[type-arg]
) -> None:
    comments = [comment_on(article, p) for p in (PASSAGE, OTHER, "Imran Shah", "Corn Exchange")]
    comments += [comment_on(article, PASSAGE) for _n in range(6)]
    with django_assert_num_queries(1):
        views = passages(article.page)
    assert sum(v.count for v in views) == 10
    with django_assert_num_queries(1):
        anchors = anchors_for([c.pk for c in comments])
        # Prompt and revisions come with them.
        assert {a.revision.number for a in anchors.values()} == {1}  # type: ignore[union-attr]
        assert {a.prompt for a in anchors.values()} == {None}
    assert set(anchors) == {c.pk for c in comments}
    with django_assert_num_queries(0):
        assert anchors_for([]) == {}


def test_inline_count_counts_published_inline_comments_only(
    article: Article, comment_on: Callable[..., Comment], reader: Commenter
) -> None:
    kept = comment_on(article, PASSAGE)
    gone = comment_on(article, OTHER, author=reader)
    post_comment(page=article.page, author=reader, name="B", body="Not inline")
    post_comment(page=article.page, author=reader, name="B", body="Reply", parent_id=kept.pk)
    delete_comment(comment_id=gone.pk, requester=reader)
    assert inline_count(article.page) == 1


def test_the_inline_thread_keeps_anchored_top_level_comments_with_their_replies(
    article: Article,
    comment_on: Callable[..., Comment],
    reader: Commenter,
    django_assert_num_queries: Callable,  # type: ignore[type-arg]
) -> None:
    inline = [comment_on(article, PASSAGE), comment_on(article, OTHER)]
    plain = post_comment(page=article.page, author=reader, name="B", body="Not inline")
    reply = post_comment(
        page=article.page, author=reader, name="B", body="Reply", parent_id=inline[0].pk
    )
    post_comment(page=article.page, author=reader, name="B", body="Reply", parent_id=plain.pk)

    with django_assert_num_queries(2):
        window = read_inline_thread(article.page, CommentSort.OLDEST, page_size=20)
    assert [n.comment.pk for n in window.nodes] == [c.pk for c in inline]
    assert [r.comment.pk for r in window.nodes[0].replies] == [reply.pk]
    with django_assert_num_queries(2):
        everything = read_inline_thread(article.page, CommentSort.NEWEST)
    assert [n.comment.pk for n in everything.nodes] == [inline[1].pk, inline[0].pk]
    assert len(read_thread(page=article.page, sort=CommentSort.OLDEST, page_size=20).nodes) == 3


def test_the_inline_thread_pages_with_a_cursor(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    comments = [comment_on(article, PASSAGE) for _n in range(3)]
    first = read_inline_thread(article.page, CommentSort.OLDEST, page_size=2)
    assert first.has_next
    assert first.next_cursor
    after = Comment.objects.get(pk=first.nodes[-1].comment.pk)
    rest = read_inline_thread(article.page, CommentSort.OLDEST, after, page_size=2)
    assert [n.comment.pk for n in first.nodes + rest.nodes] == [c.pk for c in comments]
    assert not rest.has_next


@pytest.fixture
def prompts(article: Article) -> list[Prompt]:
    text = extract_text(article.body_html)
    made = []
    for index, question, is_open in [(3, "Later?", True), (1, "Why?", True), (2, "No", False)]:
        prompt = Prompt(page=article.page, question=question, is_open=is_open)
        pin_prompt(prompt, text, text.blocks[index])
        prompt.save()
        made.append(prompt)
    return made


def test_prompts_for_lists_open_placed_prompts_in_text_order_with_published_answers(
    article: Article,
    prompts: list[Prompt],
    reader: Commenter,
    django_assert_num_queries: Callable,  # type: ignore[type-arg]
) -> None:
    later, why, _closed = prompts
    for _n in range(2):
        post_inline_comment(page=article.page, author=reader, name="A", body="x", prompt_id=why.pk)
    pending = post_inline_comment(
        page=article.page, author=reader, name="A", body="x", prompt_id=why.pk
    )
    Comment.objects.filter(pk=pending.pk).update(status=CommentStatus.PENDING)
    with django_assert_num_queries(1):
        views = prompts_for(article.page)
    assert [(v.id, v.question, v.answer_count, v.block_index) for v in views] == [
        (why.pk, "Why?", 2, 1),
        (later.pk, "Later?", 0, 3),
    ]
    assert views[0].pk == why.pk
    assert views[0].is_open
    assert views[0].exact.startswith("The delay means")


def test_an_orphaned_prompt_is_not_offered(article: Article, prompts: list[Prompt]) -> None:
    edit_article(article, drop_paragraph(BUDGET, 1))
    assert [v.question for v in prompts_for(article.page)] == ["Later?"]


def test_the_original_passage_shows_the_paragraph_as_the_commenter_saw_it(
    article: Article, comment_on: Callable[..., Comment]
) -> None:
    comment = comment_on(article, PASSAGE)
    edit_article(article, edit(BUDGET, ("spending plan", "budget")))
    original = original_passage(comment.pk)
    assert original.revision == 1
    assert original.exact == PASSAGE
    assert original.context.startswith("The delay means")
    assert original.context.endswith("gap.")
    assert "spending plan" in original.context
    offset = original.start - original.context_start
    assert original.context[offset : offset + len(PASSAGE)] == PASSAGE


def test_no_original_passage_for_hidden_plain_or_textless_comments(
    article: Article, page: Page, comment_on: Callable[..., Comment], reader: Commenter
) -> None:
    hidden = comment_on(article, PASSAGE)
    Comment.objects.filter(pk=hidden.pk).update(status=CommentStatus.SPAM)
    plain = post_comment(page=article.page, author=reader, name="B", body="Not inline")
    textless = post_inline_comment(
        page=page, author=reader, name="B", body="x", selector=PassageSelector(exact="quote")
    )
    for comment in (hidden, plain, textless):
        with pytest.raises(NotFound):
            original_passage(comment.pk)
