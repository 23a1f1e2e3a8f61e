"""Reader sessions: a signed-in browser's token resolves to its account's reader key until
it is revoked or expires; only the secret's hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from rejoinder.accounts.models import Account, ReaderSession
from rejoinder.accounts.sessions import (
    open_session,
    reader_key_for_token,
    revoke_all_sessions,
    revoke_session,
)
from rejoinder.comments.identity import issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Site


@pytest.fixture
def account(site: Site) -> Account:
    commenter = Commenter.objects.create(reader_key=secrets.token_urlsafe(24), display_name="Ana")
    return Account.objects.create(site=site, commenter=commenter, display_name="Ana")


def test_a_session_token_names_its_account_reader_key(account: Account) -> None:
    token = open_session(account, provider="sso")
    assert reader_key_for_token(token) == account.commenter.reader_key
    stored = ReaderSession.objects.get()
    assert token not in stored.secret_hash
    assert stored.secret_hash == hashlib.sha256(token[2:].encode()).hexdigest()


def test_guest_tokens_still_resolve(db: None) -> None:
    token = issue_reader_token()
    assert reader_key_for_token(token) == reader_key_from_token(token)


def test_revoked_expired_and_forged_sessions_are_refused(account: Account) -> None:
    token = open_session(account, provider="sso")
    assert revoke_session(token) == account
    assert reader_key_for_token(token) is None
    assert revoke_session(token) is None

    old = open_session(account, provider="sso", now=timezone.now() - timedelta(days=31))
    assert reader_key_for_token(old) is None
    assert reader_key_for_token("s." + secrets.token_urlsafe(32)) is None
    assert reader_key_for_token("s." + "x" * 300) is None


def test_signing_out_everywhere_ends_every_session(account: Account) -> None:
    tokens = [open_session(account, provider="sso") for _ in range(3)]
    assert revoke_all_sessions(account) == 3
    assert all(reader_key_for_token(t) is None for t in tokens)
