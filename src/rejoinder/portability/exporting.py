"""Exporting a site: Rejoinder's own JSON Lines, and WXR or Disqus XML for those who leave.

Every export streams: rows are read in chunks in id order, each written as it is read, and
the links to where rows came from are read alongside in the same order, so memory does not
grow with the site.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from django.db.models import Exists, Max, Min, Model, OuterRef, QuerySet

from rejoinder.comments.models import Comment, Commenter, Vote
from rejoinder.inline.models import Anchor, ArticleRevision, Prompt
from rejoinder.moderation.models import (
    AuditEntry,
    Ban,
    Flag,
    ModeratorRole,
    PageModeration,
    SiteModeration,
)
from rejoinder.pages.models import Article, Page, Site
from rejoinder.portability.exporting_xml import export_disqus, export_wxr
from rejoinder.portability.models import Linkback, SourceLink
from rejoinder.ratings.models import Rating
from rejoinder.subscriptions.models import Subscription

FORMAT_VERSION = 1
CHUNK = 2000
WINDOW = 5000  # ids per query when rows are read in id order
OWN = "rejoinder"  # the system of objects that came from a Rejoinder export
SITE_FIELDS = (
    "name",
    "domain",
    "allowed_origins",
    "edit_window_minutes",
    "max_reply_depth",
    "default_sort",
    "page_size",
    "max_votes_per_address",
    "date_format",
)


def site_token(site: Site) -> str:
    """This site's own prefix for the ids of the rows it made (created on first export)."""
    link = SourceLink.objects.filter(site=site, system="rejoinder-site", kind="site").first()
    if link is None:
        link = SourceLink.objects.create(
            site=site,
            system="rejoinder-site",
            kind="site",
            source_id=secrets.token_hex(6),
            object_id=site.pk,
        )
    return link.source_id


def time(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


class _Ids:
    """The export id of a row: the id it had in the export it came from, else token:pk."""

    def __init__(self, site: Site, token: str) -> None:
        self.site = site
        self.token = token
        self.cache: dict[str, dict[int, str]] = {}

    def of(self, kind: str, pk: int | None) -> str | None:
        if pk is None:
            return None
        if kind not in self.cache:
            self.cache[kind] = {
                int(pk): key
                for pk, key in SourceLink.objects.filter(
                    site=self.site, system=OWN, kind=kind, object_id__isnull=False
                ).values_list("object_id", "source_id")
                if pk is not None
            }
        return self.cache[kind].get(pk) or f"{self.token}:{pk}"


def in_id_order(rows: QuerySet[Any], window: int = WINDOW) -> Iterator[Any]:
    """The rows in id order, read one window of ids at a time.

    One query over the whole table would be sorted by the database first: SQLite joins the
    site's pages to their rows and sorts them all in a temporary B-tree, in memory (860 MiB
    for a million comments). A window of ids sorts at most `window` rows.
    """
    bounds = rows.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    if low is None or high is None:
        return
    start = low - 1
    while start < high:
        yield from rows.filter(pk__gt=start, pk__lte=start + window).order_by("pk")
        start += window


def _with_sources(
    site: Site, kind: str, rows: QuerySet[Any]
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Each row with the other systems' ids it has, both read in id order, side by side."""
    links = (
        SourceLink.objects.filter(site=site, kind=kind, object_id__isnull=False)
        .exclude(system__in=(OWN, "rejoinder-site"))
        .order_by("object_id")  # the index's order: no sort in memory
        .values_list("object_id", "system", "source_id", "facts")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(links, None)
    for row in in_id_order(rows):
        while pending is not None and pending[0] < row.pk:
            pending = next(links, None)
        found = []
        while pending is not None and pending[0] == row.pk:
            found.append({"system": pending[1], "id": pending[2], "facts": pending[3]})
            pending = next(links, None)
        yield row, sorted(found, key=lambda source: (source["system"], source["id"]))


def _line(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    out.write("\n")


def export_jsonl(site: Site, out: TextIO) -> int:
    """Write the site as Rejoinder JSON Lines (docs/import-export.md); return the lines."""
    ids = _Ids(site, site_token(site))
    count = 1
    _line(
        out,
        {
            "type": "rejoinder",
            "version": FORMAT_VERSION,
            "site": {name: getattr(site, name) for name in SITE_FIELDS},
        },
    )
    pages = Page.objects.filter(site=site)
    comments = Comment.objects.filter(page__site=site)
    # Probed per commenter (each an index look-up), not as lists of every id of the site,
    # which SQLite built again for each window of commenters.
    person = OuterRef("pk")
    people = Commenter.objects.filter(
        Exists(comments.filter(author_id=person))
        | Exists(Vote.objects.filter(comment__page__site=site, voter_id=person))
        | Exists(Rating.objects.filter(page__site=site, rater_id=person))
        | Exists(Ban.objects.filter(site=site, commenter_id=person))
        | Exists(Flag.objects.filter(comment__page__site=site, reader_id=person))
    )
    for person, sources in _with_sources(site, "commenter", people):
        _line(
            out,
            {
                "type": "commenter",
                "id": ids.of("commenter", person.pk),
                "reader_key": person.reader_key,
                "name": person.display_name,
                "email": person.email,
                "website": person.website,
                "created_at": time(person.created_at),
                "sources": sources,
            },
        )
        count += 1
    for page, sources in _with_sources(site, "page", pages):
        _line(
            out,
            {
                "type": "page",
                "id": ids.of("page", page.pk),
                "uri": page.uri,
                "url": page.url,
                "title": page.title,
                "is_open": page.is_open,
                "created_at": time(page.created_at),
                "rating_sum": page.rating_sum,
                "rating_count": page.rating_count,
                "sources": sources,
            },
        )
        count += 1
    count += _export_articles(site, ids, out)
    count += _export_moderators(site, out)  # after the pages (the site check), before bans
    for prompt, sources in _with_sources(site, "prompt", Prompt.objects.filter(page__site=site)):
        _line(
            out,
            {
                "type": "prompt",
                "id": ids.of("prompt", prompt.pk),
                "page": ids.of("page", prompt.page_id),
                "question": prompt.question,
                "is_open": prompt.is_open,
                "created_at": time(prompt.created_at),
                "exact": prompt.exact,
                "prefix": prompt.prefix,
                "suffix": prompt.suffix,
                "start": prompt.start,
                "end": prompt.end,
                "block_index": prompt.block_index,
                "status": prompt.status,
                "sources": sources,
            },
        )
        count += 1
    anchors = in_id_order(Anchor.objects.filter(page__site=site))  # the id is the comment's
    anchor = next(anchors, None)
    for comment, sources in _with_sources(site, "comment", comments):
        while anchor is not None and anchor.comment_id < comment.pk:
            anchor = next(anchors, None)
        passage = None
        if anchor is not None and anchor.comment_id == comment.pk:
            passage = {
                "prompt": ids.of("prompt", anchor.prompt_id),
                "exact": anchor.exact,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
            }
        _line(
            out,
            {
                "type": "comment",
                "id": ids.of("comment", comment.pk),
                "page": ids.of("page", comment.page_id),
                "parent": ids.of("comment", comment.reply_to_id or comment.parent_id),
                "author": ids.of("commenter", comment.author_id),
                "name": comment.author_name,
                "website": comment.author_website,
                "body": comment.body,
                "status": comment.status,
                "created_at": time(comment.created_at),
                "edited_at": time(comment.edited_at),
                "ip_hash": comment.ip_hash,
                "upvotes": comment.upvotes,
                "downvotes": comment.downvotes,
                "suspected_spam": comment.suspected_spam,
                "shadowed": comment.shadowed,
                "moderation_reasons": comment.moderation_reasons,
                "spam_score": comment.spam_score,
                "passage": passage,
                "sources": sources,
            },
        )
        count += 1
    for vote, sources in _with_sources(site, "vote", Vote.objects.filter(comment__page__site=site)):
        _line(
            out,
            {
                "type": "vote",
                "id": ids.of("vote", vote.pk),
                "comment": ids.of("comment", vote.comment_id),
                "voter": ids.of("commenter", vote.voter_id),
                "value": vote.value,
                "created_at": time(vote.created_at),
                "address": vote.address,
                "address_place": vote.address_place,
                "sources": sources,
            },
        )
        count += 1
    for rating, sources in _with_sources(site, "rating", Rating.objects.filter(page__site=site)):
        _line(
            out,
            {
                "type": "rating",
                "id": ids.of("rating", rating.pk),
                "page": ids.of("page", rating.page_id),
                "rater": ids.of("commenter", rating.rater_id),
                "stars": rating.stars,
                "created_at": time(rating.created_at),
                "updated_at": time(rating.updated_at),
                "address": rating.address,
                "address_place": rating.address_place,
                "sources": sources,
            },
        )
        count += 1
    subscriptions = Subscription.objects.filter(page__site=site)
    for sub, sources in _with_sources(site, "subscription", subscriptions):
        _line(
            out,
            {
                "type": "subscription",
                "id": ids.of("subscription", sub.pk),
                "page": ids.of("page", sub.page_id),
                "email": sub.email,
                "kind": sub.kind,
                "reader_key": sub.reader_key,
                "token_salt": sub.token_salt,
                "created_at": time(sub.created_at),
                "confirmed_at": time(sub.confirmed_at),
                "unsubscribed_at": time(sub.unsubscribed_at),
                "sources": sources,
            },
        )
        count += 1
    for linkback, sources in _with_sources(
        site, "linkback", Linkback.objects.filter(page__site=site)
    ):
        _line(
            out,
            {
                "type": "linkback",
                "id": ids.of("linkback", linkback.pk),
                "page": ids.of("page", linkback.page_id),
                "kind": linkback.kind,
                "title": linkback.title,
                "url": linkback.url,
                "excerpt": linkback.excerpt,
                "status": linkback.status,
                "ip_hash": linkback.ip_hash,
                "created_at": time(linkback.created_at),
                "sources": sources,
            },
        )
        count += 1
    bans = Ban.objects.filter(site=site).select_related("created_by")
    for ban, sources in _with_sources(site, "ban", bans):
        _line(
            out,
            {
                "type": "ban",
                "id": ids.of("ban", ban.pk),
                "commenter": ids.of("commenter", ban.commenter_id),
                "email": ban.email,
                "ip_hash": ban.ip_hash,
                "shadow": ban.shadow,
                "until": time(ban.until),
                "reason": ban.reason,
                "created_at": time(ban.created_at),
                "lifted_at": time(ban.lifted_at),
                "created_by": _username(ban.created_by),
                "sources": sources,
            },
        )
        count += 1
    count += _export_moderation(site, ids, out)
    facts = (
        SourceLink.objects.filter(site=site, object_id__isnull=True)
        .order_by("system", "kind", "source_id")
        .iterator(CHUNK)
    )
    for link in facts:
        _line(
            out,
            {
                "type": "fact",
                "system": link.system,
                "kind": link.kind,
                "id": link.source_id,
                "facts": link.facts,
            },
        )
        count += 1
    return count


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _export_articles(site: Site, ids: _Ids, out: TextIO) -> int:
    """The articles Rejoinder publishes on the site's pages, then every revision of their text."""
    count = 0
    articles = Article.objects.filter(page__site=site)
    for article, sources in _with_sources(site, "article", articles):
        _line(
            out,
            {
                "type": "article",
                "id": ids.of("article", article.pk),
                "page": ids.of("page", article.page_id),
                "slug": article.slug,
                "headline": article.headline,
                "standfirst": article.standfirst,
                "body": article.body,
                "author_name": article.author_name,
                "figure": article.figure.name or "",
                "figure_url": article.figure_url,
                "figure_alt": article.figure_alt,
                "figure_caption": article.figure_caption,
                "figure_credit": article.figure_credit,
                "source_line": article.source_line,
                "published_at": time(article.published_at),
                "updated_at": time(article.updated_at),
                "is_published": article.is_published,
                "sources": sources,
            },
        )
        count += 1
    revisions = ArticleRevision.objects.filter(page__site=site)
    for revision, sources in _with_sources(site, "revision", revisions):
        _line(
            out,
            {
                "type": "revision",
                "id": ids.of("revision", revision.pk),
                "page": ids.of("page", revision.page_id),
                "number": revision.number,
                "body": revision.body,
                "text": revision.text,
                "created_at": time(revision.created_at),
                "sources": sources,
            },
        )
        count += 1
    return count


RULE_FIELDS = (
    "mode",
    "premoderate_first_time",
    "premoderate_links",
    "premoderate_suspect_words",
    "banned_words",
    "suspect_words",
    "max_links",
    "link_min_age_hours",
    "flags_to_hide",
    "spam_threshold",
    "spam_action",
    "alert_queue_size",
    "alert_on_flag",
)


def _export_moderators(site: Site, out: TextIO) -> int:
    """The accounts that moderate the site, first: bans and the audit log name them."""
    count = 0
    roles = ModeratorRole.objects.filter(site=site).select_related("user")
    for role in roles.order_by("pk"):
        _line(
            out,
            {
                "type": "moderator",
                "user": role.user.get_username(),
                "email": role.user.email,
                "role": role.role,
            },
        )
        count += 1
    return count


def _export_moderation(site: Site, ids: _Ids, out: TextIO) -> int:
    """Flags, the site's moderation rules and pages' own modes, moderators, the audit log."""
    count = 0
    flags = Flag.objects.filter(comment__page__site=site)
    for flag, sources in _with_sources(site, "flag", flags):
        _line(
            out,
            {
                "type": "flag",
                "id": ids.of("flag", flag.pk),
                "comment": ids.of("comment", flag.comment_id),
                "reader": ids.of("commenter", flag.reader_id),
                "ip_hash": flag.ip_hash,
                "reason": flag.reason,
                "note": flag.note,
                "created_at": time(flag.created_at),
                "resolved": flag.resolved,
                "sources": sources,
            },
        )
        count += 1
    rules = SiteModeration.objects.filter(site=site).first()
    if rules is not None:
        _line(out, {"type": "rules", **{name: getattr(rules, name) for name in RULE_FIELDS}})
        count += 1
    page_rules = PageModeration.objects.filter(page__site=site)
    for rule in in_id_order(page_rules):
        _line(out, {"type": "page_rules", "page": ids.of("page", rule.page_id), "mode": rule.mode})
        count += 1
    entries = AuditEntry.objects.filter(site=site).select_related("moderator")
    for entry, sources in _with_sources(site, "audit", entries):
        state = dict(entry.state or {})
        if isinstance(state.get("flags"), list):
            state["flags"] = [ids.of("flag", pk) for pk in state["flags"] if pk]
        _line(
            out,
            {
                "type": "audit",
                "id": ids.of("audit", entry.pk),
                "moderator": _username(entry.moderator),
                "action": entry.action,
                "comment": ids.of("comment", entry.comment_id),
                "ban": ids.of("ban", entry.ban_id),
                "previous_status": entry.previous_status,
                "new_status": entry.new_status,
                "note": entry.note,
                "created_at": time(entry.created_at),
                "undone_by": ids.of("audit", entry.undone_by_id),
                "state": state,
                "sources": sources,
            },
        )
        count += 1
    return count


def models_exported() -> Iterable[type[Model]]:
    """The tables a JSON Lines export holds (docs/import-export.md lists what it leaves out)."""
    return (
        Commenter,
        Page,
        Article,
        ArticleRevision,
        Prompt,
        Comment,
        Anchor,
        Vote,
        Rating,
        Subscription,
        Linkback,
        Ban,
        Flag,
        SiteModeration,
        PageModeration,
        ModeratorRole,
        AuditEntry,
    )


EXPORTERS: dict[str, Callable[[Site, TextIO], int]] = {
    "jsonl": export_jsonl,
    "wxr": export_wxr,
    "disqus": export_disqus,
}
