"""Signing in with OpenID Connect against a real provider (django-oauth-toolkit) run here.

The provider runs as its own process on a loopback port (tests/oidc_provider): discovery, the
login and consent pages, the token endpoint and the JWKS are all real; our side is driven with
Django's test client, and its calls to the provider are real HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client
from tests.conftest import ApiClient
from tests.oidc_provider.server import Provider, oidc_provider

from rejoinder.accounts.models import Account, Identity, OidcLogin, OidcProvider, ReaderSession
from rejoinder.accounts.sessions import live_session
from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page, Site

pytestmark = pytest.mark.processes

COOKIE = "rj_reader"


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    redirect = django_settings.PUBLIC_URL + "/sign-in/oidc/callback"
    with oidc_provider(tmp_path_factory.mktemp("oidc"), redirect) as server:
        yield server


@pytest.fixture
def provider(oidc_server: Provider, site: Site) -> OidcProvider:
    return OidcProvider.objects.create(
        site=site,
        label="Example ID",
        issuer=oidc_server.issuer,
        client_id=oidc_server.client_id,
        client_secret=oidc_server.secret,
    )


def _form_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="submit"' not in tag:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


def _at_provider(
    authorize_url: str, server: Provider, *, allow: bool = True, at: Any = None
) -> str:
    """Log in and answer the consent page as a person would; return our callback's path+query."""
    web = at or requests.Session()
    page = web.get(authorize_url, timeout=10)
    if "/accounts/login/" in page.url:
        fields = _form_fields(page.text)
        fields.update(username="ana", password=server.password)
        page = web.post(page.url, data=fields, timeout=10)
    assert 'id="authorizationForm"' in page.text, page.text[:500]
    fields = _form_fields(page.text)
    if allow:
        fields["allow"] = "Authorize"
    answer = web.post(page.url, data=fields, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/sign-in/oidc/callback"
    return f"{location.path}?{location.query}"


def _start(browser: Client, provider: OidcProvider, next_path: str = "") -> str:
    started = browser.get(
        f"/sign-in/oidc/{provider.pk}/start", {"next": next_path} if next_path else {}
    )
    assert started.status_code == 302, started.content
    return started["Location"]


def _nothing_signed_in() -> None:
    assert Account.objects.count() == 0
    assert ReaderSession.objects.count() == 0
    assert Identity.objects.count() == 0


def test_a_guest_signs_in_with_the_provider_and_comments_under_its_name(
    oidc_server: Provider, provider: OidcProvider, page: Page
) -> None:
    browser = Client()
    guest = ApiClient()
    guest.client = browser
    assert guest.post_comment(page.uri, "Before", name="Anonymous").status_code == 201
    browser.cookies[COOKIE] = guest.token

    box = browser.get(f"/discussion/{page.pk}/box").content.decode()
    assert "Sign in with Example ID" in box

    authorize = _start(browser, provider, page.get_absolute_url())
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"]
    assert query["state"]
    callback = _at_provider(authorize, oidc_server)

    done = browser.get(callback)
    assert done.status_code == 303, done.content
    assert done["Location"] == page.get_absolute_url()
    session = live_session(done.cookies[COOKIE].value)
    assert session is not None
    account = session.account
    assert (account.display_name, account.email, account.email_verified) == (
        "Ana Lima",
        "ana@example.org",
        True,
    )
    identity = Identity.objects.get(account=account)
    assert identity.provider == f"oidc:{oidc_server.issuer}"
    assert Comment.objects.get(body="Before").author == account.commenter

    signed_in = ApiClient()
    signed_in.token = done.cookies[COOKIE].value
    posted = signed_in.post_comment(page.uri, "Signed in now", name="ignored")
    assert posted.json()["comment"]["author"]["name"] == "Ana Lima"
    assert "Signed in as" in browser.get(f"/discussion/{page.pk}/box").content.decode()


def test_denied_consent_is_a_clear_page_and_stores_nothing(
    oidc_server: Provider, provider: OidcProvider
) -> None:
    browser = Client()
    callback = _at_provider(_start(browser, provider), oidc_server, allow=False)
    answer = browser.get(callback)
    assert answer.status_code == 403
    assert "access_denied" in answer.content.decode()
    _nothing_signed_in()


def test_a_callback_in_another_browser_is_refused(
    oidc_server: Provider, provider: OidcProvider
) -> None:
    callback = _at_provider(_start(Client(), provider), oidc_server)
    answer = Client().get(callback)  # no cookie of the browser that started it
    assert answer.status_code == 400
    assert "not started in this browser" in answer.content.decode()
    _nothing_signed_in()


def test_a_forged_state_is_refused(oidc_server: Provider, provider: OidcProvider) -> None:
    browser = Client()
    callback = _at_provider(_start(browser, provider), oidc_server)
    forged = re.sub(r"state=[^&]+", "state=forged", callback)
    assert browser.get(forged).status_code == 400
    _nothing_signed_in()


def test_a_replayed_callback_signs_in_once(oidc_server: Provider, provider: OidcProvider) -> None:
    browser = Client()
    callback = _at_provider(_start(browser, provider), oidc_server)
    first = browser.get(callback)
    assert first.status_code == 303
    again = browser.get(callback)
    assert again.status_code in {400, 409}
    assert ReaderSession.objects.count() == 1


def test_a_code_replayed_into_a_new_sign_in_is_refused_by_the_provider(
    oidc_server: Provider, provider: OidcProvider
) -> None:
    browser = Client()
    web = requests.Session()
    first = _at_provider(_start(browser, provider), oidc_server, at=web)
    assert browser.get(first).status_code == 303
    code = parse_qs(urlsplit(first).query)["code"][0]
    second = _at_provider(_start(browser, provider), oidc_server, at=web)
    replayed = re.sub(r"code=[^&]+", f"code={code}", second)
    answer = browser.get(replayed)
    assert answer.status_code == 401
    assert "refused the code" in answer.content.decode()
    assert ReaderSession.objects.count() == 1


def test_a_wrong_nonce_is_refused(oidc_server: Provider, provider: OidcProvider) -> None:
    browser = Client()
    callback = _at_provider(_start(browser, provider), oidc_server)
    OidcLogin.objects.update(nonce="another-nonce")  # the token answers another sign-in
    answer = browser.get(callback)
    assert answer.status_code == 401
    assert "nonce" in answer.content.decode()
    _nothing_signed_in()


def test_a_token_for_another_client_is_refused(
    oidc_server: Provider, provider: OidcProvider
) -> None:
    browser = Client()
    callback = _at_provider(_start(browser, provider), oidc_server)
    # The site now names the provider's other client: the code was not issued to it.
    provider.client_id = oidc_server.client_id + "_2"
    provider.save()
    answer = browser.get(callback)
    assert answer.status_code == 401
    _nothing_signed_in()


def test_a_different_issuer_is_refused(oidc_server: Provider, provider: OidcProvider) -> None:
    # The provider's documents and tokens name ".../o"; the site says ".../o/".
    provider.issuer = oidc_server.issuer + "/"
    provider.save()
    answer = Client().get(f"/sign-in/oidc/{provider.pk}/start")
    assert answer.status_code == 502
    assert "does not name the issuer" in answer.content.decode()
    _nothing_signed_in()


def test_a_verified_email_joins_the_account_that_has_it(
    oidc_server: Provider, provider: OidcProvider, site: Site
) -> None:
    from rejoinder.accounts.signing_in import Profile, sign_in

    other = sign_in(
        site=site,
        provider="email",
        subject="ana@example.org",
        profile=Profile(name="Ana by email", email="ana@example.org", email_verified=True),
    ).account
    browser = Client()
    callback = _at_provider(_start(browser, provider), oidc_server)
    # The provider vouches for the address: it joins the account that has it verified.
    assert browser.get(callback).status_code == 303
    assert Identity.objects.get(provider=f"oidc:{oidc_server.issuer}").account == other
