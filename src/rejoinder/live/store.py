"""Reading and writing the event log; every function here is synchronous (Django's ORM)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rejoinder.live.models import LiveEvent
from rejoinder.pages.models import Page, Site

RETENTION = timedelta(minutes=10)
# Event ids are positive bigints; a Last-Event-ID longer than this is not one of ours.
MAX_ID_DIGITS = 18


@dataclass(frozen=True)
class Entry:
    """An event as the streams send it."""

    id: int
    channel: str
    kind: str
    version: int
    data: str


def page_channel(page_id: int) -> str:
    return f"page:{page_id}"


def site_channel(site_id: int) -> str:
    """The channel of a site's moderators (its queue counts)."""
    return f"site:{site_id}"


def _entries(rows: Any) -> list[Entry]:
    return [Entry(*row) for row in rows.values_list("id", "channel", "kind", "version", "data")]


def write(page_id: int, kind: str, version: int, data: dict[str, Any]) -> Entry:
    """Append one event of a page, in its own transaction, with the page's row locked.

    The lock orders the events of one page: an event committed later has a larger id.
    """
    lock = Page.objects.select_for_update().filter(pk=page_id)
    return _append(page_channel(page_id), kind, version, data, lock)


def write_site(site_id: int, kind: str, data: dict[str, Any]) -> Entry:
    """Append one event of a site's moderators, with the site's row locked (see `write`)."""
    lock = Site.objects.select_for_update().filter(pk=site_id)
    return _append(site_channel(site_id), kind, 0, data, lock)


def _append(channel: str, kind: str, version: int, data: dict[str, Any], lock: Any) -> Entry:
    payload = json.dumps({**data, "version": version}, separators=(",", ":"))
    with transaction.atomic():
        lock.values_list("pk").first()
        event = LiveEvent.objects.create(channel=channel, kind=kind, version=version, data=payload)
    return Entry(event.pk, channel, kind, version, payload)


def recent(after_id: int, limit: int = 1000) -> list[Entry]:
    """Events of every channel after `after_id`, oldest first (the hub's one query)."""
    return _entries(LiveEvent.objects.filter(id__gt=after_id).order_by("id")[:limit])


def latest_id() -> int:
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


class Unknown(Exception):
    """A Last-Event-ID that no event of this channel ever had."""


def replay(channel: str, *, after_id: int | None, version: int | None) -> list[Entry] | None:
    """The events a stream missed: after the event it last saw, or after the page version it
    shows. None when the log no longer covers that point (pruned): the client reloads."""
    if after_id is not None:
        last = LiveEvent.objects.filter(pk=after_id).values_list("channel", "created_at").first()
        if last is None:
            if after_id > latest_id():
                raise Unknown(after_id)
            return None  # pruned: older than the log keeps
        if last[0] != channel:
            raise Unknown(after_id)
        if last[1] < timezone.now() - RETENTION:
            return None
        return _entries(LiveEvent.objects.filter(channel=channel, id__gt=after_id).order_by("id"))
    if version is not None:
        return _entries(
            LiveEvent.objects.filter(channel=channel, version__gt=version).order_by("id")
        )
    return []


def last_of(channel: str) -> int:
    return (
        LiveEvent.objects.filter(channel=channel)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def purge_old_events() -> int:
    """The worker's step: drop events older than the log keeps."""
    deleted, _ = LiveEvent.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted


def forget(page_ids: frozenset[int]) -> int:
    """Delete the logged events of these pages; return how many."""
    deleted, _counts = LiveEvent.objects.filter(
        channel__in=[page_channel(pk) for pk in page_ids]
    ).delete()
    return deleted
