"""Reading inline feedback: the passages to highlight, the prompts to show, the filtered thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment, CommentStatus, body_digest
from rejoinder.comments.thread import ReplyLimits, ThreadWindow, read_thread
from rejoinder.errors import NotFound
from rejoinder.inline.models import Anchor, ArticleRevision, FoundBy, Prompt
from rejoinder.inline.text import BLOCK_SEPARATOR, ArticleText, extract_text
from rejoinder.pages.models import CommentSort, Page
from rejoinder.pages.publishing import render_article_markdown

ABOUT_A_PASSAGE = Q(anchor__isnull=False)
"""The top-level filter of `read_thread` that keeps only comments about a passage."""


@dataclass(frozen=True)
class PassageView:
    """One highlighted passage and the published comments about it.

    `start`/`end` are offsets in the page's current text; both are None on a page whose text is
    unknown (an embed), where the host page finds `exact` between `prefix` and `suffix` itself.
    `changed` is true when the text there differs from what some commenter quoted.
    """

    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    comment_ids: tuple[int, ...]
    changed: bool

    @property
    def count(self) -> int:
        return len(self.comment_ids)

    @property
    def comment_count(self) -> int:
        return len(self.comment_ids)


def find_passage(
    page: Page,
    *,
    start: int | None = None,
    end: int | None = None,
    quote: tuple[str, str, str] | None = None,
) -> PassageView | None:
    """Return the page's highlighted passage at `start`-`end` of its text, or, on a page whose
    text is unknown (an embed), the one quoting (exact, prefix, suffix); None if none is there."""
    for found in passages(page):
        if start is not None and (found.start, found.end) == (start, end):
            return found
        if (
            quote is not None
            and found.start is None
            and (found.exact, found.prefix, found.suffix) == quote
        ):
            return found
    return None


@dataclass(frozen=True)
class PromptView:
    """An open question pinned to a paragraph: block `block_index`, `start`/`end` in the text."""

    id: int
    question: str
    start: int
    end: int
    block_index: int
    exact: str
    answer_count: int
    is_open: bool = True

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class OriginalPassage:
    """A passage as its commenter saw it: the revision, and the paragraph(s) around it there.

    `context` is the text of the block(s) holding the passage in that revision; the passage is
    `context[start - context_start : end - context_start]`.
    """

    comment_id: int
    exact: str
    prefix: str
    suffix: str
    revision: int
    revision_created_at: datetime
    start: int
    end: int
    context: str
    context_start: int


def passages(page: Page) -> list[PassageView]:
    """Return the page's passages with published comments, in text order (one query).

    Orphaned anchors are left out (their comments still show their quote in the thread).
    Comments on the same span are grouped.
    """
    rows = (
        Anchor.objects.filter(page=page, comment__status=CommentStatus.PUBLISHED)
        .exclude(found_by=FoundBy.ORPHANED)
        .order_by("current_start", "current_end", "comment_id")
        .values_list(
            "comment_id", "current_start", "current_end", "exact", "prefix", "suffix", "changed"
        )
    )
    grouped: dict[tuple[object, ...], list[tuple[int, bool]]] = {}
    firsts: dict[tuple[object, ...], tuple[int | None, int | None, str, str, str]] = {}
    for comment_id, start, end, exact, prefix, suffix, changed in rows:
        key: tuple[object, ...] = (start, end) if start is not None else (exact, prefix, suffix)
        grouped.setdefault(key, []).append((comment_id, changed))
        firsts.setdefault(key, (start, end, exact, prefix, suffix))
    views = []
    for key, members in grouped.items():
        start, end, exact, prefix, suffix = firsts[key]
        views.append(
            PassageView(
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                comment_ids=tuple(comment_id for comment_id, _changed in members),
                changed=any(changed for _id, changed in members),
            )
        )
    return views


def anchors_for(comment_ids: Iterable[int]) -> dict[int, Anchor]:
    """Return the anchors of those comments that have one, by comment id (one query).

    Each comes with its prompt and the number (not the text) of its revisions.
    """
    ids = list(comment_ids)
    if not ids:
        return {}
    anchors = (
        Anchor.objects.filter(comment_id__in=ids)
        .select_related("prompt", "revision", "current_revision")
        .defer(
            "revision__text",
            "revision__body",
            "current_revision__text",
            "current_revision__body",
        )
    )
    return {anchor.comment_id: anchor for anchor in anchors}


def inline_count(page: Page) -> int:
    """Return how many published top-level comments on the page are about a passage."""
    return Anchor.objects.filter(page=page, comment__status=CommentStatus.PUBLISHED).count()


def prompts_for(page: Page) -> list[PromptView]:
    """Return the page's open prompts that are still placed, in text order, with answer counts."""
    prompts = (
        Prompt.objects.filter(
            page=page, is_open=True, start__isnull=False, block_index__isnull=False
        )
        .exclude(status=FoundBy.ORPHANED)
        .annotate(
            answer_count=Count(
                "answers", filter=Q(answers__comment__status=CommentStatus.PUBLISHED)
            )
        )
        .order_by("start", "id")
    )
    return [
        PromptView(
            id=prompt.pk,
            question=prompt.question,
            start=prompt.start or 0,
            end=prompt.end or 0,
            block_index=prompt.block_index or 0,
            exact=prompt.exact,
            answer_count=prompt.answer_count,  # type: ignore[attr-defined]
        )
        for prompt in prompts
    ]


def read_inline_thread(
    page: Page,
    sort: CommentSort,
    after: Comment | None = None,
    *,
    page_number: int = 1,
    page_size: int | None = None,
    replies: ReplyLimits | None = None,
) -> ThreadWindow:
    """Return a window of the thread with only the top-level comments about a passage.

    `after` is a cursor from `comments.thread.decode_cursor`, and `replies` limits the
    replies shown, as for `read_thread`.
    """
    return read_thread(
        page=page,
        sort=sort,
        page_number=page_number,
        page_size=page_size,
        after=after,
        top_level=ABOUT_A_PASSAGE,
        replies=replies,
    )


def original_passage(comment_id: int) -> OriginalPassage:
    """Return the passage of a published comment as it read in the revision it was made on.

    Raise NotFound if the comment is not published, has no passage, or was made on a page
    whose text Rejoinder does not know.
    """
    anchor = (
        Anchor.objects.select_related("revision")
        .filter(comment_id=comment_id, comment__status=CommentStatus.PUBLISHED)
        .first()
    )
    if anchor is None or anchor.revision is None or anchor.start is None or anchor.end is None:
        raise NotFound(_("That comment has no passage in a known revision of the article."))
    text = anchor.revision.text
    context_start, context_end = _surrounding_blocks(anchor.revision, anchor.start, anchor.end)
    return OriginalPassage(
        comment_id=anchor.comment_id,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        revision=anchor.revision.number,
        revision_created_at=anchor.revision.created_at,
        start=anchor.start,
        end=anchor.end,
        context=text[context_start:context_end],
        context_start=context_start,
    )


def _surrounding_blocks(revision: ArticleRevision, start: int, end: int) -> tuple[int, int]:
    """Return the span of the whole block(s) of the revision's text holding text[start:end]."""
    text = revision.text
    # The same Markdown always gives the same blocks: work them out (render, parse) once.
    key = f"revision-blocks:{body_digest(revision.body)}"
    article_text: ArticleText | None = cache.get(key)
    if article_text is None:
        article_text = extract_text(render_article_markdown(revision.body))
        cache.set(key, article_text, timeout=None)
    if article_text.text == text:
        first = article_text.block_at(start)
        last = article_text.block_at(max(start, end - 1))
        if first is not None and last is not None:
            return first.start, last.end
    # Rendered differently then (an older renderer): blank lines separate blocks, except in
    # preformatted text, so the context may be a little short there.
    before = text.rfind(BLOCK_SEPARATOR, 0, start)
    after = text.find(BLOCK_SEPARATOR, end)
    return (
        0 if before == -1 else before + len(BLOCK_SEPARATOR),
        len(text) if after == -1 else after,
    )
