"""Signing in to the embedded box with the publisher's token, what signed-in readers show,
and signing out: the session ends and the browser is a guest again."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client
from tests.accounts.tokens import enable_hs256, mint

from rejoinder.accounts.models import ReaderSession
from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page, Site

HOST = "https://news.example.org"
EMBED = {"HTTP_ORIGIN": HOST, "HTTP_X_REJOINDER_FRAGMENT": "1"}
QUERY = urlencode({"uri": "/2026/12/harbour/", "url": f"{HOST}/2026/12/harbour/"})


@pytest.fixture
def publisher(site: Site) -> Site:
    site.allowed_origins = f"{HOST}\n"
    site.login_url = f"{HOST}/login"
    site.logout_url = f"{HOST}/logout"
    enable_hs256(site)
    return site


def _box(client: Client, site: Site, token: str | None = None) -> str:
    headers = {"HTTP_X_REJOINDER_READER": token} if token else {}
    return client.get(f"/embed/{site.pk}/box?{QUERY}", **headers, **EMBED).content.decode()


def test_a_guest_signs_in_posts_under_the_account_name_and_shows_its_badges(
    publisher: Site,
) -> None:
    browser = Client(enforce_csrf_checks=True)
    first = browser.post(
        f"/embed/{publisher.pk}/comments?{QUERY}", {"body": "As a guest", "name": "G"}, **EMBED
    )
    guest = first["X-Rejoinder-Reader-Token"]
    assert 'href="https://news.example.org/login"' in _box(browser, publisher, guest)

    signed = browser.post(
        f"/embed/{publisher.pk}/sign-in",
        {"token": mint(publisher, roles=["staff"])},
        HTTP_X_REJOINDER_READER=guest,
        **EMBED,
    )

    assert signed.status_code == 200, signed.content
    assert signed.json() == {"name": "Ana Lima", "merged": True}
    session = signed["X-Rejoinder-Reader-Token"]
    assert session.startswith("s.")
    assert "rj_reader" not in signed.cookies
    posted = browser.post(
        f"/embed/{publisher.pk}/comments?{QUERY}",
        {"body": "Signed in", "name": "Not me"},
        HTTP_X_REJOINDER_READER=session,
        **EMBED,
    )
    assert posted.status_code == 201, posted.content
    assert {c.author_name for c in Comment.objects.all()} == {"G", "Ana Lima"}
    assert len({c.author_id for c in Comment.objects.all()}) == 1
    box = _box(browser, publisher, session)
    assert "Signed in as <bdi>Ana Lima</bdi>" in box
    assert 'class="rj-badge rj-badge-staff">Staff</span>' in box
    assert 'class="rj-badge rj-badge-verified">Verified</span>' in box


def test_a_refused_token_answers_its_reason_and_signs_nobody_in(publisher: Site) -> None:
    refused = Client().post(
        f"/embed/{publisher.pk}/sign-in", {"token": mint(publisher, aud="elsewhere")}, **EMBED
    )
    assert refused.status_code == 401
    assert refused.json()["reason"] == "audience"
    assert "X-Rejoinder-Reader-Token" not in refused
    assert not ReaderSession.objects.exists()


def test_signing_out_ends_the_session_and_issues_a_guest_token(publisher: Site) -> None:
    browser = Client()
    session = browser.post(f"/embed/{publisher.pk}/sign-in", {"token": mint(publisher)}, **EMBED)[
        "X-Rejoinder-Reader-Token"
    ]
    out = browser.post(f"/embed/{publisher.pk}/sign-out", HTTP_X_REJOINDER_READER=session, **EMBED)
    assert out.status_code == 200
    assert "You are signed out." in out.content.decode()
    assert 'href="https://news.example.org/logout"' in out.content.decode()
    guest = out["X-Rejoinder-Reader-Token"]
    assert not guest.startswith("s.")
    assert ReaderSession.objects.get().revoked_at is not None
    assert "Signed in as" not in _box(browser, publisher, session)


def test_our_own_pages_sign_in_with_the_cookie(publisher: Site) -> None:
    browser = Client()
    signed = browser.post(f"/embed/{publisher.pk}/sign-in", {"token": mint(publisher)})
    assert signed.status_code == 200
    assert browser.cookies["rj_reader"].value.startswith("s.")
    again = browser.post(f"/embed/{publisher.pk}/sign-in", {"token": mint(publisher)})
    assert again.status_code == 200
    assert ReaderSession.objects.count() == 1  # the live session of the same account is kept
    out = browser.post(f"/embed/{publisher.pk}/sign-out", {"next": "/"})
    assert (out.status_code, out["Location"]) == (303, "/")
    assert not browser.cookies["rj_reader"].value.startswith("s.")


def test_a_guest_refused_by_the_sites_policy_keeps_their_text(site: Site, page: Page) -> None:
    site.guest_comments = "sign_in"
    site.save()
    form = Client().post(
        f"/discussion/{page.pk}/comments", {"body": "My careful words", "name": "Guest"}
    )
    text = form.content.decode()
    assert 400 <= form.status_code < 500
    assert "Sign in to comment on this site." in text
    assert "My careful words" in text
    fragment = Client().post(
        f"/discussion/{page.pk}/comments",
        {"body": "My careful words", "name": "Guest"},
        HTTP_X_REJOINDER_FRAGMENT="1",
    )
    assert fragment.status_code == 403
    assert fragment.json()["detail"] == "Sign in to comment on this site."
    assert not Comment.objects.exists()


def test_signing_out_everywhere_from_the_box_ends_every_session(publisher: Site) -> None:
    phone, laptop = Client(), Client()
    sessions = [
        c.post(f"/embed/{publisher.pk}/sign-in", {"token": mint(publisher)}, **EMBED)[
            "X-Rejoinder-Reader-Token"
        ]
        for c in (phone, laptop)
    ]
    assert 'name="everywhere"' in _box(phone, publisher, sessions[0])
    phone.post(
        f"/embed/{publisher.pk}/sign-out",
        {"everywhere": "1"},
        HTTP_X_REJOINDER_READER=sessions[0],
        **EMBED,
    )
    assert not ReaderSession.objects.filter(revoked_at__isnull=True).exists()
    assert "Signed in as" not in _box(laptop, publisher, sessions[1])
