"""Signing in with a one-time link mailed to the reader's address (passwordless).

Asking for a link does the same work whatever the address: no account is looked up, a link is
always stored and mailed (to unknown addresses too), so no answer and no timing tells whether an
address belongs to a reader. The account is found or created only when the link is used. Only the
SHA-256 of a link's secret is kept; a link works once, for `LINK_MINUTES`, and only by POST (the
page a GET shows has a button), so mail scanners that open links sign nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.accounts.models import Account, EmailSignInLink, Identity
from rejoinder.accounts.signing_in import Profile, SignedIn, sign_in
from rejoinder.accounts.ways import offered_ways
from rejoinder.comments.identity import find_commenter
from rejoinder.email_address import clean_email_address
from rejoinder.errors import Forbidden, InvalidInput, TokenRefused
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.pages.localization import speaking_as
from rejoinder.pages.models import Site

PROVIDER = "email"
LINK_MINUTES = 15
MAX_NAME = 200
MAX_RETURN_TO = 500


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def email_sign_in_enabled(site: Site) -> bool:
    return offered_ways(site).email


def safe_return_to(value: object) -> str:
    """Return `value` when it is a path on this server (never another host), else ""."""
    if not isinstance(value, str) or len(value) > MAX_RETURN_TO:
        return ""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    if any(not c.isprintable() or c.isspace() for c in value):
        return ""
    return value


def request_sign_in_link(
    *, site: Site, email: object, ip_hash: str, return_to: str = "", now: datetime | None = None
) -> str:
    """Mail a one-time sign-in link to `email`; return the cleaned address.

    Raises Forbidden when the site does not offer it, InvalidInput for a malformed address and
    RateLimited past RATE_EMAIL_SIGN_IN (per address) or RATE_EMAIL_SIGN_IN_IP.
    """
    if not email_sign_in_enabled(site):
        raise Forbidden(_("This site does not offer signing in by email."), field="site")
    address = clean_email_address(email)
    now = now or timezone.now()
    # The address's hash, not the address, names its rate counter.
    address_key = "addr:" + _digest(address.lower())[:40]
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        enforce_rate_limit("email_sign_in", reader_key=address_key, ip_hash=ip_hash)
        EmailSignInLink.objects.create(
            site=site,
            email=address,
            token_hash=_digest(secret),
            return_to=safe_return_to(return_to),
            created_at=now,
            expires_at=now + timedelta(minutes=LINK_MINUTES),
        )
        with speaking_as(site):
            context = {
                "site_name": site.name,
                "minutes": LINK_MINUTES,
                "link": settings.PUBLIC_URL
                + reverse("widget:email_sign_in_link", kwargs={"token": secret}),
            }
            enqueue_mail(
                to=address,
                subject=_("Sign in to %(site)s") % {"site": site.name},
                text=render_to_string("accounts/mail/sign_in.txt", context),
                html=render_to_string("accounts/mail/sign_in.html", context),
                kind="sign_in",
            )
    return address


def usable_link(token: str, *, now: datetime | None = None) -> EmailSignInLink:
    """Return the link a token names while it is unused and unexpired; else raise TokenRefused."""
    link = (
        EmailSignInLink.objects.select_related("site").filter(token_hash=_digest(token)).first()
        if isinstance(token, str) and 0 < len(token) <= 100
        else None
    )
    _check(link, now or timezone.now())
    assert link is not None
    return link


def site_of_link(token: object) -> Site | None:
    """The site a link (valid or not) was asked on, to offer asking again there."""
    if not isinstance(token, str) or not 0 < len(token) <= 100:
        return None
    link = EmailSignInLink.objects.select_related("site").filter(token_hash=_digest(token)).first()
    return link.site if link else None


def _check(link: EmailSignInLink | None, now: datetime) -> None:
    if link is None:
        raise TokenRefused(
            _("This sign-in link is not valid. Ask for a new one."), reason="unknown", status=404
        )
    if link.used_at is not None:
        raise TokenRefused(
            _("This sign-in link has been used already. Ask for a new one."),
            reason="used",
            status=409,
        )
    if link.expires_at <= now:
        raise TokenRefused(
            _("This sign-in link has expired. Ask for a new one."), reason="expired", status=401
        )


def existing_account(site: Site, address: str) -> Account | None:
    """The account this address signs in to: by its email identity, else a verified email."""
    identity = (
        Identity.objects.select_related("account__commenter")
        .filter(site=site, provider=PROVIDER, subject=address.lower())
        .first()
    )
    if identity:
        return identity.account
    return (
        Account.objects.select_related("commenter")
        .filter(site=site, email__iexact=address, email_verified=True)
        .first()
    )


def finish_email_sign_in(
    *, token: str, name: object = "", guest_key: str | None = None, now: datetime | None = None
) -> tuple[SignedIn, EmailSignInLink]:
    """Use a link: sign its address in (creating the account the first time), once.

    `name` is the name shown beside the reader's comments: required for a new account unless
    the browser's guest has one; an existing account keeps its own when none is given. The
    guest history of `guest_key` (the browser that pressed the button) joins the account.
    """
    now = now or timezone.now()
    if not isinstance(name, str):
        raise InvalidInput(_("The name must be text."), field="name")
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise InvalidInput(
            _("The name is longer than %(n)d characters.") % {"n": MAX_NAME}, field="name"
        )
    with transaction.atomic():
        link = (
            EmailSignInLink.objects.select_for_update()
            .select_related("site")
            .filter(token_hash=_digest(token) if isinstance(token, str) else "")
            .first()
        )
        _check(link, now)
        assert link is not None
        account = existing_account(link.site, link.email)
        if not name:
            guest = find_commenter(guest_key) if guest_key else None
            name = account.display_name if account else (guest.display_name if guest else "")
        if not name:
            raise InvalidInput(_("Give the name shown beside your comments."), field="name")
        profile = Profile(
            name=name,
            email=link.email,
            email_verified=True,
            avatar_url=account.avatar_url if account else "",
            profile_url=account.profile_url if account else "",
            roles=tuple(account.roles) if account else (),
        )
        link.used_at = now
        link.save(update_fields=["used_at"])
        signed_in = sign_in(
            site=link.site,
            provider=PROVIDER,
            subject=link.email.lower(),
            profile=profile,
            guest_key=guest_key,
            now=now,
        )
    return signed_in, link


def purge_sign_in_links(now: datetime | None = None) -> int:
    """Delete links a day after they expired (a worker step); return how many.

    Kept that day so that a late click still hears "expired" rather than "not valid".
    """
    deleted, _counts = EmailSignInLink.objects.filter(
        expires_at__lte=(now or timezone.now()) - timedelta(days=1)
    ).delete()
    return deleted
