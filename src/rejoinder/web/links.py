"""Links into a page's discussion: one page of its thread, a comment, the forms to write one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from rejoinder.comments.models import Comment
from rejoinder.comments.thread import batch_showing, page_number_of, parse_sort
from rejoinder.pages.models import CommentSort, Page

ALL = "all"
INLINE = "inline"
POSTED_PARAMETER = "posted"
"""The query parameter a no-JS post's redirect carries: the id of the comment just posted."""


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


def thread_fragment_link(page: Page, sort: CommentSort, cursor: str | None, filter: str) -> str:
    """Return the URL of the thread's next top-level comments, for the script's "Load more"."""
    base = reverse("widget:thread", kwargs={"page_id": page.pk})
    query = {"sort": sort.value, "after": cursor or ""}
    if filter != ALL:
        query["filter"] = filter
    return f"{base}?{urlencode(query)}"


def comment_form_link(page: Page) -> str:
    """Return the link to the page's form for a new comment."""
    return f"{page.get_absolute_url()}#comment-form"


def replies_link(parent_id: int, after: str | None = None) -> str:
    """Return the link to a comment's replies (from the first, or after a cursor's reply):
    a page of its own without JavaScript, the list to insert for the box's script."""
    base = reverse("widget:replies", kwargs={"comment_id": parent_id})
    return f"{base}?{urlencode({'after': after})}" if after else base


def comment_link(comment: Comment, *, posted: bool = False) -> str:
    """Return the URL that opens the page of the thread showing this comment, scrolled to it.

    A reply the thread's page leaves out (past the replies it shows under a comment) is
    shown on its parent's page of replies, starting with it. `posted` adds the flag that
    makes the box tell the comment's author it was posted.
    """
    site = comment.page.site
    sort = parse_sort(None, site.default_sort)
    flag = f"{POSTED_PARAMETER}={comment.pk}" if posted else ""
    batch = batch_showing(comment, sort=sort)
    if batch is not None:
        link = replies_link(*batch)
        joiner = "&" if "?" in link else "?"
        return f"{link}{joiner + flag if flag else ''}#comment-{comment.pk}"
    number = page_number_of(comment, sort=sort, page_size=site.page_size)
    return page_link(comment.page, sort=sort, page_number=number).replace(
        "#comments", f"{'&' + flag if flag else ''}#comment-{comment.pk}"
    )
