"""Signing in, whatever proved who the reader is: find or create the account, take over the
browser's guest history, open a session.

A provider (SSO today; email or OpenID Connect later) verifies its own proof, then calls
`sign_in` with the provider's name, the subject it vouches for and the profile it knows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from rejoinder.accounts.merging import merge_guest
from rejoinder.accounts.models import Account, Identity
from rejoinder.accounts.sessions import live_session, open_session
from rejoinder.comments.identity import ACCOUNT_KEY_PREFIX
from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Site


@dataclass(frozen=True)
class Profile:
    """What a provider says about the reader, already checked and bounded."""

    name: str
    email: str = ""
    email_verified: bool = False
    avatar_url: str = ""
    profile_url: str = ""
    roles: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SignedIn:
    account: Account
    token: str  # the session token the browser keeps from now on
    merged: bool  # whether a guest's history moved to the account


def sign_in(
    *,
    site: Site,
    provider: str,
    subject: str,
    profile: Profile,
    guest_key: str | None = None,
    current_token: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """Sign the reader in to their account on `site`, creating it on first sign-in.

    In one transaction: the account is found by (provider, subject), else, when the provider
    vouches for the email (`email_verified`), by an account with that verified email on the
    site, else created with a commenter of its own; its profile is refreshed from `profile`;
    the guest history of `guest_key` (the browser's own signed key, so proof of ownership)
    moves to the account; and a session is opened, unless `current_token` (what the browser
    holds) is already a live session of this account: a page that signs in on every view
    keeps one session.
    """
    now = now or timezone.now()
    with transaction.atomic():
        identity = (
            Identity.objects.select_related("account__commenter")
            .filter(site=site, provider=provider, subject=subject)
            .first()
        )
        account = identity.account if identity else _account_by_verified_email(site, profile)
        if account is None:
            commenter = Commenter.objects.create(
                reader_key=ACCOUNT_KEY_PREFIX + secrets.token_urlsafe(24),
                display_name=profile.name,
            )
            account = Account(site=site, commenter=commenter, created_at=now)
        _apply_profile(account, profile, now)
        account.save()
        if identity is None:
            Identity.objects.create(site=site, account=account, provider=provider, subject=subject)
        merged = merge_guest(guest_key, account.commenter) if guest_key else False
        current = live_session(current_token, now=now)
        if current is not None and current.account_id == account.pk:
            token = current_token or ""
        else:
            token = open_session(account, provider=provider, now=now)
    return SignedIn(account=account, token=token, merged=merged)


def _account_by_verified_email(site: Site, profile: Profile) -> Account | None:
    """An unverified email is only a claim: it never joins an existing account."""
    if not (profile.email and profile.email_verified):
        return None
    return (
        Account.objects.select_related("commenter")
        .filter(site=site, email__iexact=profile.email, email_verified=True)
        .first()
    )


def _apply_profile(account: Account, profile: Profile, now: datetime) -> None:
    account.display_name = profile.name
    account.email = profile.email
    account.email_verified = bool(profile.email) and profile.email_verified
    account.avatar_url = profile.avatar_url
    account.profile_url = profile.profile_url
    account.roles = list(profile.roles)
    account.last_sign_in_at = now
    commenter = account.commenter
    if commenter.display_name != profile.name:
        commenter.display_name = profile.name
        commenter.save(update_fields=["display_name"])
