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
from django.db.models import Q
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.thread import (
    ThreadWindow,
    decode_cursor,
    own_hidden_comments,
    parse_sort,
    read_thread,
)
from rejoinder.comments.voting import votes_by
from rejoinder.errors import InvalidInput
from rejoinder.inline.anchoring import DEFAULT_CONTEXT_CHARS
from rejoinder.inline.reading import (
    PromptView,
    anchors_for,
    inline_count,
    passages,
    prompts_for,
    read_inline_thread,
)
from rejoinder.inline.rendering import QuotedParagraph, quote_paragraph
from rejoinder.inline.revisions import page_text
from rejoinder.pages.models import Article, CommentSort, Page
from rejoinder.ratings.rating import rating_by
from rejoinder.request_identity import reader_key

CSRF_PLACEHOLDER = "__rj_csrf_token__"
POSTED_PARAMETER = "posted"
"""The query parameter a no-JS post's redirect carries: the id of the comment just posted."""
FRAGMENT_CACHE_SECONDS = 60  # bounds how stale "5 minutes ago" can get in cached markup


ALL = "all"
INLINE = "inline"


@dataclass
class BoxRequest:
    """What a request asks of the box: which comments (all or inline feedback), which sort,
    which page of top-level comments, and what the form should quote (a paragraph by block
    index, or an author's question)."""

    sort: CommentSort
    page_number: int
    reply_to: int | None = None
    after: str | None = None
    filter: str = ALL
    passage: int | None = None
    prompt: int | None = None
    posted: int | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, page: Page) -> BoxRequest:
        number = small_int(request.GET.get("page"))
        return cls(
            sort=parse_sort(request.GET.get("sort"), page.site.default_sort),
            page_number=number if number and number < 100_000 else 1,
            reply_to=small_int(request.GET.get("reply")),
            after=_valid_cursor(request.GET.get("after")),
            filter=INLINE if request.GET.get("filter") == INLINE else ALL,
            passage=small_int(request.GET.get("passage")),
            prompt=small_int(request.GET.get("prompt")),
            posted=small_int(request.GET.get(POSTED_PARAMETER)),
        )


def small_int(value: str | None) -> int | None:
    """Return a query parameter as a non-negative int, or None unless it is 1-9 ASCII digits."""
    # str.isdigit alone accepts "²", which int() refuses.
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


def _valid_cursor(cursor: str | None) -> str | None:
    """Return the cursor if it parses, else None (callers that must refuse it check for that)."""
    if not cursor:
        return None
    try:
        decode_cursor(cursor)
    except InvalidInput:
        return None
    return cursor


def page_link(page: Page, *, sort: CommentSort, page_number: int, filter: str = ALL) -> str:
    """Return the link to one page of the page's discussion, in a sort (and filter)."""
    query = {"sort": sort.value, "page": page_number}
    if filter != ALL:
        query = {"filter": filter, **query}
    return f"{page.get_absolute_url()}?{urlencode(query)}#comments"


def reply_base(page: Page) -> str:
    """Return the start of a no-JS reply link: append the comment id (the form opens there)."""
    sort = parse_sort(None, page.site.default_sort)
    return page_link(page, sort=sort, page_number=1).replace("#comments", "&reply=")


def quote_context(page: Page, comments: list[Comment]) -> dict:
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


def _thread_context(window: ThreadWindow, reader: Commenter | None, box: BoxRequest) -> dict:
    page = window.page
    comments = window.comments()
    here = page_link(page, sort=window.sort, page_number=window.page_number, filter=box.filter)
    return {
        "window": window,
        "page": page,
        "site": page.site,
        "reader_id": reader.pk if reader else None,
        "reader_name": reader.display_name if reader else "",
        "my_votes": votes_by(reader, [c.pk for c in comments]) if reader else {},
        "edit_since": timezone.now() - timedelta(minutes=page.site.edit_window_minutes),
        "reply_to": box.reply_to,
        "reply_base": here.replace("#comments", "&reply="),
        "here_link": here.removesuffix("#comments"),
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "csrf_token_value": CSRF_PLACEHOLDER,
        "next_link": page_link(
            page, sort=window.sort, page_number=window.page_number + 1, filter=box.filter
        )
        if window.has_next
        else "",
        "fragment_next": _fragment_url(page, window.sort, window.next_cursor, box.filter),
        "filter": box.filter,
        **quote_context(page, comments),
    }


def _fragment_url(page: Page, sort: CommentSort, cursor: str | None, filter: str) -> str:
    from django.urls import reverse

    base = reverse("widget:thread", kwargs={"page_id": page.pk})
    query = {"sort": sort.value, "after": cursor or ""}
    if filter != ALL:
        query["filter"] = filter
    return f"{base}?{urlencode(query)}"


def render_thread(
    request: HttpRequest,
    page: Page,
    box: BoxRequest,
    reader: Commenter | None,
    own_hidden: list[Comment] | None = None,
) -> SafeString:
    """Return the thread's list markup for this request, from cache when it is reader-neutral.

    A reader's render places their own not-yet-visible replies (`own_hidden`, read here when
    not given) under their parents in the window.
    """
    key = (
        f"box:{page.pk}:{page.version}:{box.filter}:{box.sort.value}:{box.page_number}:"
        f"{box.reply_to}:{box.after}"
    )
    html = cache.get(key) if reader is None else None
    if html is None:
        read = read_inline_thread if box.filter == INLINE else read_thread
        window = read(
            page=page,
            sort=box.sort,
            page_number=box.page_number,
            page_size=page.site.page_size,
            after=decode_cursor(box.after) if box.after else None,
        )
        if reader is not None:
            own = own_hidden if own_hidden is not None else own_hidden_comments(page, reader)
            window.place_own_replies([c for c in own if c.parent_id is not None])
        html = render_to_string("widget/thread.html", _thread_context(window, reader, box))
        if reader is None:
            cache.set(key, html, FRAGMENT_CACHE_SECONDS)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template output


def render_own_comments(
    request: HttpRequest, page: Page, reader: Commenter | None, own: list[Comment]
) -> SafeString:
    """Return the reader's own new comments that nobody else sees yet, rendered for them alone.

    Top-level ones, and replies whose parent is not shown to others (the thread places the
    rest under their parents). Held comments carry an "Awaiting moderation" note; a
    shadow-banned reader's look posted. Never cached: the markup is one reader's own.
    """
    if reader is None or not own:
        return mark_safe("")
    shown_parents = set(
        Comment.objects.filter(
            pk__in=[c.parent_id for c in own if c.parent_id], status=CommentStatus.PUBLISHED
        ).values_list("pk", flat=True)
    )
    comments = [c for c in own if c.parent_id is None or c.parent_id not in shown_parents]
    if not comments:
        return mark_safe("")
    context = {
        "own_comments": comments,
        "page": page,
        "site": page.site,
        "reader_id": reader.pk,
        "my_votes": {},
        "edit_since": timezone.now() - timedelta(minutes=page.site.edit_window_minutes),
        "csrf_token_value": get_token(request),
        "is_new": page.is_open,
        "reply_base": reply_base(page),
        **quote_context(page, comments),
    }
    return mark_safe(render_to_string("widget/own_comments.html", context))  # noqa: S308 - our own template output


def inline_total(page: Page) -> int:
    """Return the page's number of inline comments, counted once per page version."""
    key = f"inline-count:{page.pk}:{page.version}"
    count = cache.get(key)
    if count is None:
        count = inline_count(page)
        cache.set(key, count, FRAGMENT_CACHE_SECONDS)
    return int(count)


def _form_quote(page: Page, box: BoxRequest) -> tuple[QuotedParagraph | None, PromptView | None]:
    """Return the paragraph or the author's question the no-JS form was asked to quote."""
    prompt = None
    if box.prompt is not None:
        prompt = next((p for p in prompts_for(page) if p.pk == box.prompt and p.is_open), None)
    quote = None
    if prompt is None and box.passage is not None:
        article = Article.objects.filter(page=page).first()
        quote = quote_paragraph(article, box.passage) if article else None
    return quote, prompt


def held_notice(comment: Comment) -> str:
    """Tell the author their comment waits for a moderator (never that they are shadow-banned)."""
    if comment.status == CommentStatus.PENDING and not comment.shadowed:
        return _("Others will see it once a moderator approves it.")
    return ""


def _posted_message(page: Page, reader: Commenter | None, comment_id: int | None) -> str:
    """Return "Your comment was posted." for the author of `comment_id`, arriving from a no-JS
    post; "" for anyone else (the link may be shared) or a comment no longer there."""
    if reader is None or comment_id is None:
        return ""
    comment = (
        Comment.objects.filter(
            pk=comment_id,
            page=page,
            author=reader,
            status__in=(CommentStatus.PUBLISHED, CommentStatus.PENDING),
        )
        .only("status", "shadowed")
        .first()
    )
    if comment is None:
        return ""
    return " ".join(m for m in (_("Your comment was posted."), held_notice(comment)) if m)


def render_box(request: HttpRequest, page: Page) -> SafeString:
    """Return the whole discussion box (rating, filter bar, form, thread) for a page."""
    box = BoxRequest.from_request(request, page)
    reader = find_commenter(reader_key(request))
    own_hidden = own_hidden_comments(page, reader)
    quote, prompt = _form_quote(page, box)
    context = {
        "page": page,
        "site": page.site,
        "box": box,
        "sorts": [
            (s, page_link(page, sort=s, page_number=1, filter=box.filter)) for s in CommentSort
        ],
        "all_link": page_link(page, sort=box.sort, page_number=1),
        "inline_link": page_link(page, sort=box.sort, page_number=1, filter=INLINE),
        "inline_count": inline_total(page),
        "my_stars": rating_by(reader, page),
        "thread": render_thread(request, page, box, reader, own_hidden),
        "own_comments": render_own_comments(request, page, reader, own_hidden)
        if box.page_number == 1 and box.after is None
        else "",
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "quote": quote,
        "prompt": prompt,
        "cancel_link": f"{page.get_absolute_url()}#comment-form",
        "reader_name": reader.display_name if reader else "",
        "status_message": _posted_message(page, reader, box.posted),
    }
    return render_to_string("widget/box.html", context, request=request)


def render_passage_panel(
    request: HttpRequest, page: Page, start: int, end: int
) -> SafeString | None:
    """Return the panel listing the comments on one highlighted passage, or None if none is there.

    Rendered per request (it opens on a click and shows the reader's own controls): the
    passage's comments and their replies in two queries, ordered oldest first like a thread.
    """
    found = next((p for p in passages(page) if (p.start, p.end) == (start, end)), None)
    if found is None:
        return None
    window = read_thread(
        page=page,
        sort=CommentSort.OLDEST,
        page_size=None,
        top_level=Q(pk__in=found.comment_ids),
    )
    text = page_text(page) or ""
    reader = find_commenter(reader_key(request))
    comments = window.comments()
    context = {
        "page": page,
        "site": page.site,
        "nodes": window.nodes,
        "count": len(window.nodes),
        "quote": text[start:end],
        "selector": {
            "exact": text[start:end],
            "prefix": text[max(0, start - DEFAULT_CONTEXT_CHARS) : start],
            "suffix": text[end : end + DEFAULT_CONTEXT_CHARS],
            "start": start,
            "end": end,
        },
        "reader_id": reader.pk if reader else None,
        "my_votes": votes_by(reader, [c.pk for c in comments]) if reader else {},
        "edit_since": timezone.now() - timedelta(minutes=page.site.edit_window_minutes),
        "is_new": page.is_open,
        "reply_base": reply_base(page),
        "csrf_token_value": get_token(request),
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "reader_name": reader.display_name if reader else "",
        **quote_context(page, comments),
    }
    return mark_safe(render_to_string("widget/passage_panel.html", context, request=request))  # noqa: S308 - our own template output
