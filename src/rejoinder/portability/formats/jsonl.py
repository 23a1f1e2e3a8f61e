"""Rejoinder's own export (JSON Lines, docs/import-export.md), read back.

The first line names the format and holds the site's settings; then commenters, pages,
prompts, comments, votes, ratings, subscriptions, pingbacks, bans and facts, one per line,
each with its id and the ids it had in other systems (`sources`). Rows keep these ids as
links, so the file imports once, and exporting again writes the same ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rejoinder.comments.models import Comment, Commenter, Vote
from rejoinder.inline.models import ArticleRevision, Prompt
from rejoinder.moderation.models import AuditEntry, Ban, Flag
from rejoinder.pages.models import Article, Page
from rejoinder.portability import records as r
from rejoinder.portability.exporting import FORMAT_VERSION, SITE_FIELDS
from rejoinder.portability.formats import native_rows
from rejoinder.portability.formats.common import parse_time
from rejoinder.portability.formats.remark42 import lines
from rejoinder.portability.models import Linkback, SourceLink
from rejoinder.portability.sources import BadFile, Opened
from rejoinder.portability.writer import Writer
from rejoinder.ratings.models import Rating
from rejoinder.subscriptions.models import Subscription

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

_MODELS: dict[str, Any] = {
    "page": Page,
    "comment": Comment,
    "commenter": Commenter,
    "vote": Vote,
    "rating": Rating,
    "subscription": Subscription,
    "prompt": Prompt,
    "linkback": Linkback,
    "ban": Ban,
    "article": Article,
    "revision": ArticleRevision,
    "flag": Flag,
    "audit": AuditEntry,
}
# Rows only Rejoinder has: read as they are, stored by `native_rows`.
_NATIVE = {"article", "revision", "flag", "rules", "page_rules", "moderator", "audit"}


def _t(value: Any) -> datetime | None:
    return parse_time(value) if value else None


def _sources(record: dict[str, Any]) -> list[r.Source]:
    return [
        r.Source(s["system"], str(s["id"]), s.get("facts") or {})
        for s in record.get("sources") or []
    ]


def _header(opened: Opened) -> dict[str, Any]:
    first = opened.head(1 << 16).split(b"\n", 1)[0]
    try:
        header = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadFile("the first line is not JSON: not a Rejoinder export", line=1) from None
    if not isinstance(header, dict) or header.get("type") != "rejoinder":
        raise BadFile(
            'the first line does not say {"type": "rejoinder"}: not a Rejoinder export', line=1
        )
    if header.get("version") != FORMAT_VERSION:
        raise BadFile(
            f"Rejoinder export version {header.get('version')!r}; this reads {FORMAT_VERSION}",
            line=1,
        )
    return header


class JsonlWriter(Writer):
    """The writer, knowing that ids this site wrote itself ("token:pk") name its own rows."""

    token = ""
    take_settings = False  # the site was empty: it takes the file's settings and rules

    def native_row(self, record: r.Native) -> None:
        self.report.read[native_rows.PLURAL.get(record.kind, record.kind + "s")] += 1
        native_rows.write(self, record)

    def account(self, username: str | None) -> int | None:
        return native_rows.user_id(username)

    def finish_native_rows(self) -> None:
        native_rows.finish(self)

    def _linked(self, kind: str, keys: list[str]) -> dict[str, int | None]:
        found = super()._linked(kind, keys)
        own = {}
        prefix = f"{self.token}:" if self.token else None
        if prefix and kind in _MODELS:
            for key in keys:
                if key not in found and key.startswith(prefix) and key[len(prefix) :].isdigit():
                    own[int(key[len(prefix) :])] = key
        if own:
            model = _MODELS[kind]
            for pk in model.objects.filter(pk__in=list(own)).values_list("pk", flat=True):
                found[own[pk]] = pk
        return found


def prepare_writer(writer: Writer, opened: Opened) -> Writer:
    header = _header(opened)
    prepared = JsonlWriter(
        site=writer.site, system=writer.system, report=writer.report, rewrites=writer.rewrites
    )
    link = SourceLink.objects.filter(site=writer.site, system="rejoinder-site", kind="site").first()
    prepared.token = link.source_id if link else ""
    site = writer.site
    prepared.take_settings = not Page.objects.filter(site=site).exists()
    if prepared.take_settings:
        settings = header.get("site") or {}
        for name in SITE_FIELDS:
            if name in settings and name != "name":
                setattr(site, name, settings[name])
        site.save()
        writer.report.note("the site was empty: it takes the exported site's settings")
    return prepared


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    people: dict[str, r.Author] = {}
    for number, line in lines(opened):
        if not isinstance(line, dict) or "type" not in line:
            raise BadFile('a line that is not a Rejoinder record (no "type")', line=number)
        kind = line["type"]
        try:
            record = _record(kind, line, people)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadFile(
                f"a {kind} record that is incomplete or wrong ({exc})", line=number
            ) from None
        if record is not None:
            yield record


def _record(kind: str, x: dict[str, Any], people: dict[str, r.Author]) -> r.Record | None:
    if kind == "rejoinder":
        return None
    if kind == "commenter":
        people[x["id"]] = author = r.Author(
            key=x["id"],
            name=x["name"],
            email=x["email"],
            website=x["website"],
            sources=_sources(x),
            native={"reader_key": x["reader_key"], "created_at": _t(x["created_at"])},
        )
        return author
    if kind == "page":
        return r.Thread(
            key=x["id"],
            url=x["url"],
            uri=x["uri"],
            title=x["title"],
            closed=not x["is_open"],
            created_at=_t(x["created_at"]),
            sources=_sources(x),
            native={
                "uri": x["uri"],
                "rating_sum": x["rating_sum"],
                "rating_count": x["rating_count"],
            },
        )
    if kind == "prompt":
        return r.Prompt(
            key=x["id"],
            thread_key=x["page"],
            question=x["question"],
            exact=x["exact"],
            is_open=x["is_open"],
            sources=_sources(x),
            native={
                "created_at": _t(x["created_at"]),
                **{k: x[k] for k in ("prefix", "suffix", "start", "end", "block_index", "status")},
            },
        )
    if kind == "comment":
        comment = r.Comment(
            key=x["id"],
            thread_key=x["page"],
            parent_key=x["parent"],
            author=people[x["author"]],
            created_at=parse_time(x["created_at"]),
            body=x["body"],
            status=x["status"],
            ip_hash=x["ip_hash"],
            edited_at=_t(x["edited_at"]),
            upvotes=x["upvotes"],
            downvotes=x["downvotes"],
            suspected_spam=x["suspected_spam"],
            sources=_sources(x),
            native={
                "author_name": x["name"],
                "author_website": x["website"],
                "shadowed": x["shadowed"],
                "moderation_reasons": x["moderation_reasons"],
                "spam_score": x["spam_score"],
                "passage": x.get("passage"),
            },
        )
        return comment
    if kind == "vote":
        return r.Vote(
            key=x["id"],
            comment_key=x["comment"],
            voter=people[x["voter"]],
            value=x["value"],
            created_at=_t(x["created_at"]),
            sources=_sources(x),
            native={"address": x["address"], "address_place": x["address_place"]},
        )
    if kind == "rating":
        return r.Rating(
            key=x["id"],
            thread_key=x["page"],
            rater=people[x["rater"]],
            stars=x["stars"],
            created_at=_t(x["created_at"]),
            sources=_sources(x),
            native={
                "updated_at": _t(x["updated_at"]),
                "address": x["address"],
                "address_place": x["address_place"],
            },
        )
    if kind == "subscription":
        return r.Subscription(
            key=x["id"],
            thread_key=x["page"],
            email=x["email"],
            kind=x["kind"],
            confirmed=x["confirmed_at"] is not None,
            created_at=_t(x["created_at"]),
            sources=_sources(x),
            native={
                "reader_key": x["reader_key"],
                "token_salt": x["token_salt"],
                "confirmed_at": _t(x["confirmed_at"]),
                "unsubscribed_at": _t(x["unsubscribed_at"]),
            },
        )
    if kind == "linkback":
        return r.Linkback(
            key=x["id"],
            thread_key=x["page"],
            kind=x["kind"],
            title=x["title"],
            url=x["url"],
            excerpt=x["excerpt"],
            status=x["status"],
            created_at=parse_time(x["created_at"]),
            sources=_sources(x),
            native={"ip_hash": x["ip_hash"]},
        )
    if kind in _NATIVE:
        return r.Native(kind=kind, key=x.get("id") or "", fields=x, sources=_sources(x))
    if kind == "ban":
        return r.Block(
            author=people[x["commenter"]] if x["commenter"] else None,
            until=_t(x["until"]),
            reason=x["reason"],
            key=x["id"],
            sources=_sources(x),
            native={
                "email": x["email"],
                "ip_hash": x["ip_hash"],
                "shadow": x["shadow"],
                "created_at": _t(x["created_at"]),
                "lifted_at": _t(x["lifted_at"]),
                "created_by": x.get("created_by"),
            },
        )
    if kind == "fact":
        return r.Fact(kind=x["kind"], key=x["id"], facts=x["facts"], system=x["system"])
    raise ValueError(f"unknown record type {kind!r}")
