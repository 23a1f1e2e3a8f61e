"""Signing in with a mailed one-time link, on our own pages, through a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.accounts.tokens import enable_hs256, mint
from tests.conftest import ApiClient
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.accounts.email_sign_in import (
    finish_email_sign_in,
    purge_sign_in_links,
    request_sign_in_link,
)
from rejoinder.accounts.models import (
    Account,
    EmailSignInLink,
    Identity,
    ReaderSession,
    SignInSettings,
)
from rejoinder.accounts.sessions import live_session
from rejoinder.accounts.sso import sign_in_with_sso
from rejoinder.comments.models import Comment
from rejoinder.errors import Forbidden, TokenRefused
from rejoinder.outbox.models import OutboxMail
from rejoinder.outbox.sending import send_due
from rejoinder.pages.models import Page, Site

COOKIE = "rj_reader"


@pytest.fixture
def email_site(site: Site) -> Site:
    SignInSettings.objects.create(site=site, email_sign_in=True)
    return site


def _link_path(text: str) -> str:
    match = re.search(r"https?://[^/\s]+(/sign-in/email/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def _ask(client: Client, site: Site, email: str, **extra: str) -> Any:
    return client.post("/sign-in/email", {"site": str(site.pk), "email": email, **extra})


def _mailed_link(smtp: SmtpSink, to: str) -> str:
    while send_due():
        pass
    mails = [r for r in smtp.received if r.rcpt_tos == [to]]
    assert mails, [r.rcpt_tos for r in smtp.received]
    return _link_path(mails[-1].message.get_body(("plain",)).get_content())


def test_the_mailed_link_signs_in_the_browser_that_presses_the_button(
    smtp: SmtpSink, email_site: Site, page: Page
) -> None:
    browser = Client()
    guest = ApiClient()
    guest.client = browser
    assert guest.post_comment(page.uri, "Before signing in", name="Ana").status_code == 201
    guest_token = guest.token
    browser.cookies[COOKIE] = guest_token

    asked = _ask(browser, email_site, "ana@example.org", next=page.get_absolute_url())
    assert asked.status_code == 200
    assert "Check your inbox" in asked.content.decode()
    assert Account.objects.count() == 0  # created when the link is used, not when asked for

    path = _mailed_link(smtp, "ana@example.org")
    (mail,) = smtp.received
    assert mail.message["Subject"] == f"Sign in to {email_site.name}"
    link = EmailSignInLink.objects.get()
    assert path.split("/")[-2] not in link.token_hash  # only a hash is kept

    # A mail scanner opening the link signs nobody in.
    shown = Client().get(path)
    assert shown.status_code == 200
    assert "ana@example.org" in shown.content.decode()
    assert ReaderSession.objects.count() == 0
    assert EmailSignInLink.objects.get().used_at is None

    done = browser.post(path, {"name": ""})  # the guest's name is taken
    assert done.status_code == 303
    assert done["Location"] == page.get_absolute_url()
    session = live_session(done.cookies[COOKIE].value)
    assert session is not None
    account = session.account
    assert (account.display_name, account.email, account.email_verified) == (
        "Ana",
        "ana@example.org",
        True,
    )
    assert Identity.objects.filter(account=account, provider="email").get().subject == (
        "ana@example.org"
    )
    assert Comment.objects.get(body="Before signing in").author == account.commenter

    # The box now says who is signed in, and signs out.
    box = browser.get(f"/discussion/{page.pk}/box").content.decode()
    assert "Signed in as" in box
    assert "Sign out" in box
    out = browser.post("/sign-out", {"next": page.get_absolute_url()})
    assert out.status_code == 303
    assert live_session(done.cookies[COOKIE].value) is None


def test_a_link_works_once(smtp: SmtpSink, email_site: Site) -> None:
    _ask(Client(), email_site, "bo@example.org")
    path = _mailed_link(smtp, "bo@example.org")
    assert Client().post(path, {"name": "Bo"}).status_code == 303
    again = Client().post(path, {"name": "Bo"})
    assert again.status_code == 409
    text = again.content.decode()
    assert "used already" in text
    assert "Ask for a new sign-in link" in text
    assert ReaderSession.objects.count() == 1
    assert Client().get(path).status_code == 409


def test_an_expired_link_says_so_and_offers_a_new_one(email_site: Site) -> None:
    past = timezone.now() - timedelta(minutes=16)
    request_sign_in_link(site=email_site, email="cy@example.org", ip_hash="ip", now=past)
    text = OutboxMail.objects.get().text_body
    path = _link_path(text)
    for answer in (Client().get(path), Client().post(path, {"name": "Cy"})):
        assert answer.status_code == 401
        assert "expired" in answer.content.decode()
        assert "Ask for a new sign-in link" in answer.content.decode()
    assert Account.objects.count() == ReaderSession.objects.count() == 0
    # Kept a day so that a late click hears "expired"; then purged.
    assert purge_sign_in_links() == 0
    assert purge_sign_in_links(timezone.now() + timedelta(days=1)) == 1


def test_an_unknown_link_is_a_clear_404(db: None) -> None:
    answer = Client().post("/sign-in/email/not-a-link/", {"name": "X"})
    assert answer.status_code == 404
    assert "not valid" in answer.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_mail(
    email_site: Site,
) -> None:
    enable_hs256(email_site)
    sign_in_with_sso(site=email_site, token=mint(email_site), guest_key=None, ip_hash="ip")
    assert Account.objects.filter(email="ana@example.org").exists()

    def answer(email: str) -> tuple[int, str]:
        response = _ask(Client(), email_site, email)
        return response.status_code, response.content.decode().replace(email, "ADDRESS")

    assert answer("ana@example.org") == answer("nobody@example.org")
    assert sorted(OutboxMail.objects.values_list("to_address", flat=True)) == [
        "ana@example.org",
        "nobody@example.org",
    ]
    assert Account.objects.count() == 1  # asking creates nothing but the link
    assert EmailSignInLink.objects.count() == 2


def test_signing_in_by_email_joins_the_sso_account_with_that_verified_address(
    email_site: Site,
) -> None:
    enable_hs256(email_site)
    sso = sign_in_with_sso(site=email_site, token=mint(email_site), guest_key=None, ip_hash="ip")
    request_sign_in_link(site=email_site, email="ana@example.org", ip_hash="ip")
    secret = _link_path(OutboxMail.objects.get().text_body).split("/")[-2]
    signed_in, _link = finish_email_sign_in(token=secret)
    assert signed_in.account.pk == sso.account.pk
    assert signed_in.account.display_name == "Ana Lima"
    assert signed_in.account.roles == ["subscriber"]  # the publisher's badges stay


def test_a_new_account_needs_a_name_and_the_form_says_so(email_site: Site) -> None:
    request_sign_in_link(site=email_site, email="di@example.org", ip_hash="ip")
    path = _link_path(OutboxMail.objects.get().text_body)
    answer = Client().post(path, {"name": "  "})
    assert answer.status_code == 422
    assert "Give the name shown beside your comments" in answer.content.decode()
    assert EmailSignInLink.objects.get().used_at is None  # still usable
    assert Client().post(path, {"name": "Di"}).status_code == 303


def test_asking_is_limited_per_address_and_per_client(email_site: Site, settings: Any) -> None:
    settings.REJOINDER = {
        **settings.REJOINDER,
        "RATE_EMAIL_SIGN_IN": "2/900",
        "RATE_EMAIL_SIGN_IN_IP": "4/900",
    }
    browser = Client()
    for _ in range(2):
        assert _ask(browser, email_site, "ed@example.org").status_code == 200
    refused = _ask(browser, email_site, "ed@example.org")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert 'value="ed@example.org"' in refused.content.decode()  # the form keeps the text
    assert "too often" in refused.content.decode()
    # Other addresses from the same client: two more, then the client's limit.
    assert _ask(browser, email_site, "fa@example.org").status_code == 200
    assert _ask(browser, email_site, "ga@example.org").status_code == 200
    assert _ask(browser, email_site, "ha@example.org").status_code == 429
    assert OutboxMail.objects.count() == 4


def test_a_site_without_email_sign_in_refuses_it(site: Site) -> None:
    with pytest.raises(Forbidden):
        request_sign_in_link(site=site, email="ana@example.org", ip_hash="ip")
    assert _ask(Client(), site, "ana@example.org").status_code == 404
    assert OutboxMail.objects.count() == 0


def test_a_bad_address_is_a_form_error_that_keeps_the_text(email_site: Site) -> None:
    answer = _ask(Client(), email_site, "not an address")
    assert answer.status_code == 422
    assert 'value="not an address"' in answer.content.decode()
    assert 'aria-invalid="true"' in answer.content.decode()


def test_the_box_offers_the_sign_in_ways_of_the_site(email_site: Site, page: Page) -> None:
    box = Client().get(f"/discussion/{page.pk}/box").content.decode()
    assert "Sign in by email" in box
    assert '<label for="rj-sign-in-email-box">Email</label>' in box
    assert 'action="/sign-in/email"' in box
    # In the embed, a link to our own page instead of a form.
    email_site.allowed_origins = "https://news.example.org\n"
    email_site.save()
    embedded = Client().get(
        f"/embed/{email_site.pk}/box",
        {"uri": page.uri},
        HTTP_ORIGIN="https://news.example.org",
        HTTP_X_REJOINDER_FRAGMENT="1",
    )
    assert embedded.status_code == 200
    text = embedded.content.decode()
    assert "/sign-in/email?site=" in text
    assert "rj-sign-in-email-box" not in text
    settings = SignInSettings.objects.get(site=email_site)
    settings.email_sign_in = False
    settings.save()  # as the admin does; the box's cached answer goes with it
    assert "Sign in by email" not in Client().get(f"/discussion/{page.pk}/box").content.decode()


def test_a_refused_finish_stores_nothing(email_site: Site) -> None:
    with pytest.raises(TokenRefused) as caught:
        finish_email_sign_in(token="x" * 43, name="Al")
    assert caught.value.reason == "unknown"
    assert Account.objects.count() == ReaderSession.objects.count() == 0
