"""POST /api/v1/sso/exchange and /sso/sign-out: sessions through the API, on both databases."""

from __future__ import annotations

import time
from typing import Any

import pytest
from tests.accounts.tokens import enable_hs256, mint
from tests.conftest import ApiClient

from rejoinder.accounts.models import Account, ReaderSession
from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page, Site


@pytest.fixture
def hs_site(site: Site) -> Site:
    enable_hs256(site)
    return site


def test_a_guest_signs_in_and_keeps_their_comment(
    hs_site: Site, page: Page, api: ApiClient
) -> None:
    assert api.post_comment(page.uri, "Written as a guest.").status_code == 201
    guest_token = api.token

    answer = api.post("/sso/exchange", {"site": hs_site.pk, "token": mint(hs_site)})

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["merged"] is True
    assert body["account"] == {
        "name": "Ana Lima",
        "avatar": "https://news.example.org/avatars/42.png",
        "profile": "https://news.example.org/people/42",
        "roles": ["subscriber"],
        "email_verified": True,
    }
    assert api.token == body["reader"] != guest_token
    account = Account.objects.get()
    assert Comment.objects.get().author_id == account.commenter_id
    posted = api.post_comment(page.uri, "Signed in now.", name="Someone else")
    assert posted.status_code == 201
    assert posted.json()["comment"]["author"]["name"] == "Ana Lima"


def test_a_refused_token_is_a_problem_naming_its_reason(hs_site: Site, api: ApiClient) -> None:
    now = int(time.time())
    cases = {
        "expired": mint(hs_site, iat=now - 300, exp=now - 100),
        "signature": mint(hs_site, key="another secret, long enough to sign with"),
        "audience": mint(hs_site, aud="rejoinder:site:0"),
        "oversize": mint(hs_site, pad="x" * 5000),
    }
    for reason, token in cases.items():
        answer = api.post("/sso/exchange", {"site": hs_site.pk, "token": token})
        assert answer["Content-Type"] == "application/problem+json"
        problem = answer.json()
        assert (problem["reason"], problem["field"]) == (reason, "token"), problem
        assert 400 <= answer.status_code < 500
    replayed = mint(hs_site)
    assert api.post("/sso/exchange", {"site": hs_site.pk, "token": replayed}).status_code == 200
    again = ApiClient().post("/sso/exchange", {"site": hs_site.pk, "token": replayed})
    assert (again.status_code, again.json()["reason"]) == (401, "replayed")
    assert ReaderSession.objects.count() == 1
    missing = api.post("/sso/exchange", {"site": 999999, "token": replayed})
    assert (missing.status_code, missing.json()["field"]) == (404, "site")


def test_signing_out_ends_the_session_and_everywhere_ends_all(
    hs_site: Site, page: Page, make_api: type[ApiClient]
) -> None:
    phone, laptop = make_api(), make_api()
    phone.post("/sso/exchange", {"site": hs_site.pk, "token": mint(hs_site)})
    laptop.post("/sso/exchange", {"site": hs_site.pk, "token": mint(hs_site)})
    assert phone.post("/sso/sign-out", {}).json() == {"ended": 1}
    assert phone.post("/sso/sign-out", {}).json() == {"ended": 0}
    # A revoked session is no one: the next write is a new guest's.
    assert phone.post_comment(page.uri, "As whom?").status_code == 201
    assert not hasattr(Comment.objects.get().author, "account")
    assert laptop.post("/sso/sign-out", {"everywhere": True}).json() == {"ended": 1}


def test_sign_in_required_is_a_403_naming_it(hs_site: Site, page: Page, api: ApiClient) -> None:
    hs_site.guest_comments = "sign_in"
    hs_site.save()
    refused = api.post_comment(page.uri, "A guest's words.")
    assert (refused.status_code, refused.json()["field"]) == (403, "sign_in")
    api.post("/sso/exchange", {"site": hs_site.pk, "token": mint(hs_site)})
    assert api.post_comment(page.uri, "Now signed in.").status_code == 201


def test_sign_in_attempts_are_rate_limited(hs_site: Site, api: ApiClient, settings: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_LIMITS_ENABLED": True, "RATE_SSO": "2/900"}
    bad = {"site": hs_site.pk, "token": "not-a-token"}
    assert [api.post("/sso/exchange", bad).status_code for _ in range(2)] == [422, 422]
    limited = api.post("/sso/exchange", bad)
    assert limited.status_code == 429
    assert limited["Retry-After"]
