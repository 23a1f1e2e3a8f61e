"""A reader signs in with the site's OpenID Connect provider and comments under its name.

The provider is real (tests/oidc_provider: django-oauth-toolkit in a process of its own); the
reader clicks "Sign in with …", logs in and consents at the provider, lands back signed in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.browser.helpers import open_article
from tests.oidc_provider.server import Provider, oidc_provider

from rejoinder.accounts.models import Account, OidcProvider
from rejoinder.comments.models import Comment
from rejoinder.pages.models import Article

pytestmark = pytest.mark.processes


@pytest.fixture(scope="module")
def oidc_server(
    tmp_path_factory: pytest.TempPathFactory, live_server: LiveServer
) -> Iterator[Provider]:
    with oidc_provider(
        tmp_path_factory.mktemp("oidc"), live_server.url + "/sign-in/oidc/callback"
    ) as server:
        yield server


def test_sign_in_with_the_provider_then_comment_as_the_account(
    tab: Page,
    article: Article,
    oidc_server: Provider,
    live_server: LiveServer,
    settings: Settings,
) -> None:
    settings.PUBLIC_URL = live_server.url
    OidcProvider.objects.create(
        site=article.page.site,
        label="Example ID",
        issuer=oidc_server.issuer,
        client_id=oidc_server.client_id,
        client_secret=oidc_server.secret,
    )
    box = open_article(tab, article)
    box.get_by_role("link", name="Sign in with Example ID").click()

    # At the provider: its own login page, then its consent page.
    tab.get_by_label("Username").fill("ana")
    tab.get_by_label("Password").fill(oidc_server.password)
    tab.get_by_role("button", name="Log in").click()
    tab.get_by_role("button", name="Authorize").click()

    box = tab.locator("#comments")
    expect(box.locator(".rj-sign-in")).to_contain_text("Signed in as Ana Lima")
    assert tab.url.startswith(live_server.url + article.get_absolute_url())
    form = box.locator("#rj-form-top")
    form.get_by_label("Write a comment").fill("Signed in with the provider.")
    form.get_by_role("button", name="Post", exact=True).click()
    comment = box.locator(".rj-comment", has_text="Signed in with the provider.")
    expect(comment).to_contain_text("Ana Lima")
    account = Account.objects.get()
    assert Comment.objects.get(body="Signed in with the provider.").author == account.commenter

    box.get_by_role("button", name="Sign out").click()
    expect(
        tab.locator("#comments").get_by_role("link", name="Sign in with Example ID")
    ).to_be_visible()
