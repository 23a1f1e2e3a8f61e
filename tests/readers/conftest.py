from __future__ import annotations

import secrets

import pytest
from django.conf import settings
from django.test import Client

from rejoinder.accounts.models import Account
from rejoinder.accounts.sessions import open_session
from rejoinder.comments.identity import ACCOUNT_KEY_PREFIX
from rejoinder.comments.models import Commenter
from rejoinder.pages.models import Article, Site
from rejoinder.pages.publishing import save_article


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="bridge", headline="Bridge", body="The council met.", author_name="Ed")
    )


@pytest.fixture
def account(site: Site) -> Account:
    commenter = Commenter.objects.create(
        reader_key=ACCOUNT_KEY_PREFIX + secrets.token_urlsafe(24), display_name="Ana"
    )
    return Account.objects.create(site=site, commenter=commenter, display_name="Ana")


@pytest.fixture
def signed_in(account: Account) -> Client:
    """A browser holding a session of `account` in the reader cookie."""
    client = Client()
    client.cookies[settings.REJOINDER["READER_COOKIE"]] = open_session(account, provider="sso")
    return client
