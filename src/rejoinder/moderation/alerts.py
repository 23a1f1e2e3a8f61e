"""Mail to a site's moderators when work piles up: a long queue, or a reader's flag.

At most one mail per kind, site and moderator in each window: the outbox's unique dedupe
key decides, so concurrent posts never send two. Plain text only; the comment's text is
quoted as text, never as HTML.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.comments.events import CommentHeld
from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.errors import InvalidInput
from rejoinder.moderation.models import Flag, settings_for
from rejoinder.moderation.roles import moderators_of
from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.pages.localization import speaking_as
from rejoinder.pages.models import Page, Site

logger = logging.getLogger(__name__)


def moderator_addresses(site: Site) -> list[str]:
    """Return the email addresses of the site's moderators and of the superusers."""
    emails = moderators_of(site).values_list("email", flat=True)
    return sorted({e.strip().lower() for e in emails if e.strip()})


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _queue_url() -> str:
    return f"{settings.PUBLIC_URL}/moderation/"


def send_alert(site: Site, *, kind: str, subject: str, text: str) -> int:
    """Queue one alert mail per moderator unless this kind went out in this window; return how many."""
    period = max(1, settings.REJOINDER["MODERATION_ALERT_WINDOW_SECONDS"])
    window = int(time.time() // period)
    queued = 0
    for address in moderator_addresses(site):
        tag = hashlib.sha256(address.encode()).hexdigest()[:12]
        try:
            mail = enqueue_mail(
                to=address,
                subject=subject,
                text=text,
                kind="moderation-alert",
                dedupe_key=f"modalert:{site.pk}:{kind}:{window}:{tag}",
            )
        except InvalidInput:
            # One account's unusable address must not refuse a reader's post or flag.
            logger.warning("moderation alert: skipped an invalid address on site %s", site.pk)
            continue
        queued += mail is not None
    return queued


def alert_on_held(event: CommentHeld) -> None:
    """After a comment is held, mail the moderators if the site's queue reached its alert size."""
    page = Page.objects.select_related("site").get(pk=event.page_id)
    rules = settings_for(page.site)
    if not rules.alert_queue_size:
        return
    # Runs inside the posting transaction: count no further than the alert size.
    waiting = (
        Comment.objects.filter(page__site=page.site, status=CommentStatus.PENDING, shadowed=False)
        .values("pk")[: rules.alert_queue_size]
        .count()
    )
    if waiting < rules.alert_queue_size:
        return
    with speaking_as(page.site):
        send_alert(
            page.site,
            kind="queue",
            subject=ngettext(
                "%(n)d or more comments wait for moderation on %(site)s",
                "%(n)d or more comments wait for moderation on %(site)s",
                waiting,
            )
            % {"n": waiting, "site": page.site.name},
            text=ngettext(
                "%(n)d or more comments on %(site)s are waiting for a moderator.\n\nReview them: %(url)s\n",
                "%(n)d or more comments on %(site)s are waiting for a moderator.\n\nReview them: %(url)s\n",
                waiting,
            )
            % {"n": waiting, "site": page.site.name, "url": _queue_url()},
        )


def alert_on_flag(flag: Flag, comment: Comment) -> None:
    """Mail the moderators that a reader flagged a comment, if the site asks for it."""
    site = comment.page.site
    if not settings_for(site).alert_on_flag:
        return
    with speaking_as(site):
        send_alert(
            site,
            kind="flag",
            subject=_("A comment was flagged on %(site)s") % {"site": site.name},
            text=_(
                'A reader flagged a comment by %(name)s on "%(page)s" as %(reason)s.\n\n'
                "%(excerpt)s\n\nReview the flagged comments: %(url)s\n"
            )
            % {
                "name": _excerpt(comment.author_name, 60),
                "page": _excerpt(comment.page.title or comment.page.uri, 120),
                "reason": flag.get_reason_display(),
                "excerpt": _excerpt(comment.body),
                "url": _queue_url(),
            },
        )
