"""What moderators do: approve, remove, mark spam, restore, ban, and take any of it back.

Every action writes an `AuditEntry` with what it changed (status, flags resolved, what the
spam model learnt, shadow state), which is exactly what `undo_action` needs to revert it.
Each call is one transaction: a bulk action applies to every comment or to none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.comments import events
from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.comments.posting import change_status
from rejoinder.errors import Conflict, InvalidInput, NotFound
from rejoinder.moderation.learning import HAM, SPAM, teach
from rejoinder.moderation.models import AuditEntry, Ban, Flag
from rejoinder.moderation.roles import require_moderator
from rejoinder.pages.models import Site

Action = Literal["approve", "remove", "spam", "restore"]
ACTIONS: tuple[str, ...] = ("approve", "remove", "spam", "restore")
MAX_BULK = 200
MODERATOR_NOTE_MAX_LENGTH = 1000

_TARGET = {
    "approve": CommentStatus.PUBLISHED,
    "remove": CommentStatus.REMOVED,
    "spam": CommentStatus.SPAM,
    "restore": CommentStatus.PUBLISHED,
}
# Approving a published comment dismisses its flags (or marks it reviewed).
_ALLOWED_FROM = {
    "approve": {CommentStatus.PENDING, CommentStatus.PUBLISHED},
    "remove": {CommentStatus.PENDING, CommentStatus.PUBLISHED, CommentStatus.SPAM},
    "spam": {CommentStatus.PENDING, CommentStatus.PUBLISHED, CommentStatus.REMOVED},
    "restore": {CommentStatus.REMOVED, CommentStatus.SPAM},
}
_LESSON = {"approve": HAM, "remove": SPAM, "spam": SPAM, "restore": HAM}


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MODERATOR_NOTE_MAX_LENGTH:
        raise InvalidInput(
            _("The note is too long (%(max)d characters at most).")
            % {"max": MODERATOR_NOTE_MAX_LENGTH},
            field="note",
        )
    return note


def moderate(
    *, comment_ids: Sequence[int], action: Action | str, moderator: Any, note: str = ""
) -> list[AuditEntry]:
    """Apply one action to comments, all or none; return one audit entry per comment.

    approve: publish a held comment, or keep a published one and dismiss its flags (the
    spam model learns "not spam"); remove / spam: hide it (the model learns "spam");
    restore: publish a removed or spam comment again (the model learns "not spam").
    Raises Forbidden for comments of a site the moderator does not moderate, NotFound for
    unknown ids, Conflict when a comment's status does not allow the action.
    """
    if action not in ACTIONS:
        raise InvalidInput(
            _("Unknown action %(action)s; use one of %(all)s.")
            % {"action": action, "all": ", ".join(ACTIONS)},
            field="action",
        )
    ids = sorted(set(comment_ids))
    if not ids:
        raise InvalidInput(_("Choose at least one comment."), field="comment_ids")
    if len(ids) > MAX_BULK:
        raise InvalidInput(
            _("At most %(max)d comments at once.") % {"max": MAX_BULK}, field="comment_ids"
        )
    note = _clean_note(note)
    with transaction.atomic():
        comments = list(
            Comment.objects.select_for_update()
            .select_related("page")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        missing = set(ids) - {c.pk for c in comments}
        if missing:
            raise NotFound(
                _("No comment with id %(ids)s.") % {"ids": ", ".join(map(str, sorted(missing)))}
            )
        for site_id in sorted({c.page.site_id for c in comments}):
            require_moderator(moderator, site_id)
        for comment in comments:
            if comment.status not in _ALLOWED_FROM[action]:
                raise Conflict(
                    _("Comment %(id)d is %(status)s; it cannot be given the action %(action)s.")
                    % {"id": comment.pk, "status": comment.get_status_display(), "action": action}
                )
            if action == "restore" and not comment.body:
                raise Conflict(
                    _("Comment %(id)d was deleted by its author; there is nothing to restore.")
                    % {"id": comment.pk}
                )
        entries = [_apply(comment, action, moderator, note) for comment in comments]
        for site_id in sorted({c.page.site_id for c in comments}):
            events.emit(
                events.CommentsModerated(
                    site_id=site_id,
                    comment_ids=tuple(c.pk for c in comments if c.page.site_id == site_id),
                    action=action,
                    moderator_id=getattr(moderator, "pk", None),
                    moderator_name=moderator.get_username() if moderator is not None else "",
                )
            )
        return entries


def _apply(comment: Comment, action: str, moderator: Any, note: str) -> AuditEntry:
    state: dict[str, Any] = {
        "shadowed": comment.shadowed,
        "suspected_spam": comment.suspected_spam,
        "reasons": comment.moderation_reasons,
    }
    open_flags = list(
        Flag.objects.filter(comment=comment, resolved=False).values_list("pk", flat=True)
    )
    Flag.objects.filter(pk__in=open_flags).update(resolved=True)
    state["flags"] = open_flags
    previous = change_status(
        comment,
        _TARGET[action],
        suspected_spam=False if _TARGET[action] == CommentStatus.PUBLISHED else None,
    )
    state["lesson"] = teach(comment, comment.page.site_id, _LESSON[action])
    return AuditEntry.objects.create(
        site_id=comment.page.site_id,
        moderator=moderator,
        action=action,
        comment=comment,
        previous_status=previous,
        new_status=comment.status,
        note=note,
        state=state,
    )


def ban_commenter(
    *,
    comment_id: int,
    moderator: Any,
    duration: timedelta | None,
    by_reader: bool = True,
    by_email: bool = True,
    by_ip: bool = False,
    shadow: bool = False,
    reason: str = "",
) -> Ban:
    """Ban the author of a comment from its site, for `duration` or forever (None).

    The ban matches the author's reader identity, email address and/or IP hash as chosen,
    so a new display name does not get around it. With `shadow`, the author can still post
    but only they see their new comments.
    """
    reason = _clean_note(reason)
    if duration is not None and duration <= timedelta(0):
        raise InvalidInput(_("A ban lasts a positive time, or forever."), field="duration")
    with transaction.atomic():
        comment = Comment.objects.select_related("author", "page").filter(pk=comment_id).first()
        if comment is None:
            raise NotFound(_("No comment with id %(id)d.") % {"id": comment_id})
        site_id = comment.page.site_id
        require_moderator(moderator, site_id)
        author = comment.author
        email = author.email if by_email else ""
        ip_hash = comment.ip_hash if by_ip else ""
        if not (by_reader or email or ip_hash):
            raise InvalidInput(
                _(
                    "Choose what to ban by: this commenter's identity, email address or IP address (this commenter has %(missing)s)."
                )
                % {
                    "missing": _("no email address")
                    if by_email and not author.email
                    else _("no recorded IP address")
                    if by_ip
                    else _("nothing chosen")
                },
                field="by",
            )
        now = timezone.now()
        ban = Ban.objects.create(
            site_id=site_id,
            commenter=author if by_reader else None,
            email=email,
            ip_hash=ip_hash,
            shadow=shadow,
            until=now + duration if duration is not None else None,
            reason=reason,
            created_by=moderator,
            created_at=now,
        )
        AuditEntry.objects.create(
            site_id=site_id,
            moderator=moderator,
            action="ban",
            comment=comment,
            ban=ban,
            note=reason,
        )
    return ban


def lift_ban(*, ban_id: int, moderator: Any) -> Ban:
    """End a ban now."""
    with transaction.atomic():
        ban = Ban.objects.select_for_update().filter(pk=ban_id).first()
        if ban is None:
            raise NotFound(_("No ban with id %(id)d.") % {"id": ban_id})
        require_moderator(moderator, ban.site_id)
        if ban.lifted_at is not None:
            raise Conflict(_("That ban was already lifted."))
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
        AuditEntry.objects.create(
            site_id=ban.site_id, moderator=moderator, action="lift_ban", ban=ban
        )
    return ban


def undo_action(*, entry_id: int, moderator: Any) -> AuditEntry:
    """Revert the action an audit entry records; return the entry that logs the undo.

    Refused (Conflict) when it was undone already, is itself an undo, or the comment has
    changed since (another action would be silently overwritten).
    """
    with transaction.atomic():
        entry = AuditEntry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise NotFound(_("No audit entry with id %(id)d.") % {"id": entry_id})
        require_moderator(moderator, entry.site_id)
        if entry.undone_by_id is not None:
            raise Conflict(_("That action was already undone."))
        if entry.action == "undo":
            raise Conflict(_("An undo cannot be undone; apply the action again instead."))
        if entry.action in ("ban", "lift_ban"):
            _undo_ban(entry)
        else:
            _undo_status(entry)
        undo = AuditEntry.objects.create(
            site_id=entry.site_id,
            moderator=moderator,
            action="undo",
            comment_id=entry.comment_id,
            ban_id=entry.ban_id,
            previous_status=entry.new_status,
            new_status=entry.previous_status,
            note=_("Undid %(action)s #%(id)d.") % {"action": entry.action, "id": entry.pk},
        )
        entry.undone_by = undo
        entry.save(update_fields=["undone_by"])
    return undo


def _undo_ban(entry: AuditEntry) -> None:
    ban = (
        Ban.objects.select_for_update().filter(id=entry.ban_id).first()
        if entry.ban_id is not None
        else None
    )
    if ban is None:
        raise Conflict(_("That ban no longer exists."))
    if entry.action == "ban":
        if ban.lifted_at is not None:
            raise Conflict(_("That ban was lifted since."))
        ban.lifted_at = timezone.now()
    else:
        ban.lifted_at = None
    ban.save(update_fields=["lifted_at"])


def _undo_status(entry: AuditEntry) -> None:
    comment = (
        Comment.objects.select_for_update()
        .select_related("page")
        .filter(id=entry.comment_id)
        .first()
        if entry.comment_id is not None
        else None
    )
    if comment is None:
        raise Conflict(_("That comment no longer exists."))
    if comment.status != entry.new_status:
        raise Conflict(
            _("The comment changed since: it is now %(status)s.")
            % {"status": comment.get_status_display()}
        )
    state = entry.state or {}
    change_status(
        comment,
        CommentStatus(entry.previous_status),
        shadowed=bool(state.get("shadowed", False)),
        suspected_spam=bool(state.get("suspected_spam", False)),
        moderation_reasons=state.get("reasons", comment.moderation_reasons),
    )
    Flag.objects.filter(pk__in=state.get("flags", [])).update(resolved=False)
    if state.get("lesson") is not None:
        teach(comment, comment.page.site_id, state["lesson"])


def audit_log(site: Site, *, limit: int = 100) -> list[AuditEntry]:
    """Return the site's latest moderation actions, newest first."""
    limit = max(1, min(limit, 500))
    return list(
        AuditEntry.objects.filter(site=site)
        .select_related("moderator", "comment", "ban", "undone_by")
        .order_by("-pk")[:limit]
    )
