"""Reader sessions: what a signed-in browser holds instead of a guest's reader token.

A session token is "s." and a random secret; only the secret's SHA-256 is stored, so a leaked
database names no live session. The token travels where a guest token does (the cookie, the
`reader` field, `X-Rejoinder-Reader`), and `reader_key_for_token` turns either kind into the
reader key every write path already uses: a session's is its account's commenter's, while
the session is neither revoked nor expired. A new way to sign in (email, OpenID Connect)
only has to call `open_session` once it knows the account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rejoinder.accounts.models import Account, ReaderSession, SeenTokenId
from rejoinder.comments.identity import reader_key_from_token

SESSION_PREFIX = "s."
# A guest token is "<key>:<signature>" with a URL-safe key, which never holds a ".".
_MAX_TOKEN = 200


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def is_session_token(token: str | None) -> bool:
    return bool(token) and token.startswith(SESSION_PREFIX)  # type: ignore[union-attr]


def open_session(account: Account, *, provider: str, now: datetime | None = None) -> str:
    """Start a session for the account; return its token (shown to the browser only)."""
    now = now or timezone.now()
    secret = secrets.token_urlsafe(32)
    ReaderSession.objects.create(
        account=account,
        secret_hash=_digest(secret),
        provider=provider,
        created_at=now,
        expires_at=now + timedelta(days=settings.REJOINDER["READER_SESSION_DAYS"]),
    )
    return SESSION_PREFIX + secret


def live_session(token: str | None, *, now: datetime | None = None) -> ReaderSession | None:
    """Return the session a token names while it is neither revoked nor expired, else None."""
    if not is_session_token(token) or len(token) > _MAX_TOKEN:  # type: ignore[arg-type]
        return None
    secret = token[len(SESSION_PREFIX) :]  # type: ignore[index]
    return (
        ReaderSession.objects.select_related("account__commenter")
        .filter(
            secret_hash=_digest(secret),
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )
        .first()
    )


def reader_key_for_token(token: str | None) -> str | None:
    """Return the reader key a token proves: a live session's account's, or a guest's."""
    if is_session_token(token):
        session = live_session(token)
        return session.account.commenter.reader_key if session else None
    return reader_key_from_token(token)


def revoke_session(token: str | None, *, now: datetime | None = None) -> Account | None:
    """End the session a token names (signing out); return its account, or None if none was live."""
    session = live_session(token, now=now)
    if session is None:
        return None
    ReaderSession.objects.filter(pk=session.pk).update(revoked_at=now or timezone.now())
    return session.account


def revoke_all_sessions(account: Account, *, now: datetime | None = None) -> int:
    """End every live session of the account (signing out everywhere); return how many."""
    with transaction.atomic():
        return ReaderSession.objects.filter(account=account, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )


def purge_sessions(now: datetime | None = None) -> int:
    """Delete expired sessions and the token ids whose tokens expired (a worker step)."""
    now = now or timezone.now()
    sessions, _ = ReaderSession.objects.filter(expires_at__lte=now).delete()
    seen, _ = SeenTokenId.objects.filter(expires_at__lte=now).delete()
    return sessions + seen
