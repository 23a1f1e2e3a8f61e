"""Posting a comment about a passage of a page, or an answer to an author's prompt; and
`submit_comment`, which every reader-facing surface calls to post whatever the reader sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rejoinder.comments.markdown import find_forbidden_character
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.errors import InvalidInput
from rejoinder.inline import anchoring
from rejoinder.inline.models import Anchor, ArticleRevision, FoundBy, Prompt
from rejoinder.inline.revisions import latest_revision, same_text
from rejoinder.pages.models import Page

MAX_CONTEXT_CHARS = anchoring.MAX_QUOTE_CHARS
"""The longest prefix or suffix accepted from a client (only its last/first 32 are kept)."""


@dataclass
class PassageSelector:
    """A passage as a browser describes it: the selected text with a little context either side,
    and optionally its offsets in the page's plain text (code points, end excluded)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


def submit_comment(
    *,
    page: Page,
    author: Commenter,
    name: str,
    body: str,
    parent_id: int | None = None,
    selector: PassageSelector | None = None,
    prompt_id: int | None = None,
    **post_kwargs: Any,
) -> Comment:
    """Post what a reader sent: a comment, a reply (`parent_id`), a comment about a passage
    (`selector`) or an answer to the author's question (`prompt_id`).

    The box's form and the API both call this, so the same fields mean the same thing on both:
    with a passage or a question it is `post_inline_comment` (which refuses a reply that also
    carries one), otherwise `comments.posting.post_comment`. Other keyword arguments go to
    `post_comment` unchanged.
    """
    if selector is not None or prompt_id is not None:
        return post_inline_comment(
            page=page,
            author=author,
            name=name,
            body=body,
            parent_id=parent_id,
            selector=selector,
            prompt_id=prompt_id,
            **post_kwargs,
        )
    return post_comment(
        page=page, author=author, name=name, body=body, parent_id=parent_id, **post_kwargs
    )


def post_inline_comment(
    *,
    page: Page,
    author: Commenter,
    name: str,
    body: str,
    selector: PassageSelector | None = None,
    prompt_id: int | None = None,
    parent_id: int | None = None,
    email: str = "",
    website: str = "",
    ip_hash: str = "",
    **post_kwargs: Any,
) -> Comment:
    """Post a top-level comment anchored to a passage, or answering a prompt, in one transaction.

    The passage is checked against the page's current text when Rejoinder knows it: the quote
    must occur there (the position picks the occurrence when it holds the quote), or, without a
    quote, the position must select text. On a page whose text is unknown (an embed) the quote
    is stored as the reader's browser gave it, and a position alone is refused. A prompt must
    belong to the page and be open; its answer is anchored to the prompt's paragraph unless a
    passage is given too. A reply (`parent_id`) is refused with field "parent"; every other
    refusal is InvalidInput with field "passage"; none stores anything. Other keyword arguments
    go to `comments.posting.post_comment` unchanged.
    """
    if parent_id is not None:
        # A reply lives in the thread of the comment it answers, which already shows that
        # comment's passage; replies are never highlighted in the text nor counted on a passage.
        # Posting it as a plain reply would quietly drop what the reader chose, and storing the
        # passage would keep one nobody is shown, so neither is done: the reader is told, and
        # keeps their text to post it as a reply or as a new comment on the passage.
        raise InvalidInput(
            _(
                "A reply belongs to the thread of the comment it answers and cannot be about a "
                "passage or question of its own: post it without the passage, or as a new "
                "comment on the passage."
            ),
            field="parent",
        )
    if selector is None and prompt_id is None:
        raise InvalidInput(_("Say which passage the comment is about."), field="passage")
    if selector is not None:
        _check_selector_shape(selector)
    with transaction.atomic():
        # An article edit locks the page row before recording its revision and re-anchoring
        # the page's passages; taking it first means this anchor is either made on the new
        # text or committed before the edit re-anchors it.
        Page.objects.select_for_update().filter(pk=page.pk).values_list("pk").first()
        prompt = _open_prompt(page, prompt_id) if prompt_id is not None else None
        revision = latest_revision(page)
        if selector is not None:
            made = _anchor_selector(selector, revision)
        else:
            assert prompt is not None
            made = _anchor_prompt(prompt, revision)
        comment = post_comment(
            page=page,
            author=author,
            name=name,
            body=body,
            email=email,
            website=website,
            ip_hash=ip_hash,
            **post_kwargs,
        )
        Anchor.objects.create(
            comment=comment,
            page=page,
            prompt=prompt,
            exact=made.exact,
            prefix=made.prefix,
            suffix=made.suffix,
            start=made.start,
            end=made.end,
            revision=revision,
            current_start=made.start,
            current_end=made.end,
            current_revision=revision,
            found_by=FoundBy.CREATED,
            score=1.0,
            changed=False,
        )
    return comment


def _passage_error(message: str) -> InvalidInput:
    return InvalidInput(message, field="passage")


def _check_selector_shape(selector: PassageSelector) -> None:
    """Refuse selectors that are malformed whatever the page's text."""
    if len(selector.exact) > anchoring.MAX_QUOTE_CHARS:
        raise _passage_error(
            _("The quoted passage is %(n)s characters long; at most %(max)s can be quoted.")
            % {"n": f"{len(selector.exact):,}", "max": f"{anchoring.MAX_QUOTE_CHARS:,}"}
        )
    if len(selector.prefix) > MAX_CONTEXT_CHARS or len(selector.suffix) > MAX_CONTEXT_CHARS:
        raise _passage_error(
            _("The text around the passage is limited to %(max)s characters each side.")
            % {"max": f"{MAX_CONTEXT_CHARS:,}"}
        )
    for part in (selector.exact, selector.prefix, selector.suffix):
        if find_forbidden_character(part):
            raise _passage_error(_("The quoted passage contains control characters."))
    has_start, has_end = selector.start is not None, selector.end is not None
    if has_start != has_end:
        raise _passage_error(_("Give both the start and the end of the passage, or neither."))
    if has_start and (selector.start or 0) < 0:
        raise _passage_error(_("The passage cannot start before the beginning of the text."))
    if has_start and (selector.end or 0) <= (selector.start or 0):
        raise _passage_error(_("The passage must end after it starts."))
    if not selector.exact.strip() and not has_start:
        raise _passage_error(_("The quoted passage is empty."))


def _anchor_selector(
    selector: PassageSelector, revision: ArticleRevision | None
) -> PassageSelector:
    exact = selector.exact
    if revision is None:
        # The page's text is unknown: keep the reader's quote, which the host page will find.
        if not exact.strip():
            raise _passage_error(
                _("This page's text is not known here, so a passage needs its quoted text.")
            )
        context = anchoring.DEFAULT_CONTEXT_CHARS
        return PassageSelector(
            exact=exact,
            prefix=selector.prefix[-context:],
            suffix=selector.suffix[:context],
            start=None,
            end=None,
        )
    text = revision.text
    if selector.start is not None and selector.end is not None:
        start, end = selector.start, selector.end
        if end > len(text):
            raise _passage_error(
                _(
                    "The passage %(start)d-%(end)d lies outside the article, which has %(n)d characters."
                )
                % {"start": start, "end": end, "n": len(text)}
            )
        if not exact.strip() or same_text(text[start:end], exact):
            return _made(text, *_trimmed(text, start, end))
    try:
        made = anchoring.validate_quote(text, exact.strip(), selector.prefix, selector.suffix)
    except ValueError:
        raise _passage_error(
            _("The quoted passage does not occur in the article; it may have just been edited.")
        ) from None
    return _from_anchor(made)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the selection without surrounding whitespace; refuse one that is only whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise _passage_error(_("The selected passage contains only whitespace."))
    return start, end


def _made(text: str, start: int, end: int) -> PassageSelector:
    try:
        return _from_anchor(anchoring.make_anchor(text, start, end))
    except ValueError as error:
        raise _passage_error(str(error)) from None


def _from_anchor(made: anchoring.TextAnchor) -> PassageSelector:
    return PassageSelector(
        exact=made.quote.exact,
        prefix=made.quote.prefix,
        suffix=made.quote.suffix,
        start=made.position.start,
        end=made.position.end,
    )


def _open_prompt(page: Page, prompt_id: int) -> Prompt:
    prompt = Prompt.objects.filter(pk=prompt_id, page=page).first()
    if prompt is None:
        raise _passage_error(_("That question does not exist on this page."))
    if not prompt.is_open:
        raise _passage_error(_("That question is closed to new answers."))
    return prompt


def _anchor_prompt(prompt: Prompt, revision: ArticleRevision | None) -> PassageSelector:
    if prompt.is_orphaned or prompt.start is None or prompt.end is None or revision is None:
        raise _passage_error(
            _("The paragraph this question was about is no longer in the article.")
        )
    return PassageSelector(
        exact=prompt.exact,
        prefix=prompt.prefix,
        suffix=prompt.suffix,
        start=prompt.start,
        end=prompt.end,
    )
