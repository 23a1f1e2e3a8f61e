"""What the box's templates are given: one place says what showing comments to a reader needs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from rejoinder.accounts.avatars import pictures_by_author
from rejoinder.accounts.profiles import badges_by_author
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.thread import ThreadWindow
from rejoinder.comments.voting import votes_by
from rejoinder.inline.reading import anchors_for
from rejoinder.inline.revisions import page_text
from rejoinder.pages.models import Page
from rejoinder.web import links
from rejoinder.widget.box_request import BoxRequest
from rejoinder.widget.caching import CSRF_PLACEHOLDER


def quote_context(page: Page, comments: list[Comment]) -> dict[str, Any]:
    """Return what the comment templates need to show inline comments with their passage.

    One query for the anchors of all the comments; the article's current text is read only
    when a passage changed since its comment, to show the passage as it reads now.
    """
    # Replies are never anchored: only top-level comments can have a passage.
    top_level = [c.pk for c in comments if c.depth == 0]
    anchors = anchors_for(top_level) if top_level else {}
    current: dict[int, str] = {}
    if any(a.changed and not a.is_orphaned for a in anchors.values()):
        text = page_text(page) or ""
        current = {
            pk: text[a.current_start : a.current_end]
            for pk, a in anchors.items()
            if a.changed and a.current_start is not None and a.current_end is not None
        }
    return {"anchors": anchors, "current_quotes": current}


def comment_context(
    page: Page,
    comments: list[Comment],
    *,
    reader_id: int | None,
    csrf_token: str,
    my_votes: dict[int, int] | None = None,
    reply_base: str | None = None,
) -> dict[str, Any]:
    """Return what `widget/comment.html` needs to show `comments` (and replies) to one reader.

    `comments` are all the comments shown, so that their passages are read at once;
    `my_votes` the reader's votes on them (comment id → ±1); `reply_base` the start of the
    no-JS Reply links (the discussion's first page by default).
    """
    site = page.site
    return {
        "page": page,
        "site": site,
        "reader_id": reader_id,
        "my_votes": my_votes or {},
        "edit_since": timezone.now() - timedelta(minutes=site.edit_window_minutes),
        "csrf_token_value": csrf_token,
        "is_new": page.is_open,
        "reply_base": links.reply_base(page) if reply_base is None else reply_base,
        # Readers sign in where the site has single sign-on: no query for the others.
        "badges": badges_by_author(
            {c.author_id for c in comments},
            article_author=page.article.author_name if hasattr(page, "article") else "",
        )
        if site.sso_algorithm
        else {},
        "avatar_pictures": pictures_by_author(site, {c.author_id for c in comments}),
        **quote_context(page, comments),
    }


def thread_context(
    window: ThreadWindow, reader: Commenter | None, box: BoxRequest
) -> dict[str, Any]:
    """Return what `widget/thread.html` needs: the window's comments as `reader` sees them.

    The CSRF token is a placeholder, so that the markup can be cached (see caching.py).
    """
    page = window.page
    comments = window.comments()
    here = links.page_link(
        page, sort=window.sort, page_number=window.page_number, filter=box.filter
    )
    return {
        **comment_context(
            page,
            comments,
            reader_id=reader.pk if reader else None,
            csrf_token=CSRF_PLACEHOLDER,
            my_votes=votes_by(reader, [c.pk for c in comments]) if reader else {},
            reply_base=here.replace("#comments", "&reply="),
        ),
        "window": window,
        "reader_name": reader.display_name if reader else "",
        "reply_to": box.reply_to,
        "here_link": here.removesuffix("#comments"),
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "next_link": links.page_link(
            page, sort=window.sort, page_number=window.page_number + 1, filter=box.filter
        )
        if window.has_next
        else "",
        "fragment_next": links.thread_fragment_link(
            page, window.sort, window.next_cursor, box.filter
        ),
        "filter": box.filter,
    }
