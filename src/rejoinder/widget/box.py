"""Rendering the discussion box: the same markup for our article pages, fragments and no-JS readers.

The thread list is the same for every reader who has never written, voted or rated on the
page, so it is rendered once per page version and kept in the cache; CSRF tokens are put into
the cached markup per request. Readers with activity get a fresh render with their controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Commenter
from rejoinder.comments.thread import (
    ThreadWindow,
    decode_cursor,
    own_hidden_comments,
    parse_sort,
    read_thread,
)
from rejoinder.comments.voting import votes_by
from rejoinder.errors import InvalidInput
from rejoinder.pages.models import CommentSort, Page
from rejoinder.ratings.rating import rating_by
from rejoinder.request_identity import reader_key

CSRF_PLACEHOLDER = "__rj_csrf_token__"
FRAGMENT_CACHE_SECONDS = 60  # bounds how stale "5 minutes ago" can get in cached markup


@dataclass
class BoxRequest:
    """What a request asks of the box: which sort, which page of top-level comments."""

    sort: CommentSort
    page_number: int
    reply_to: int | None = None
    after: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, page: Page) -> BoxRequest:
        number = request.GET.get("page", "1")
        reply = request.GET.get("reply", "")
        return cls(
            sort=parse_sort(request.GET.get("sort"), page.site.default_sort),
            page_number=int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1,
            reply_to=int(reply) if reply.isdigit() else None,
            after=_valid_cursor(request.GET.get("after")),
        )


def _valid_cursor(cursor: str | None) -> str | None:
    """Return the cursor if it parses, else None (callers that must refuse it check for that)."""
    if not cursor:
        return None
    try:
        decode_cursor(cursor)
    except InvalidInput:
        return None
    return cursor


def page_link(page: Page, *, sort: CommentSort, page_number: int) -> str:
    """Return the link to one page of the page's discussion, in a sort."""
    query = urlencode({"sort": sort.value, "page": page_number})
    return f"{page.get_absolute_url()}?{query}#comments"


def _thread_context(window: ThreadWindow, reader: Commenter | None, box: BoxRequest) -> dict:
    page = window.page
    return {
        "window": window,
        "page": page,
        "site": page.site,
        "reader_id": reader.pk if reader else None,
        "my_votes": votes_by(reader, [c.pk for c in window.comments()]) if reader else {},
        "edit_since": timezone.now() - timedelta(minutes=page.site.edit_window_minutes),
        "reply_to": box.reply_to,
        "reply_base": page_link(page, sort=window.sort, page_number=window.page_number).replace(
            "#comments", "&reply="
        ),
        "csrf_token_value": CSRF_PLACEHOLDER,
        "next_link": page_link(page, sort=window.sort, page_number=window.page_number + 1)
        if window.has_next
        else "",
        "fragment_next": _fragment_url(page, window.sort, window.next_cursor),
    }


def _fragment_url(page: Page, sort: CommentSort, cursor: str | None) -> str:
    from django.urls import reverse

    base = reverse("widget:thread", kwargs={"page_id": page.pk})
    return f"{base}?{urlencode({'sort': sort.value, 'after': cursor or ''})}"


def render_thread(
    request: HttpRequest, page: Page, box: BoxRequest, reader: Commenter | None
) -> SafeString:
    """Return the thread's list markup for this request, from cache when it is reader-neutral."""
    key = f"box:{page.pk}:{page.version}:{box.sort.value}:{box.page_number}:{box.reply_to}:{box.after}"
    html = cache.get(key) if reader is None else None
    if html is None:
        window = read_thread(
            page=page,
            sort=box.sort,
            page_number=box.page_number,
            page_size=page.site.page_size,
            after=decode_cursor(box.after) if box.after else None,
        )
        html = render_to_string("widget/thread.html", _thread_context(window, reader, box))
        if reader is None:
            cache.set(key, html, FRAGMENT_CACHE_SECONDS)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template output


def render_own_comments(request: HttpRequest, page: Page, reader: Commenter | None) -> SafeString:
    """Return the reader's own comments that nobody else sees yet, rendered for them alone.

    Held comments carry an "Awaiting moderation" note; a shadow-banned reader's look posted.
    Never cached: the markup is one reader's own.
    """
    comments = own_hidden_comments(page, reader)
    if not comments or reader is None:
        return mark_safe("")
    context = {
        "own_comments": comments,
        "page": page,
        "site": page.site,
        "reader_id": reader.pk,
        "my_votes": {},
        "edit_since": timezone.now() - timedelta(minutes=page.site.edit_window_minutes),
        "csrf_token_value": get_token(request),
        "is_new": False,
    }
    return mark_safe(render_to_string("widget/own_comments.html", context))  # noqa: S308 - our own template output


def render_box(request: HttpRequest, page: Page) -> SafeString:
    """Return the whole discussion box (rating, filter bar, form, thread) for a page."""
    box = BoxRequest.from_request(request, page)
    reader = find_commenter(reader_key(request))
    context = {
        "page": page,
        "site": page.site,
        "box": box,
        "sorts": [(s, page_link(page, sort=s, page_number=1)) for s in CommentSort],
        "my_stars": rating_by(reader, page),
        "thread": render_thread(request, page, box, reader),
        "own_comments": render_own_comments(request, page, reader)
        if box.page_number == 1 and box.after is None
        else "",
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
    }
    return render_to_string("widget/box.html", context, request=request)
