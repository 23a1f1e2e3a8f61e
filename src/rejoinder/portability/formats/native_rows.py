"""Rows only Rejoinder has, read back from its own export: articles and their revisions,
flags, the site's moderation rules and pages' own modes, moderators and the audit log.

They are written as the export holds them (no verdict, no event, no mail): a flag does not
hide its comment again, an audit entry is history, not an action. An article's HTML is
rendered again from its Markdown, as `save_article` renders it, never taken from the file.
Moderators are accounts: one of the same user name is given the role, else an account
is made that has no password (it signs in after a password reset) and no staff rights.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from rejoinder.inline.models import ArticleRevision
from rejoinder.moderation.models import (
    AuditEntry,
    Flag,
    FlagReason,
    ModeratorRole,
    PageModeration,
    Role,
    SiteModeration,
)
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import render_article_markdown
from rejoinder.portability import records as r
from rejoinder.portability.formats.common import parse_time

if TYPE_CHECKING:
    from rejoinder.portability.writer import Writer

PLURAL = {
    "article": "articles",
    "revision": "article revisions",
    "flag": "flags",
    "rules": "moderation rules",
    "page_rules": "pages' moderation modes",
    "moderator": "moderators",
    "audit": "audit entries",
}
_RULE_FIELDS = {
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
}
_ARTICLE_FIELDS = (
    "slug",
    "headline",
    "standfirst",
    "body",
    "author_name",
    "figure_url",
    "figure_alt",
    "figure_caption",
    "figure_credit",
    "source_line",
    "is_published",
)


def _t(value: Any) -> datetime | None:
    return parse_time(value) if value else None


def user_id(username: str | None, email: str = "") -> int | None:
    """The account of that user name, made (without a password) when there is none."""
    if not username:
        return None
    users = get_user_model()
    found = users.objects.filter(**{users.USERNAME_FIELD: username}).values_list("pk", flat=True)
    if found:
        return int(found[0])
    user = users(**{users.USERNAME_FIELD: username}, email=email)
    user.set_unusable_password()
    user.save()
    return int(user.pk)


def _known(writer: Writer, record: r.Native) -> bool:
    if record.key and writer._linked(record.kind, [record.key]):
        writer.report.already_there[PLURAL[record.kind]] += 1
        return True
    return False


def _linked_row(writer: Writer, record: r.Native, pk: int) -> None:
    writer._link(record.kind, record.key, pk, {}).save()
    writer._sources(record.kind, pk, record.sources)
    writer.report.imported[PLURAL[record.kind]] += 1


def write(writer: Writer, record: r.Native) -> None:
    """Store one row of Rejoinder's own export (the writer's `handle` calls this)."""
    handler = _HANDLERS.get(record.kind)
    if handler is None:
        writer.report.skip(record.kind, record.key, "Rejoinder does not know this kind of row")
        return
    handler(writer, record)


def _page(writer: Writer, record: r.Native) -> int | None:
    page_id = writer.threads.get(record.fields.get("page") or "")
    if page_id is None:
        writer.report.skip(record.kind, record.key, "its page is not in the file")
    return page_id


def _article(writer: Writer, record: r.Native) -> None:
    if _known(writer, record):
        return
    page_id = _page(writer, record)
    if page_id is None:
        return
    x = record.fields
    article = Article(page_id=page_id, **{name: x[name] for name in _ARTICLE_FIELDS})
    article.figure.name = x.get("figure") or ""
    article.body_html = render_article_markdown(article.body)
    article.published_at = _t(x["published_at"]) or article.published_at
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        writer.report.skip(
            "article", record.key, f"another article has the address {article.slug!r}"
        )
        return
    if x.get("updated_at"):  # auto_now: set after the save
        Article.objects.filter(pk=article.pk).update(updated_at=_t(x["updated_at"]))
    _linked_row(writer, record, article.pk)


def _revision(writer: Writer, record: r.Native) -> None:
    if _known(writer, record):
        return
    page_id = _page(writer, record)
    if page_id is None:
        return
    x = record.fields
    if ArticleRevision.objects.filter(page_id=page_id, number=x["number"]).exists():
        writer.report.skip("revision", record.key, "the page has a revision of that number")
        return
    row = ArticleRevision.objects.create(
        page_id=page_id, number=x["number"], body=x["body"], text=x["text"]
    )
    ArticleRevision.objects.filter(pk=row.pk).update(created_at=_t(x["created_at"]))
    _linked_row(writer, record, row.pk)


def _flag(writer: Writer, record: r.Native) -> None:
    if _known(writer, record):
        return
    writer.flush_comments()
    x = record.fields
    comment_id = writer._comment_ids([x["comment"]]).get(x["comment"])
    reader_id = writer.authors.get(x["reader"])
    if comment_id is None or reader_id is None:
        writer.report.skip("flag", record.key, "its comment or its reader is not in the file")
        return
    if x["reason"] not in FlagReason.values:
        writer.report.skip("flag", record.key, f"unknown reason {x['reason']!r}")
        return
    if Flag.objects.filter(comment_id=comment_id, reader_id=reader_id).exists():
        writer.report.skip("flag", record.key, "the reader flagged this comment already")
        return
    row = Flag.objects.create(
        comment_id=comment_id,
        reader_id=reader_id,
        ip_hash=x["ip_hash"],
        reason=x["reason"],
        note=x["note"][:500],
        created_at=parse_time(x["created_at"]),
        resolved=bool(x["resolved"]),
    )
    _linked_row(writer, record, row.pk)


def _rules(writer: Writer, record: r.Native) -> None:
    if not getattr(writer, "take_settings", False):
        writer.report.note("the site keeps its own moderation rules (the file's are not taken)")
        return
    rules, _created = SiteModeration.objects.get_or_create(site=writer.site)
    for name, value in record.fields.items():
        if name in _RULE_FIELDS:
            setattr(rules, name, value)
    rules.full_clean(exclude=["site"])
    rules.save()
    writer.report.imported[PLURAL["rules"]] += 1


def _page_rules(writer: Writer, record: r.Native) -> None:
    page_id = _page(writer, record)
    if page_id is None:
        return
    _row, created = PageModeration.objects.get_or_create(
        page_id=page_id, defaults={"mode": record.fields.get("mode")}
    )
    if created:
        writer.report.imported[PLURAL["page_rules"]] += 1
    else:
        writer.report.already_there[PLURAL["page_rules"]] += 1


def _moderator(writer: Writer, record: r.Native) -> None:
    x = record.fields
    if x.get("role") not in Role.values:
        writer.report.skip("moderator", x.get("user", "?"), f"unknown role {x.get('role')!r}")
        return
    pk = user_id(x["user"], x.get("email") or "")
    _row, created = ModeratorRole.objects.get_or_create(
        user_id=pk, site=writer.site, defaults={"role": x["role"]}
    )
    if created:
        writer.report.imported[PLURAL["moderator"]] += 1
    else:
        writer.report.already_there[PLURAL["moderator"]] += 1


def _audit(writer: Writer, record: r.Native) -> None:
    if _known(writer, record):
        return
    writer.flush_comments()
    x = record.fields
    comment_id = writer._comment_ids([x["comment"]]).get(x["comment"]) if x["comment"] else None
    ban_id = None
    if x["ban"]:
        ban_id = writer._linked("ban", [x["ban"]]).get(x["ban"])
    state = dict(x.get("state") or {})
    if isinstance(state.get("flags"), list):
        keys = [str(k) for k in state["flags"]]
        found = writer._linked("flag", keys)
        state["flags"] = [found[k] for k in keys if found.get(k) is not None]
    row = AuditEntry.objects.create(
        site=writer.site,
        moderator_id=user_id(x["moderator"]),
        action=x["action"][:20],
        comment_id=comment_id,
        ban_id=ban_id,
        previous_status=x["previous_status"],
        new_status=x["new_status"],
        note=x["note"][:1000],
        created_at=parse_time(x["created_at"]),
        state=state,
    )
    if x.get("undone_by"):
        writer.undone.append((row.pk, x["undone_by"]))
    _linked_row(writer, record, row.pk)


def finish(writer: Writer) -> None:
    """Link each undone audit entry to its undo (which comes later in the file)."""
    if not writer.undone:
        return
    found = writer._linked("audit", list({key for _pk, key in writer.undone}))
    for pk, key in writer.undone:
        if found.get(key) is not None:
            AuditEntry.objects.filter(pk=pk).update(undone_by_id=found[key])


_HANDLERS = {
    "article": _article,
    "revision": _revision,
    "flag": _flag,
    "rules": _rules,
    "page_rules": _page_rules,
    "moderator": _moderator,
    "audit": _audit,
}
