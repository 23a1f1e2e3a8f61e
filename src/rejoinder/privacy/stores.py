"""What apps below this one hold about a reader, in their data: a signed-in reader's account
(how they sign in, their sessions) and their notices.

The download lists them; the erasure deletes the account with its sign-in methods and
sessions (a session token of theirs then finds nobody), whether the reader asks or the
publisher erases an address the account carried, and the reader's notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from rejoinder.accounts.models import Account
from rejoinder.notices.models import Notice
from rejoinder.privacy.collection import Erased, ReaderScope, _address_q, register_store


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def accounts_of(scope: ReaderScope) -> QuerySet[Account]:
    """The accounts owning the scope's commenters, or carrying one of its addresses."""
    return (
        Account.objects.filter(Q(commenter_id__in=scope.commenter_ids) | _address_q(scope))
        .select_related("site")
        .order_by("pk")
    )


def export_accounts(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    for account in accounts_of(scope).prefetch_related("identities", "sessions"):
        yield {
            "site": account.site.name,
            "name": account.display_name,
            "email": account.email or None,
            "email_verified": account.email_verified,
            "avatar_url": account.avatar_url or None,
            "profile_url": account.profile_url or None,
            "roles": list(account.roles or []),
            "created": _iso(account.created_at),
            "last_sign_in": _iso(account.last_sign_in_at),
            "sign_in_methods": [
                {"provider": i.provider, "subject": i.subject, "created": _iso(i.created_at)}
                for i in account.identities.all()
            ],
            "sessions": [
                {
                    "provider": s.provider,
                    "created": _iso(s.created_at),
                    "expires": _iso(s.expires_at),
                    "revoked": _iso(s.revoked_at),
                }
                for s in account.sessions.all()
            ],
        }


def erase_accounts(scope: ReaderScope, erased: Erased) -> int:
    accounts = accounts_of(scope)
    count = accounts.count()
    accounts.delete()  # its identities and sessions go with it
    return count


def notices_of(scope: ReaderScope) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient_id__in=scope.commenter_ids).order_by("pk")


def export_notices(scope: ReaderScope) -> Iterator[dict[str, Any]]:
    for notice in notices_of(scope).iterator(chunk_size=500):
        yield {
            "comment": notice.comment_id,
            "kind": notice.kind,
            "created": _iso(notice.created_at),
            "read": _iso(notice.read_at),
        }


def erase_notices(scope: ReaderScope, erased: Erased) -> int:
    deleted, _by_model = notices_of(scope).delete()
    return deleted


def register() -> None:
    register_store("accounts", export=export_accounts, erase=erase_accounts)
    register_store("notices", export=export_notices, erase=erase_notices)
