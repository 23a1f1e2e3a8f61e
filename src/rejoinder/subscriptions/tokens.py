"""Signed links in subscription mail: confirm, unsubscribe, manage (docs/security.md, rule 8).

Each link signs what it acts on together with the subscription's own random salt, so it
cannot be forged, cannot be pointed at another subscription or address, and stops working if
the subscription is recreated. Links reveal nothing about whether an address is known.
"""

from __future__ import annotations

import hmac

from django.core import signing

from rejoinder.errors import NotFound
from rejoinder.subscriptions.models import Subscription

CONFIRM_MAX_AGE = 7 * 24 * 3600
MANAGE_MAX_AGE = 90 * 24 * 3600
_confirm = signing.TimestampSigner(salt="rejoinder.subscription.confirm")
_unsubscribe = signing.Signer(salt="rejoinder.subscription.unsubscribe")
_manage = signing.TimestampSigner(salt="rejoinder.subscription.manage")

INVALID = "This link is not valid or has expired."


def confirm_token(subscription: Subscription) -> str:
    return _confirm.sign(f"{subscription.pk}.{subscription.token_salt}")


def unsubscribe_token(subscription: Subscription) -> str:
    return _unsubscribe.sign(f"{subscription.pk}.{subscription.token_salt}")


def manage_token(*, site_id: int, email: str) -> str:
    return _manage.sign_object({"s": site_id, "e": email.lower()})


def _subscription(value: str) -> Subscription:
    pk, _, salt = value.partition(".")
    subscription = (
        Subscription.objects.select_related("page__site").filter(pk=pk).first()
        if pk.isdigit()
        else None
    )
    if subscription is None or not hmac.compare_digest(subscription.token_salt, salt):
        raise NotFound(INVALID)
    return subscription


def subscription_to_confirm(token: str) -> Subscription:
    """Return the subscription a confirmation link names; NotFound if forged or expired."""
    try:
        return _subscription(_confirm.unsign(token, max_age=CONFIRM_MAX_AGE))
    except signing.BadSignature:
        raise NotFound(INVALID) from None


def subscription_to_end(token: str) -> Subscription:
    """Return the subscription an unsubscribe link names; these links never expire."""
    try:
        return _subscription(_unsubscribe.unsign(token))
    except signing.BadSignature:
        raise NotFound(INVALID) from None


def managed_address(token: str) -> tuple[int, str]:
    """Return (site id, address) of a manage link; NotFound if forged or expired."""
    try:
        value = _manage.unsign_object(token, max_age=MANAGE_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(INVALID) from None
    return int(value["s"]), str(value["e"])
