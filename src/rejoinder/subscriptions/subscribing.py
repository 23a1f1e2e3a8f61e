"""Subscribing, confirming and unsubscribing: double opt-in, one address at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment
from rejoinder.comments.posting import clean_email
from rejoinder.errors import Forbidden, InvalidInput, NotFound, RejoinderError
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.pages.models import Page
from rejoinder.subscriptions.mail import send_confirmation
from rejoinder.subscriptions.models import ConfirmedAddress, Subscription, SubscriptionKind


@dataclass(frozen=True)
class SubscribeResult:
    subscription: Subscription
    confirmed: bool  # False: a confirmation mail is (or already was) on its way


def subscribe(
    *,
    page: Page,
    email: str,
    kind: str,
    reader_key: str,
    ip_hash: str,
    now: datetime | None = None,
) -> SubscribeResult:
    """Subscribe an address to a page's comments (`page`) or to replies to the reader's own.

    An address counts as the reader's only once they followed a link sent to it: the first time
    on a site, a confirmation mail goes out and nothing else does until it is followed. The
    answer never tells whether anyone else subscribed that address. The rate limits (per
    reader and per `ip_hash`, the client's `request_identity.ip_hash`, "" when unknown) are
    counted in the same transaction.
    """
    email = clean_email(email)
    if not email:
        raise InvalidInput(_("Give the email address to send notifications to."), field="email")
    try:
        kind = SubscriptionKind(kind)
    except ValueError:
        raise InvalidInput(_("Choose what to be notified of."), field="kind") from None
    if not page.is_open:
        raise Forbidden(_("This discussion is closed; it has nothing new to notify of."))
    now = now or timezone.now()
    with transaction.atomic():
        enforce_rate_limit("subscribe", reader_key=reader_key, ip_hash=ip_hash)
        known = ConfirmedAddress.objects.filter(
            site_id=page.site_id, email__iexact=email, reader_key=reader_key
        ).exists()
        subscription = _claim(page=page, email=email, kind=kind, reader_key=reader_key)
        if subscription.is_active and subscription.reader_key == reader_key:
            return SubscribeResult(subscription, confirmed=True)
        if subscription.is_active:
            # Someone else's confirmed subscription: say nothing, change nothing.
            return SubscribeResult(subscription, confirmed=False)
        subscription.reader_key = reader_key
        subscription.unsubscribed_at = None
        subscription.confirmed_at = now if known else None
        subscription.save(update_fields=["reader_key", "unsubscribed_at", "confirmed_at"])
        if not known:
            send_confirmation(subscription, now=now)
    return SubscribeResult(subscription, confirmed=known)


@dataclass(frozen=True)
class AuthorSubscription:
    """How "notify me of replies", ticked when posting, went: a status and what to tell them."""

    status: Literal["subscribed", "confirmation_sent", "needs_email", "refused"]
    message: str


def subscribe_author_to_replies(*, comment: Comment, ip_hash: str) -> AuthorSubscription:
    """Subscribe a comment's author to replies to their comments, with the address they posted.

    This is "notify me of replies" on the comment form and `notify_replies` in the API: it goes
    through `subscribe`, so it has the same double opt-in and rate limits as subscribing from
    the box. The comment is posted by then and stays posted, so nothing is raised: an author
    who gave no address, or a subscription `subscribe` refuses, is reported in the result.
    """
    author = comment.author
    if not author.email:
        return AuthorSubscription(
            "needs_email", _("To be notified of replies, give your email address.")
        )
    try:
        result = subscribe(
            page=comment.page,
            email=author.email,
            kind=SubscriptionKind.REPLIES,
            reader_key=author.reader_key,
            ip_hash=ip_hash,
        )
    except RejoinderError as exc:
        return AuthorSubscription("refused", exc.message)
    if result.confirmed:
        return AuthorSubscription("subscribed", _("You will be notified of replies."))
    return AuthorSubscription(
        "confirmation_sent",
        _("Check your inbox: a link there confirms notifications of replies."),
    )


def _claim(*, page: Page, email: str, kind: str, reader_key: str) -> Subscription:
    existing = Subscription.objects.filter(page=page, email__iexact=email, kind=kind).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                page=page, email=email, kind=kind, reader_key=reader_key
            )
    except IntegrityError:
        return Subscription.objects.get(page=page, email__iexact=email, kind=kind)


def confirm_subscription(
    subscription: Subscription, *, now: datetime | None = None
) -> Subscription:
    """Activate a subscription whose confirmation link was followed; remember the address."""
    now = now or timezone.now()
    with transaction.atomic():
        if subscription.confirmed_at is None or subscription.unsubscribed_at is not None:
            subscription.confirmed_at = now
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
        ConfirmedAddress.objects.get_or_create(
            site_id=subscription.page.site_id,
            email=subscription.email.lower(),
            reader_key=subscription.reader_key,
        )
    return subscription


def end_subscription(subscription: Subscription, *, now: datetime | None = None) -> Subscription:
    """Stop a subscription (one click from a mail, or from the manage page)."""
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = now or timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def subscriptions_of(*, site_id: int, email: str) -> list[Subscription]:
    """Return every subscription of an address on a site, newest first, for the manage page."""
    return list(
        Subscription.objects.filter(page__site_id=site_id, email__iexact=email)
        .select_related("page")
        .order_by("-created_at")
    )


def subscriptions_of_reader(reader_key: str) -> list[Subscription]:
    """Return a reader's live subscriptions (confirmed or awaiting it), newest first."""
    return list(
        Subscription.objects.filter(reader_key=reader_key, unsubscribed_at__isnull=True)
        .select_related("page")
        .order_by("-created_at", "-pk")
    )


def end_reader_subscription(*, reader_key: str, subscription_id: int) -> Subscription:
    """End one of the reader's own subscriptions; anyone else's is not found."""
    subscription = Subscription.objects.filter(pk=subscription_id, reader_key=reader_key).first()
    if subscription is None:
        raise NotFound(_("You have no such subscription."), field="subscription")
    return end_subscription(subscription)
