"""Who is asking, for the reader's own pages: their account (signed in) and their commenter."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from rejoinder.accounts.models import Account
from rejoinder.accounts.sessions import live_session
from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Commenter
from rejoinder.request_identity import reader_key, reader_token


@dataclass(frozen=True)
class Me:
    account: Account | None  # None: a guest
    commenter: Commenter | None  # None: a reader who never wrote, voted or rated
    key: str | None


def me(request: HttpRequest) -> Me:
    """Return the request's reader: a live session's account, or a guest by their reader key."""
    session = live_session(reader_token(request))
    if session is not None:
        account = session.account
        return Me(account, account.commenter, account.commenter.reader_key)
    key = reader_key(request)
    return Me(None, find_commenter(key), key)
