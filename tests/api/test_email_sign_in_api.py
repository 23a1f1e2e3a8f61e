"""POST /api/v1/sign-in/email and /sign-in/email/finish: a mailed link becomes a session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.conftest import ApiClient

from rejoinder.accounts.models import Account, ReaderSession, SignInSettings
from rejoinder.comments.models import Comment
from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Page, Site


@pytest.fixture
def email_site(site: Site) -> Site:
    SignInSettings.objects.create(site=site, email_sign_in=True)
    return site


def _secret_mailed_to(address: str) -> str:
    text = OutboxMail.objects.filter(to_address=address).latest("pk").text_body
    match = re.search(r"/sign-in/email/([^/\s]+)/", text)
    assert match, text
    return match.group(1)


def test_a_guest_asks_for_a_link_and_finishes_with_its_history(
    email_site: Site, page: Page, api: ApiClient
) -> None:
    assert api.post_comment(page.uri, "As a guest", name="Ana").status_code == 201
    guest_token = api.token
    asked = api.post("/sign-in/email", {"site": email_site.pk, "email": "ana@example.org"})
    assert asked.status_code == 202
    assert asked.json() == {"sent": True}

    done = api.post("/sign-in/email/finish", {"token": _secret_mailed_to("ana@example.org")})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["merged"] is True
    assert body["account"]["name"] == "Ana"
    assert body["account"]["email_verified"] is True
    assert api.token == body["reader"] != guest_token
    account = Account.objects.get()
    assert Comment.objects.get(body="As a guest").author == account.commenter
    # The session writes as the account.
    assert api.post_comment(page.uri, "Signed in").json()["comment"]["author"]["name"] == "Ana"


def test_the_answer_is_the_same_for_known_and_unknown_addresses(
    email_site: Site, api: ApiClient
) -> None:
    ApiClient().post("/sign-in/email", {"site": email_site.pk, "email": "ana@example.org"})
    ApiClient().post(
        "/sign-in/email/finish",
        {"token": _secret_mailed_to("ana@example.org"), "name": "Ana"},
    )
    assert Account.objects.count() == 1

    def ask(email: str) -> tuple[int, Any, str]:
        answer = ApiClient().post("/sign-in/email", {"site": email_site.pk, "email": email})
        return answer.status_code, answer.json(), answer["Content-Type"]

    assert ask("ana@example.org") == ask("nobody@example.org")
    assert OutboxMail.objects.filter(to_address="nobody@example.org").count() == 1


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"email": "no address"}, 422, "email"),
        ({"email": "a@example.org", "site": 999999}, 404, "site"),
        ({"email": 5}, 422, "email"),
    ],
)
def test_bad_requests_name_their_field(
    email_site: Site, api: ApiClient, payload: dict[str, Any], status: int, field: str
) -> None:
    answer = api.post("/sign-in/email", {"site": email_site.pk, **payload})
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/problem+json"
    assert field in (answer.json().get("field") or str(answer.json()))


def test_a_site_without_it_is_403(site: Site, api: ApiClient) -> None:
    answer = api.post("/sign-in/email", {"site": site.pk, "email": "a@example.org"})
    assert answer.status_code == 403
    assert answer.json()["field"] == "site"


def test_a_link_is_used_once_and_a_new_account_needs_a_name(
    email_site: Site, api: ApiClient
) -> None:
    api.post("/sign-in/email", {"site": email_site.pk, "email": "bo@example.org"})
    secret = _secret_mailed_to("bo@example.org")
    nameless = ApiClient().post("/sign-in/email/finish", {"token": secret})
    assert nameless.status_code == 422
    assert nameless.json()["field"] == "name"
    first = ApiClient().post("/sign-in/email/finish", {"token": secret, "name": "Bo"})
    assert first.status_code == 200
    again = ApiClient().post("/sign-in/email/finish", {"token": secret, "name": "Bo"})
    assert again.status_code == 409
    assert again.json()["reason"] == "used"
    unknown = ApiClient().post("/sign-in/email/finish", {"token": "nope", "name": "Bo"})
    assert (unknown.status_code, unknown.json()["reason"]) == (404, "unknown")
    assert ReaderSession.objects.count() == 1


def test_past_the_limit_per_address_it_is_429_with_retry_after(
    email_site: Site, api: ApiClient, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_EMAIL_SIGN_IN": "1/900"}
    body = {"site": email_site.pk, "email": "cy@example.org"}
    assert api.post("/sign-in/email", body).status_code == 202
    refused = api.post("/sign-in/email", body)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert OutboxMail.objects.count() == 1
