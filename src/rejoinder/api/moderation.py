"""Flags from readers, and the moderation API (session sign-in, CSRF token, moderator role).

Moderation payloads carry no email address and no IP hash: ban by them through the
comment, never by showing them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import django_auth

from rejoinder.api.comments import ERRORS
from rejoinder.api.schemas import (
    AuditEntryOut,
    AuditListOut,
    BanIn,
    BanOut,
    FlagIn,
    FlagOut,
    Id,
    ModeratedSiteOut,
    ModerateIn,
    QueueCountsOut,
    QueueOut,
)
from rejoinder.comments.identity import commenter_for
from rejoinder.errors import NotFound
from rejoinder.moderation.actions import audit_log, ban_commenter, lift_ban, moderate, undo_action
from rejoinder.moderation.flags import flag_comment
from rejoinder.moderation.models import AuditEntry, Ban
from rejoinder.moderation.queues import QueueItem, queue_counts, read_queue
from rejoinder.moderation.roles import moderated_sites, require_moderator
from rejoinder.pages.models import Site
from rejoinder.request_identity import ensure_reader, ip_hash, remember_reader

router = Router(tags=["flags"])
moderation = Router(tags=["moderation"], auth=django_auth)
MOD_ERRORS = {**ERRORS, 401: ERRORS[403]}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@router.post(
    "/comments/{comment_id}/flag",
    response={201: FlagOut, **ERRORS},
    summary="Flag a comment for the moderators",
)
def flag(
    request: HttpRequest, comment_id: Id, payload: FlagIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Report a comment (spam, abuse, off-topic, other). One flag per reader per comment."""
    key, new_token = ensure_reader(request)
    flag = flag_comment(
        comment_id=comment_id,
        reader=commenter_for(key, just_issued=new_token is not None),
        ip_hash=ip_hash(request),
        reason=payload.reason,
        note=payload.note,
    )
    remember_reader(response, new_token)
    return Status(
        201, {"id": flag.pk, "comment": comment_id, "reason": flag.reason, "reader": new_token}
    )


def _site(request: HttpRequest, site_id: int) -> Site:
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        raise NotFound(_("There is no site with that id."), field="site_id")
    require_moderator(request.user, site)
    return site


def _item(item: QueueItem) -> dict[str, Any]:
    c = item.comment
    return {
        "comment": {
            "id": c.pk,
            "status": c.status,
            "shadowed": c.shadowed,
            "author_name": c.author_name,
            "body": c.body,
            "html": c.body_html,
            "created": _iso(c.created_at),
            "page_id": item.page.pk,
            "page_uri": item.page.uri,
            "page_title": item.page.title,
            "parent": c.parent_id,
        },
        "parent": (
            {"id": item.parent.pk, "author_name": item.parent.author_name, "body": item.parent.body}
            if item.parent is not None
            else None
        ),
        "quote": item.quote,
        "history": {
            "published": item.history.published,
            "removed": item.history.removed,
            "spam": item.history.spam,
            "first_seen": _iso(item.history.first_seen),
        },
        "reasons": item.reasons,
        "spam_score": item.spam_score,
        "flags": [{"reason": reason, "count": n} for reason, n in item.flags],
    }


def _entry(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "action": entry.action,
        "moderator": entry.moderator.get_username() if entry.moderator else None,
        "comment": entry.comment_id,
        "ban": entry.ban_id,
        "previous_status": entry.previous_status,
        "new_status": entry.new_status,
        "note": entry.note,
        "created": _iso(entry.created_at),
        "undone_by": entry.undone_by_id,
    }


def _ban(ban: Ban) -> dict[str, Any]:
    return {
        "id": ban.pk,
        "site": ban.site_id,
        "commenter": ban.commenter_id,
        "by_email": bool(ban.email),
        "by_ip": bool(ban.ip_hash),
        "shadow": ban.shadow,
        "until": _iso(ban.until),
        "reason": ban.reason,
        "created": _iso(ban.created_at),
        "lifted": _iso(ban.lifted_at),
    }


@moderation.get(
    "/moderation/sites", response={200: list[ModeratedSiteOut], **MOD_ERRORS}, summary="Your sites"
)
def sites(request: HttpRequest) -> list[dict[str, Any]]:
    """List the sites you moderate with the size of each queue."""
    return [
        {"id": s.pk, "name": s.name, "counts": queue_counts(s)}
        for s in moderated_sites(request.user)
    ]


@moderation.get(
    "/moderation/sites/{site_id}/counts",
    response={200: QueueCountsOut, **MOD_ERRORS},
    summary="Queue sizes",
)
def counts(request: HttpRequest, site_id: Id) -> dict[str, int]:
    """Return how many comments each queue holds (cheap enough to poll)."""
    return queue_counts(_site(request, site_id))


@moderation.get(
    "/moderation/sites/{site_id}/queues/{name}",
    response={200: QueueOut, **MOD_ERRORS},
    summary="Read a queue",
)
def queue(
    request: HttpRequest, site_id: Id, name: str, limit: int = 50, before: Id | None = None
) -> dict[str, Any]:
    """Return a queue's comments (pending, flagged, spam, recent), newest first, in context."""
    items = read_queue(_site(request, site_id), name, limit=limit, before_id=before)
    return {
        "queue": name,
        "items": [_item(item) for item in items],
        "next_before": items[-1].comment.pk if len(items) >= max(1, min(limit, 200)) else None,
    }


@moderation.post(
    "/moderation/actions",
    response={200: AuditListOut, **MOD_ERRORS},
    summary="Approve, remove, mark spam or restore comments",
)
def act(request: HttpRequest, payload: ModerateIn) -> dict[str, Any]:
    """Apply one action to one or more comments: all of them change, or none."""
    entries = moderate(
        comment_ids=payload.comment_ids,
        action=payload.action,
        moderator=request.user,
        note=payload.note,
    )
    return {"entries": [_entry(e) for e in entries]}


@moderation.post(
    "/moderation/bans", response={201: BanOut, **MOD_ERRORS}, summary="Ban a commenter"
)
def ban(request: HttpRequest, payload: BanIn) -> Status[dict[str, Any]]:
    """Ban the author of a comment from its site, by reader identity, email and/or IP."""
    created = ban_commenter(
        comment_id=payload.comment_id,
        moderator=request.user,
        duration=timedelta(hours=payload.duration_hours) if payload.duration_hours else None,
        by_reader=payload.by_reader,
        by_email=payload.by_email,
        by_ip=payload.by_ip,
        shadow=payload.shadow,
        reason=payload.reason,
    )
    return Status(201, _ban(created))


@moderation.get(
    "/moderation/sites/{site_id}/bans",
    response={200: list[BanOut], **MOD_ERRORS},
    summary="List bans",
)
def bans(request: HttpRequest, site_id: Id) -> list[dict[str, Any]]:
    """List the site's bans, newest first, lifted ones included."""
    site = _site(request, site_id)
    return [_ban(b) for b in Ban.objects.filter(site=site).order_by("-pk")[:200]]


@moderation.post(
    "/moderation/bans/{ban_id}/lift", response={200: BanOut, **MOD_ERRORS}, summary="Lift a ban"
)
def lift(request: HttpRequest, ban_id: Id) -> dict[str, Any]:
    return _ban(lift_ban(ban_id=ban_id, moderator=request.user))


@moderation.get(
    "/moderation/sites/{site_id}/audit",
    response={200: AuditListOut, **MOD_ERRORS},
    summary="Read the audit log",
)
def audit(request: HttpRequest, site_id: Id, limit: int = 100) -> dict[str, Any]:
    """Return the latest moderation actions on the site, newest first."""
    entries = audit_log(_site(request, site_id), limit=limit)
    return {"entries": [_entry(e) for e in entries]}


@moderation.post(
    "/moderation/audit/{entry_id}/undo",
    response={200: AuditEntryOut, **MOD_ERRORS},
    summary="Undo an action",
)
def undo(request: HttpRequest, entry_id: Id) -> dict[str, Any]:
    """Revert the action an audit entry records; the undo is logged too."""
    return _entry(undo_action(entry_id=entry_id, moderator=request.user))
