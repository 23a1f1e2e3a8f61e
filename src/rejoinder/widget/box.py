"""Rendering the discussion box: the same markup for our article pages, fragments and no-JS readers.

Readers who have never written, voted or rated on the page get the thread from the cache
(caching.py); readers with activity get a fresh render with their own controls and comments.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rejoinder.accounts.models import Account
from rejoinder.comments.identity import find_commenter, is_signed_in
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.thread import (
    PAGED_REPLIES,
    decode_cursor,
    decode_reply_cursor,
    own_hidden_comments,
    read_replies,
    read_thread,
)
from rejoinder.comments.voting import votes_by
from rejoinder.inline.anchoring import DEFAULT_CONTEXT_CHARS
from rejoinder.inline.reading import PassageView, PromptView, prompts_for, read_inline_thread
from rejoinder.inline.rendering import QuotedParagraph, quote_paragraph
from rejoinder.inline.revisions import page_text
from rejoinder.notices.reading import unread_count
from rejoinder.pages.embedding import EmbeddedPage
from rejoinder.pages.models import Article, CommentSort, Page, Site
from rejoinder.ratings.rating import rating_by
from rejoinder.request_identity import reader_key, reader_token
from rejoinder.web.embedding import foreign_origin
from rejoinder.web.links import (
    INLINE,
    POSTED_PARAMETER,
    comment_form_link,
    comment_link,
    page_link,
    replies_link,
)
from rejoinder.web.query import small_int
from rejoinder.widget.box_request import BoxRequest
from rejoinder.widget.caching import (
    cached_markup,
    inline_total,
    thread_cache_key,
    with_csrf_token,
)
from rejoinder.widget.context import comment_context, thread_context


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

    def render() -> str:
        read = read_inline_thread if box.filter == INLINE else read_thread
        window = read(
            page=page,
            sort=box.sort,
            page_number=box.page_number,
            page_size=page.site.page_size,
            after=decode_cursor(box.after) if box.after else None,
            replies=PAGED_REPLIES,
        )
        if reader is not None:
            own = own_hidden if own_hidden is not None else own_hidden_comments(page, reader)
            window.place_own_replies([c for c in own if c.parent_id is not None])
        return render_to_string("widget/thread.html", thread_context(window, reader, box))

    html = render() if reader is not None else cached_markup(thread_cache_key(page, box), render)
    return with_csrf_token(request, html)


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
        **comment_context(page, comments, reader_id=reader.pk, csrf_token=get_token(request)),
        "own_comments": comments,
    }
    return mark_safe(render_to_string("widget/own_comments.html", context))  # noqa: S308 - our own template output


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


def _account_of(site: Site, reader: Commenter | None) -> Account | None:
    """The signed-in reader's account, for the box's Sign out (only where the site signs in)."""
    if not (site.sso_algorithm and is_signed_in(reader)):
        return None
    return Account.objects.filter(commenter=reader).first()


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
        "cancel_link": comment_form_link(page),
        "reader_name": reader.display_name if reader else "",
        "account": _account_of(page.site, reader),
        # The reader's data page (privacy/): only for a reader the server knows. On an embed
        # the page on our origin cannot read the token the host page keeps, so the box hands
        # it over in a form (the host page holds that token already).
        "reader_known": reader is not None,
        "reader_handoff": reader_token(request) if reader and foreign_origin(request) else "",
        "status_message": _posted_message(page, reader, box.posted),
        # Live updates (rejoinder.live): the stream the box's script follows.
        "live_url": f"/discussion/{page.pk}/events" if page.pk else "",
        "me_bar": _me_bar(request, reader),
    }
    return render_to_string("widget/box.html", context, request=request)


def _me_bar(request: HttpRequest, reader: Commenter | None) -> dict | None:
    """The bell and the profile link, on our own pages for a reader we know (the reader's
    pages live on Rejoinder's origin, which a publisher's page has no cookie for)."""
    if reader is None or foreign_origin(request):
        return None
    return {"unread": unread_count(reader), "signed_in": is_signed_in(reader)}


def _reader_context(
    request: HttpRequest,
    page: Page,
    comments: list[Comment],
    reader: Commenter | None,
    *,
    reply_base: str | None = None,
) -> dict:
    """Return what showing `comments` to this request's reader needs, their votes included."""
    return comment_context(
        page,
        comments,
        reader_id=reader.pk if reader else None,
        csrf_token=get_token(request),
        my_votes=votes_by(reader, [c.pk for c in comments]) if reader else {},
        reply_base=reply_base,
    )


def render_passage_panel(request: HttpRequest, page: Page, found: PassageView) -> SafeString:
    """Return the panel listing the comments on one highlighted passage.

    Rendered per request (it opens on a click and shows the reader's own controls): the
    passage's comments and their replies in two queries, ordered oldest first like a thread.
    """
    window = read_thread(
        page=page,
        sort=CommentSort.OLDEST,
        page_size=None,
        top_level=Q(pk__in=found.comment_ids),
        replies=PAGED_REPLIES,
    )
    selector: dict[str, object] = {
        "exact": found.exact,
        "prefix": found.prefix,
        "suffix": found.suffix,
        "start": "",
        "end": "",
    }
    if found.start is not None and found.end is not None:
        start, end = found.start, found.end
        text = page_text(page) or ""
        selector = {
            "exact": text[start:end],
            "prefix": text[max(0, start - DEFAULT_CONTEXT_CHARS) : start],
            "suffix": text[end : end + DEFAULT_CONTEXT_CHARS],
            "start": start,
            "end": end,
        }
    reader = find_commenter(reader_key(request))
    comments = window.comments()
    context = {
        **_reader_context(request, page, comments, reader),
        "nodes": window.nodes,
        "count": len(window.nodes),
        "quote": selector["exact"],
        "selector": selector,
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "reader_name": reader.display_name if reader else "",
    }
    return mark_safe(render_to_string("widget/passage_panel.html", context, request=request))  # noqa: S308 - our own template output


def render_new_box(
    request: HttpRequest, site: Site, embedded: EmbeddedPage, *, post_action: str, rate_action: str
) -> SafeString:
    """Return the box of a publisher's page nobody has written on yet: the rating and the form,
    whose first comment or rating creates the page (`post_action`, `rate_action`)."""
    page = Page(site=site, uri=embedded.uri, url=embedded.url, title=embedded.title)
    box = BoxRequest.from_request(request, page)
    reader = find_commenter(reader_key(request))
    context = {
        "page": page,
        "site": site,
        "box": box,
        "thread": mark_safe(  # noqa: S308 - our own template output
            render_to_string("widget/thread.html", {"filter": box.filter})
        ),
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "reader_name": reader.display_name if reader else "",
        "account": _account_of(site, reader),
        "post_action": post_action,
        "rate_action": rate_action,
    }
    return render_to_string("widget/box.html", context, request=request)


def render_replies(
    request: HttpRequest, parent: Comment, *, after: str | None, reply_to: int | None = None
) -> tuple[str, dict]:
    """Return the next batch of a comment's replies for this reader: the list markup (what the
    box's script inserts) and the context of the page that shows it without the script.

    Raises InvalidInput (field `after`) for a cursor that is not one.
    """
    window = read_replies(parent=parent, after=decode_reply_cursor(after) if after else None)
    page = parent.page
    reader = find_commenter(reader_key(request))
    comments = [parent, *window.comments()]
    here = replies_link(parent.pk, after)
    context = {
        **_reader_context(
            request,
            page,
            comments,
            reader,
            reply_base=here + ("&" if "?" in here else "?") + "reply=",
        ),
        "window": window,
        "parent": parent,
        "reader_name": reader.display_name if reader else "",
        "reply_to": reply_to,
        "here_link": here,
        "max_length": settings.REJOINDER["COMMENT_MAX_LENGTH"],
        "next_link": replies_link(parent.pk, window.next_cursor) if window.more_replies else "",
    }
    markup = render_to_string("widget/replies.html", context, request=request)
    context.update(
        replies=mark_safe(markup),  # noqa: S308 - our own template output
        discussion_link=comment_link(parent),
        status_message=_posted_message(page, reader, small_int(request.GET.get(POSTED_PARAMETER))),
    )
    return markup, context
