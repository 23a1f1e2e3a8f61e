"""What readers may see, written to the event log once per change, after the write commits;
and for a site's moderators, its queue counts and who handled which comments.

A listener inside the write's transaction reads the page's version and counters (the page's
row is locked by the write's bump, so they are exactly the write's); after the commit the
event is rendered once, with the box's own templates as an anonymous reader sees it, written
to the log and announced to the other processes (live/fanout.py). Nothing is recorded for a
comment no reader may see: pending, shadowed or spam comments only ever cause a `counts`
event when a visible comment stops being visible, and no event carries an email address.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from rejoinder.comments import events
from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.live import fanout, store
from rejoinder.moderation.queues import queue_counts
from rejoinder.pages.localization import speaking_as
from rejoinder.pages.models import Page, Site, state_after_bump
from rejoinder.ratings.rating import PageRated
from rejoinder.widget.caching import CSRF_PLACEHOLDER
from rejoinder.widget.context import comment_context

log = logging.getLogger(__name__)

_PAGE_STATE = ("version", "comment_count", "rating_sum", "rating_count")


def listen() -> None:
    for event_type in (
        events.CommentPublished,
        events.CommentHidden,
        events.CommentEdited,
        events.CommentDeleted,
        events.CommentVoted,
        PageRated,
    ):
        events.on(event_type, _capture, within_transaction=True)
    # The moderators' queue counts change when a comment is held, leaves a queue, is hidden
    # or deleted: counted once per change, after commit, for the site's stream. A comment
    # posted and published at once changes only `recent` (the last 24 hours, not work to do):
    # counting the day's comments on every post would cost a busy site most of its posting
    # rate and announce a new number to the moderators' screen readers with every comment;
    # the page's once-a-minute poll brings it.
    for queue_event in (
        events.CommentPublished,
        events.CommentHeld,
        events.CommentHidden,
        events.CommentDeleted,
    ):
        events.on(queue_event, _record_queue)
    # Who handled which comments, so that other moderators' lists drop them as it happens.
    events.on(events.CommentsModerated, _record_handled)


def _capture(event: Any) -> None:
    """Inside the write: note the page's state as this write leaves it; record after commit."""
    if isinstance(event, events.CommentDeleted) and not event.was_published:
        return
    state = state_after_bump(event.page_id)
    if state is None:  # not after a bump (never the case today): read it
        state = Page.objects.filter(pk=event.page_id).values(*_PAGE_STATE).first()
    if state is not None:
        transaction.on_commit(partial(_record, event, state))


def _record(event: Any, state: dict[str, int]) -> None:
    # The write is committed and answered whatever happens here: a failure costs live readers
    # this one change until they next load the box, never a 500 for the writer.
    try:
        kind, data = _describe(event)
        data["counts"] = _counts(event.page_id, state)
        entry = store.write(event.page_id, kind, state["version"], data)
        fanout.announce(entry.channel)
    except Exception:
        log.exception("live event for %r not recorded", event)


def _record_queue(event: Any) -> None:
    if isinstance(event, events.CommentPublished) and not event.was_held:
        return
    try:
        site = Site.objects.filter(pages__pk=event.page_id).first()
        if site is None:
            return
        entry = store.write_site(site.pk, "counts", {"counts": queue_counts(site)})
        fanout.announce(entry.channel)
    except Exception:
        log.exception("live queue counts for %r not recorded", event)


def _record_handled(event: events.CommentsModerated) -> None:
    # Ids, the action and the moderator's user name only: each moderator's page words the note
    # in its own language. The queue counts come along: a held comment removed or marked as
    # spam was never visible, so no other event tells of it.
    try:
        site = Site.objects.get(pk=event.site_id)
        entry = store.write_site(
            event.site_id,
            "handled",
            {
                "ids": list(event.comment_ids),
                "action": event.action,
                "by": event.moderator_id,
                "name": event.moderator_name,
                "counts": queue_counts(site),
            },
        )
        fanout.announce(entry.channel)
    except Exception:
        log.exception("live note of %r not recorded", event)


def _describe(event: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(event, PageRated):
        return "rating", {}
    comment = (
        Comment.objects.select_related("page__site", "parent").filter(pk=event.comment_id).first()
    )
    visible = comment if comment is not None and comment.status == CommentStatus.PUBLISHED else None
    if isinstance(event, events.CommentPublished) and visible:
        return "comment", {
            "id": visible.pk,
            "parent": visible.parent_id,
            "html": _render(visible, "widget/comment.html"),
        }
    if isinstance(event, events.CommentEdited) and visible:
        return "edit", {"id": visible.pk, "html": _render(visible, "widget/comment_inner.html")}
    if isinstance(event, events.CommentVoted) and visible:
        return "votes", {"id": visible.pk, "html": _render(visible, "widget/votes.html")}
    # Deleted, hidden, or changed again before this ran: the comment goes, or its placeholder
    # (a comment with replies) replaces it.
    placeholder = (
        comment if comment is not None and comment.status == CommentStatus.REMOVED else None
    )
    return "remove", {
        "id": event.comment_id,
        "html": _render(placeholder, "widget/comment_inner.html") if placeholder else "",
    }


def _render(comment: Comment, template: str) -> str:
    page = comment.page
    with speaking_as(page.site):
        context = {
            **comment_context(page, [comment], reader_id=None, csrf_token=CSRF_PLACEHOLDER),
            "comment": comment,
            "node": None,
        }
        return render_to_string(template, context)


def _counts(page_id: int, state: dict[str, int]) -> dict[str, Any]:
    page = Page.objects.select_related("site").get(pk=page_id)
    page.comment_count = state["comment_count"]
    page.rating_sum, page.rating_count = state["rating_sum"], state["rating_count"]
    with speaking_as(page.site):
        rating = render_to_string("widget/rating_summary.html", {"page": page})
    return {"comments": state["comment_count"], "rating": rating}


def forget_pages(page_ids: frozenset[int]) -> int:
    """Forget what the log shows of these pages (a reader's data was erased from them).

    Inside the erasure's transaction, their logged events go: their rendered markup may show
    the erased reader. After the commit, each page gets one `reload` event, which makes its
    open streams read the box again, instead of one event per changed comment. A stream that
    reconnects after an event it saw was deleted reloads too (as after the log's pruning).
    """
    deleted = store.forget(page_ids)
    transaction.on_commit(partial(_record_reloads, sorted(page_ids)))
    return deleted


def _record_reloads(page_ids: list[int]) -> None:
    try:
        for page_id, version in Page.objects.filter(pk__in=page_ids).values_list("pk", "version"):
            entry = store.write(page_id, "reload", version, {})
            fanout.announce(entry.channel)
    except Exception:
        log.exception("live reload events for pages %r not recorded", page_ids)
