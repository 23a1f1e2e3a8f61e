"""The mails subscribers get: confirmation, one new comment, or a digest of several.

Every mail has plain-text and HTML parts, a visible unsubscribe link and the RFC 8058 one-click
headers, and Message-ID / In-Reply-To / References that let mail clients thread a page's mail.
Commenters' email addresses never appear.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.comments.models import Comment
from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.pages.localization import speaking_as
from rejoinder.subscriptions.models import Subscription, SubscriptionKind
from rejoinder.subscriptions.tokens import confirm_token, manage_token, unsubscribe_token


def _absolute(path: str) -> str:
    return settings.PUBLIC_URL + path


def _mail_domain() -> str:
    return urlsplit(settings.PUBLIC_URL).hostname or "localhost"


def _shortened_line(text: str, limit: int = 120) -> str:
    """Collapse whitespace, drop control characters (titles go into headers) and shorten."""
    text = "".join(ch for ch in " ".join(text.split()) if ch.isprintable())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _recipient_tag(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:12]


def comment_message_id(comment_id: int, email: str) -> str:
    return f"<comment-{comment_id}.{_recipient_tag(email)}@{_mail_domain()}>"


def _page_thread_id(page_id: int) -> str:
    return f"<page-{page_id}@{_mail_domain()}>"


def _links(subscription: Subscription) -> dict[str, str]:
    unsubscribe = _absolute(
        reverse("subscriptions:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
    )
    manage = _absolute(
        reverse(
            "subscriptions:manage",
            kwargs={
                "token": manage_token(site_id=subscription.page.site_id, email=subscription.email)
            },
        )
    )
    return {"unsubscribe_url": unsubscribe, "manage_url": manage}


def _unsubscribe_headers(links: dict[str, str]) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_confirmation(subscription: Subscription, *, now: datetime) -> None:
    """Queue the mail whose link confirms a subscription (at most one per subscription a day),
    in the site's language."""
    with speaking_as(subscription.page.site):
        _send_confirmation(subscription, now=now)


def _send_confirmation(subscription: Subscription, *, now: datetime) -> None:
    page = subscription.page
    context = {
        "page": page,
        "page_title": _shortened_line(page.title or page.uri),
        "site_name": page.site.name,
        "kind": SubscriptionKind(subscription.kind).label,
        "confirm_url": _absolute(
            reverse("subscriptions:confirm", kwargs={"token": confirm_token(subscription)})
        ),
    }
    enqueue_mail(
        to=subscription.email,
        subject=_('Confirm your subscription to "%(title)s"') % {"title": context["page_title"]},
        text=render_to_string("subscriptions/mail/confirm.txt", context),
        html=render_to_string("subscriptions/mail/confirm.html", context),
        kind="confirm",
        dedupe_key=f"confirm:{subscription.pk}:{subscription.token_salt}:{now:%Y-%m-%d}",
    )


def send_notification(subscription: Subscription, comments: list[Comment], *, email: str) -> None:
    """Queue one mail about new comments on a page: a single comment, or a digest of several,
    in the site's language and time zone."""
    with speaking_as(subscription.page.site):
        _send_notification(subscription, comments, email=email)


def _send_notification(subscription: Subscription, comments: list[Comment], *, email: str) -> None:
    page = subscription.page
    links = _links(subscription)
    title = _shortened_line(page.title or page.uri)
    context = {
        "page": page,
        "page_title": title,
        "site_name": page.site.name,
        "comments": [
            {
                "comment": c,
                "url": _absolute(reverse("widget:permalink", kwargs={"comment_id": c.pk})),
                "is_reply_to_you": subscription.kind == SubscriptionKind.REPLIES,
            }
            for c in comments
        ],
        **links,
    }
    headers = _unsubscribe_headers(links)
    if len(comments) == 1:
        (comment,) = comments
        name = _shortened_line(comment.author_name, 60)
        if subscription.kind == SubscriptionKind.REPLIES:
            subject = _('%(name)s replied to your comment on "%(title)s"') % {
                "name": name,
                "title": title,
            }
        else:
            subject = _('%(name)s commented on "%(title)s"') % {"name": name, "title": title}
        template, kind = "notification", "notify"
        message_id = comment_message_id(comment.pk, email)
        parent = comment.reply_to_id or comment.parent_id
        references = [_page_thread_id(page.pk)]
        if parent:
            references.append(comment_message_id(parent, email))
        headers["In-Reply-To"] = references[-1]
        headers["References"] = " ".join(references)
    else:
        subject = ngettext(
            '%(count)d new comment on "%(title)s"',
            '%(count)d new comments on "%(title)s"',
            len(comments),
        ) % {
            "count": len(comments),
            "title": title,
        }
        template, kind = "digest", "digest"
        message_id = (
            f"<digest-{comments[0].pk}-{comments[-1].pk}.{_recipient_tag(email)}@{_mail_domain()}>"
        )
        headers["In-Reply-To"] = _page_thread_id(page.pk)
        headers["References"] = _page_thread_id(page.pk)
    enqueue_mail(
        to=email,
        subject=subject,
        text=render_to_string(f"subscriptions/mail/{template}.txt", context),
        html=render_to_string(f"subscriptions/mail/{template}.html", context),
        headers=headers,
        message_id=message_id,
        kind=kind,
        dedupe_key=f"{kind}:{email.lower()}:{page.pk}:{comments[0].pk}-{comments[-1].pk}",
    )
