"""A reader's data as one JSON document (docs/privacy.md), written piece by piece.

The document is produced as a stream of strings, one record at a time, with the rows read
in chunks: a reader with a hundred thousand comments costs no more memory than one with ten.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page
from rejoinder.privacy import collection
from rejoinder.privacy.collection import ReaderScope

FORMAT = "rejoinder.reader-data"
VERSION = 1
_CHUNK = 500


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _page(page: Page) -> dict[str, Any]:
    return {"site": page.site.name, "uri": page.uri, "title": page.title, "url": page.url or None}


def _readers(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    for c in collection.commenters_of(scope).iterator(chunk_size=_CHUNK):
        yield {
            "name": c.display_name,
            "email": c.email or None,
            "website": c.website or None,
            "created": _iso(c.created_at),
        }


def _passage(comment: Comment) -> dict[str, Any] | None:
    anchor = getattr(comment, "anchor", None)
    if anchor is None:
        return None
    return {"exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix}


def _comments(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    rows = collection.comments_of(scope).select_related("page__site", "anchor")
    for c in rows.iterator(chunk_size=_CHUNK):
        yield {
            "id": c.pk,
            "status": c.status,
            "page": _page(c.page),
            "parent": c.parent_id,
            "name": c.author_name,
            "website": c.author_website or None,
            "created": _iso(c.created_at),
            "edited": _iso(c.edited_at),
            "body": c.body,
            "passage": _passage(c),
            "upvotes": c.upvotes,
            "downvotes": c.downvotes,
        }


def _votes(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    for v in collection.votes_of(scope).iterator(chunk_size=_CHUNK):
        yield {"comment": v.comment_id, "value": v.value, "created": _iso(v.created_at)}


def _ratings(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    for r in collection.ratings_of(scope).select_related("page__site").iterator(chunk_size=_CHUNK):
        yield {
            "page": _page(r.page),
            "stars": r.stars,
            "created": _iso(r.created_at),
            "updated": _iso(r.updated_at),
        }


def _subscriptions(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    rows = collection.subscriptions_of(scope).select_related("page__site")
    for s in rows.iterator(chunk_size=_CHUNK):
        yield {
            "page": _page(s.page),
            "email": s.email,
            "kind": s.kind,
            "confirmed": s.confirmed_at is not None,
            "created": _iso(s.created_at),
            "confirmed_at": _iso(s.confirmed_at),
            "unsubscribed_at": _iso(s.unsubscribed_at),
        }


def _confirmed_addresses(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    rows = collection.confirmed_addresses_of(scope).select_related("site")
    for a in rows.iterator(chunk_size=_CHUNK):
        yield {"site": a.site.name, "email": a.email, "confirmed_at": _iso(a.confirmed_at)}


def _flags(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    for f in collection.flags_of(scope).iterator(chunk_size=_CHUNK):
        yield {
            "comment": f.comment_id,
            "reason": f.reason,
            "note": f.note,
            "created": _iso(f.created_at),
        }


def _queued_mail(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    rows = collection.mail_to(scope).filter(status__in=collection.UNSENT).order_by("pk")
    for m in rows.iterator(chunk_size=_CHUNK):
        yield {
            "to": m.to_address,
            "subject": m.subject,
            "status": m.status,
            "created": _iso(m.created_at),
            "text": m.text_body,
        }


def _sections(scope: ReaderScope) -> list[tuple[str, Iterable[dict[str, Any]]]]:
    sections: list[tuple[str, Iterable[dict[str, Any]]]] = [
        ("readers", _readers(scope)),
        ("comments", _comments(scope)),
        ("votes", _votes(scope)),
        ("ratings", _ratings(scope)),
        ("subscriptions", _subscriptions(scope)),
        ("confirmed_addresses", _confirmed_addresses(scope)),
        ("flags", _flags(scope)),
        ("queued_mail", _queued_mail(scope)),
    ]
    for store in collection.registered_stores():
        if store.export is not None:
            sections.append((store.name, store.export(scope)))
    return sections


def download_reader_data(scope: ReaderScope, *, now: datetime | None = None) -> Iterator[str]:
    """Yield the reader's data as one JSON document, a piece at a time.

    The document is an object: `format` ("rejoinder.reader-data"), `version` (1),
    `exported_at`, then one array per section (docs/privacy.md lists their fields).
    """
    head = {"format": FORMAT, "version": VERSION, "exported_at": _iso(now or timezone.now())}
    yield json.dumps(head, ensure_ascii=False)[:-1]
    for name, records in _sections(scope):
        yield f',\n"{name}": ['
        separator = "\n"
        for record in records:
            yield separator + json.dumps(record, ensure_ascii=False)
            separator = ",\n"
        yield "\n]"
    yield "}\n"


def download_filename(now: datetime | None = None) -> str:
    """Return the name the download is saved under."""
    return f"rejoinder-my-data-{(now or timezone.now()):%Y-%m-%d}.json"
