"""Readers flag comments; enough independent flags hide one until a moderator looks."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.comments.markdown import find_forbidden_character
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import change_status
from rejoinder.errors import Conflict, Forbidden, InvalidInput, NotFound
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.moderation.alerts import alert_on_flag
from rejoinder.moderation.models import AuditEntry, Flag, FlagReason, settings_for

FLAG_NOTE_MAX_LENGTH = 500


def flag_weight(comment: Comment) -> int:
    """Count the open flags on a comment as independent sources.

    Readers are counted, but never more than the distinct IP hashes they flagged from:
    one machine rotating reader cookies counts once. Flags without an IP count per reader.
    """
    counts = Flag.objects.filter(comment=comment, resolved=False).aggregate(
        readers=Count("reader", distinct=True),
        ips=Count("ip_hash", distinct=True, filter=~Q(ip_hash="")),
        without_ip=Count("pk", filter=Q(ip_hash="")),
    )
    return min(counts["readers"], counts["ips"] + counts["without_ip"])


def flag_comment(
    *, comment_id: int, reader: Commenter, ip_hash: str, reason: str, note: str = ""
) -> Flag:
    """Record a reader's flag on a published comment; hide the comment past the site's threshold.

    Raises InvalidInput on an unknown reason or a bad note, NotFound when the comment is
    not visible, Forbidden on one's own comment, Conflict when this reader flagged it already.
    """
    if reason not in FlagReason.values:
        raise InvalidInput(
            _("Choose a reason: %(reasons)s.") % {"reasons": ", ".join(FlagReason.values)},
            field="reason",
        )
    note = " ".join((note or "").split())
    if len(note) > FLAG_NOTE_MAX_LENGTH:
        raise InvalidInput(
            _("The note is too long (%(max)d characters at most).") % {"max": FLAG_NOTE_MAX_LENGTH},
            field="note",
        )
    if find_forbidden_character(note):
        raise InvalidInput(_("The note contains control characters."), field="note")
    with transaction.atomic():
        enforce_rate_limit("flag", reader_key=reader.reader_key, ip_hash=ip_hash)
        comment = (
            Comment.objects.select_for_update()
            .select_related("page__site")
            .filter(pk=comment_id, status=CommentStatus.PUBLISHED)
            .first()
        )
        if comment is None:
            raise NotFound(_("That comment does not exist or is no longer shown."))
        if reader.pk is None:
            reader.save()
        elif comment.author_id == reader.pk:
            raise Forbidden(_("You cannot flag your own comment."))
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    comment=comment, reader=reader, ip_hash=ip_hash, reason=reason, note=note
                )
        except IntegrityError:
            raise Conflict(_("You have already flagged this comment.")) from None
        rules = settings_for(comment.page.site)
        weight = flag_weight(comment)
        if rules.flags_to_hide and weight >= rules.flags_to_hide:
            _hide_flagged(comment, weight)
        alert_on_flag(flag, comment)
    return flag


def _hide_flagged(comment: Comment, weight: int) -> None:
    previous = comment.moderation_reasons
    reasons = [r for r in previous if r.get("code") != "flagged"]
    reasons.append(
        {
            "code": "flagged",
            "text": ngettext(
                "Hidden after flags from %(n)d reader.",
                "Hidden after flags from %(n)d readers.",
                weight,
            )
            % {"n": weight},
        }
    )
    change_status(comment, CommentStatus.PENDING, moderation_reasons=reasons)
    AuditEntry.objects.create(
        site_id=comment.page.site_id,
        moderator=None,
        action="hide_flagged",
        comment=comment,
        previous_status=CommentStatus.PUBLISHED,
        new_status=CommentStatus.PENDING,
        note=ngettext(
            "Hidden automatically after flags from %(n)d reader.",
            "Hidden automatically after flags from %(n)d readers.",
            weight,
        )
        % {"n": weight},
        state={
            "flags": [],
            "lesson": None,
            "shadowed": False,
            "suspected_spam": comment.suspected_spam,
            "reasons": previous,
        },
    )
