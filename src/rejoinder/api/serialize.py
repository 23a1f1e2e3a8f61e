"""Turning thread windows into the API's JSON shape, fast enough for 1,000 comments a request.

Plain dicts. The handlers return them through their `…Out` schemas (`schemas.py`), which ninja
validates, except the thread read: there they go out in one `json.dumps`, because validating a
1,000-comment thread through `ThreadOut` took 36-47 ms, against 5-12 ms to build the dicts and
3 ms to encode them. `tests/api/test_documented_output.py` validates real thread bodies (cached
and per reader) against the OpenAPI document instead, unknown fields refused.
"""

from __future__ import annotations

from typing import Any

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.comments.thread import ThreadNode, ThreadWindow
from rejoinder.inline.models import Anchor
from rejoinder.inline.reading import OriginalPassage, PassageView, PromptView
from rejoinder.pages.models import Page


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def comment_dict(
    comment: Comment,
    replies: list[dict[str, Any]],
    *,
    reader_id: int | None = None,
    my_votes: dict[int, int] | None = None,
    anchors: dict[int, Anchor] | None = None,
) -> dict[str, Any]:
    removed = comment.status == CommentStatus.REMOVED
    anchor = anchors.get(comment.pk) if anchors else None
    data: dict[str, Any] = {
        "id": comment.pk,
        "parent": comment.parent_id,
        "depth": comment.depth,
        # A shadow-banned author sees their comment as published; nobody else sees it at all.
        "status": CommentStatus.PUBLISHED if comment.shadowed else comment.status,
        "author": None
        if removed
        else {"name": comment.author_name, "website": comment.author_website or None},
        "reply_to": (
            {"id": comment.reply_to_id, "name": comment.reply_to_name}
            if comment.reply_to_name
            else None
        ),
        "html": "" if removed else comment.body_html,
        "created": _iso(comment.created_at),
        "edited": _iso(comment.edited_at),
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "replies": replies,
        "passage": passage_dict(anchor) if anchor is not None and not removed else None,
        "prompt": (
            {"id": anchor.prompt.pk, "question": anchor.prompt.question}
            if anchor is not None and anchor.prompt is not None and not removed
            else None
        ),
    }
    if reader_id is not None:
        data["mine"] = comment.author_id == reader_id
        data["my_vote"] = (my_votes or {}).get(comment.pk, 0)
    return data


def passage_dict(anchor: Anchor) -> dict[str, Any]:
    """Return a comment's passage: as made, and where it is now (`anchors_for` loads one)."""
    current = (
        {"start": anchor.current_start, "end": anchor.current_end}
        if anchor.current_start is not None and anchor.current_end is not None
        else None
    )
    return {
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
        "revision": anchor.revision.number if anchor.revision is not None else None,
        "current": current,
        "found_by": anchor.found_by,
        "orphaned": anchor.is_orphaned,
        "changed": anchor.changed,
    }


def passage_view_dict(view: PassageView) -> dict[str, Any]:
    return {
        "start": view.start,
        "end": view.end,
        "exact": view.exact,
        "prefix": view.prefix,
        "suffix": view.suffix,
        "comment_ids": list(view.comment_ids),
        "count": view.count,
        "changed": view.changed,
    }


def prompt_dict(view: PromptView) -> dict[str, Any]:
    return {
        "id": view.id,
        "question": view.question,
        "block": view.block_index,
        "start": view.start,
        "end": view.end,
        "exact": view.exact,
        "answer_count": view.answer_count,
    }


def original_passage_dict(original: OriginalPassage) -> dict[str, Any]:
    return {
        "comment": original.comment_id,
        "exact": original.exact,
        "prefix": original.prefix,
        "suffix": original.suffix,
        "revision": original.revision,
        "revision_created": _iso(original.revision_created_at),
        "start": original.start,
        "end": original.end,
        "context": original.context,
        "context_start": original.context_start,
    }


def _nodes(nodes: list[ThreadNode], **reader: Any) -> list[dict[str, Any]]:
    return [comment_dict(n.comment, _nodes(n.replies, **reader), **reader) for n in nodes]


def page_dict(page: Page) -> dict[str, Any]:
    return {
        "uri": page.uri,
        "title": page.title,
        "is_open": page.is_open,
        "comment_count": page.comment_count,
        "rating": {"average": page.rating_average, "count": page.rating_count},
    }


def thread_dict(
    window: ThreadWindow,
    *,
    reader_id: int | None = None,
    my_votes: dict[int, int] | None = None,
    anchors: dict[int, Anchor] | None = None,
    own_hidden: list[Comment] | None = None,
) -> dict[str, Any]:
    """Return the window as JSON data; `anchors` (from `anchors_for`) adds comments' passages.

    `own_hidden`: the reader's own comments nobody else sees yet (see `own_hidden_comments`),
    listed apart so a client can show them to their author.
    """
    data = {
        "page": page_dict(window.page),
        "sort": window.sort.value,
        "page_number": window.page_number,
        "has_next": window.has_next,
        "next_page": window.page_number + 1 if window.has_next else None,
        "next_cursor": window.next_cursor,
        "comments": _nodes(window.nodes, reader_id=reader_id, my_votes=my_votes, anchors=anchors),
    }
    if reader_id is not None:
        data["mine_unpublished"] = [
            comment_dict(c, [], reader_id=reader_id, anchors=anchors) for c in own_hidden or []
        ]
    return data
