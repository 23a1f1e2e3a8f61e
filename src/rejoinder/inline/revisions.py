"""Article revisions, and following every anchored passage and prompt through each edit."""

from __future__ import annotations

import re

from django.db import transaction

from rejoinder.inline import anchoring
from rejoinder.inline.models import Anchor, ArticleRevision, FoundBy, Prompt
from rejoinder.inline.text import ArticleText, Block, extract_text
from rejoinder.pages.models import Article, Page

_WHITESPACE = re.compile(r"\s+")


def latest_revision(page: Page) -> ArticleRevision | None:
    """Return the page's newest revision, or None for a page whose text Rejoinder does not know.

    Its Markdown `body` is deferred: the plain text is what anchors need.
    """
    return ArticleRevision.objects.filter(page=page).defer("body").order_by("-number").first()


def page_text(page: Page) -> str | None:
    """Return the page's current plain text, or None when it is not known (not an article)."""
    return (
        ArticleRevision.objects.filter(page=page)
        .order_by("-number")
        .values_list("text", flat=True)
        .first()
    )


def same_text(a: str, b: str) -> bool:
    """Tell whether two passages read the same (whitespace runs count as one space)."""
    return _WHITESPACE.sub(" ", a).strip() == _WHITESPACE.sub(" ", b).strip()


def record_revision(article: Article) -> ArticleRevision | None:
    """Record the article's text as a new revision if it changed, and re-anchor the page.

    Called inside `save_article`'s transaction (registered with `on_article_saved`). The first
    save always records revision 1. Every anchored comment and every prompt of the page is then
    re-found in the new text (`anchoring.reanchor_all`, all at once so they vouch for each
    other). Returns the new revision, or None when the text did not change.
    """
    article_text = extract_text(article.body_html)
    page = article.page
    with transaction.atomic():
        latest = latest_revision(page)
        if latest is not None and latest.text == article_text.text:
            return None
        revision = ArticleRevision.objects.create(
            page=page,
            number=1 if latest is None else latest.number + 1,
            body=article.body,
            text=article_text.text,
        )
        if latest is not None:
            _reanchor_page(page, latest, revision, article_text)
    return revision


def _reanchor_page(
    page: Page, previous: ArticleRevision, revision: ArticleRevision, article_text: ArticleText
) -> None:
    anchors = list(Anchor.objects.filter(page=page, start__isnull=False))
    prompts = list(Prompt.objects.filter(page=page, start__isnull=False))
    selectors = [_as_placed(anchor, previous) for anchor in anchors] + [
        anchoring.TextAnchor(
            quote=anchoring.TextQuoteSelector(prompt.exact, prompt.prefix, prompt.suffix),
            position=anchoring.TextPositionSelector(prompt.start or 0, prompt.end or 0),
        )
        for prompt in prompts
    ]
    if not selectors:
        return
    placements = anchoring.reanchor_all(selectors, article_text.text)
    new_text = article_text.text
    for anchor, placement in zip(anchors, placements, strict=False):
        position = placement.position
        anchor.current_revision = revision
        anchor.found_by = FoundBy(placement.method)
        anchor.score = placement.score
        if position is None:
            anchor.current_start = anchor.current_end = None
            anchor.changed = True
        else:
            anchor.current_start, anchor.current_end = position.start, position.end
            anchor.changed = not same_text(new_text[position.start : position.end], anchor.exact)
    Anchor.objects.bulk_update(
        anchors,
        ["current_start", "current_end", "current_revision", "found_by", "score", "changed"],
        batch_size=500,
    )
    for prompt, placement in zip(prompts, placements[len(anchors) :], strict=True):
        place_prompt(prompt, placement, article_text)
    Prompt.objects.bulk_update(
        prompts,
        ["exact", "prefix", "suffix", "start", "end", "block_index", "status"],
        batch_size=500,
    )


def _as_placed(anchor: Anchor, previous: ArticleRevision) -> anchoring.TextAnchor:
    """Describe the anchor as it stood in the previous revision.

    Following the passage from one revision to the next tracks a run of small edits better
    than comparing each new text with the original selection. An orphaned passage is looked
    for again as the commenter selected it (an edit may have restored it).
    """
    start, end = anchor.current_start, anchor.current_end
    old_text = previous.text
    placed_there = anchor.current_revision_id == previous.pk
    if placed_there and start is not None and end is not None and start < end <= len(old_text):
        try:
            return anchoring.make_anchor(old_text, start, end)
        except ValueError:
            pass
    return anchoring.TextAnchor(
        quote=anchoring.TextQuoteSelector(anchor.exact, anchor.prefix, anchor.suffix),
        position=anchoring.TextPositionSelector(anchor.start or 0, anchor.end or 0),
    )


def place_prompt(prompt: Prompt, placement: anchoring.Placement, article_text: ArticleText) -> None:
    """Pin the prompt to the whole paragraph its old paragraph was found in."""
    position = placement.position
    block = article_text.block_at(position.start) if position is not None else None
    if position is None or block is None:
        prompt.start = prompt.end = prompt.block_index = None
        prompt.status = FoundBy.ORPHANED
        return
    pin_prompt(prompt, article_text, block)
    prompt.status = FoundBy(placement.method)


def pin_prompt(prompt: Prompt, article_text: ArticleText, block: Block) -> None:
    """Point the prompt's anchor fields at a block of the text (the prompt is not saved)."""
    start, end = anchoring.quotable_span(article_text.text, block.start, block.end)
    made = anchoring.make_anchor(article_text.text, start, end)
    prompt.exact = made.quote.exact
    prompt.prefix, prompt.suffix = made.quote.prefix, made.quote.suffix
    prompt.start, prompt.end, prompt.block_index = start, end, block.index
