"""The demo's mail catcher and the admin's "Demo mailbox" that shows what it caught."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from rejoinder.demo.mailcatcher import start_mailcatcher

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/outbox/outboxmail/"
MAILBOX = OUTBOX + "demo-mailbox/"


@pytest.fixture
def caught(tmp_path: Path, settings: Any) -> Iterator[tuple[int, Path]]:
    """The demo's mail catcher on a free port, and the admin told where its Maildir is."""
    maildir = tmp_path / "mail"
    catcher = start_mailcatcher(port=0, maildir=maildir)
    settings.REJOINDER = {**settings.REJOINDER, "DEMO_MAILDIR": maildir}
    try:
        yield catcher.port, maildir
    finally:
        catcher.stop()


def _send(port: int, subject: str, html: str) -> None:
    message = EmailMessage()
    message["From"] = "Rejoinder <noreply@127.0.0.1>"
    message["To"] = "ana@example.org"
    message["Subject"] = subject
    message.set_content("Plain <b>text</b> part")
    message.add_alternative(html, subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
        client.send_message(message)


def test_the_mail_catcher_keeps_each_message_in_a_maildir(caught: tuple[int, Path]) -> None:
    port, maildir = caught
    _send(port, "First", "<p>1</p>")
    _send(port, "Second", "<p>2</p>")
    assert len(list((maildir / "new").iterdir())) == 2


def test_the_mail_catcher_keeps_a_message_sent_twice_once(caught: tuple[int, Path]) -> None:
    port, maildir = caught
    message = EmailMessage()
    message["From"] = "Rejoinder <noreply@127.0.0.1>"
    message["To"] = "ana@example.org"
    message["Subject"] = "Tom replied"
    message["Message-ID"] = "<comment-41.abc@127.0.0.1>"
    message.set_content("Sent again by a worker that lost track of it")
    for _ in range(2):
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
            client.send_message(message)
    _send(port, "Another", "<p>3</p>")
    assert len(list((maildir / "new").iterdir())) == 2
    # A catcher started again on the same Maildir still knows what it holds.
    again = start_mailcatcher(port=0, maildir=maildir)
    try:
        with smtplib.SMTP("127.0.0.1", again.port, timeout=5) as client:
            client.send_message(message)
    finally:
        again.stop()
    assert len(list((maildir / "new").iterdir())) == 2


def test_the_demo_mailbox_lists_caught_mail_and_shows_it_safely(
    admin_client: Client, caught: tuple[int, Path]
) -> None:
    port, _maildir = caught
    _send(
        port,
        "Réponse <script>alert(1)</script>",
        '<p onclick="x()">Hi</p><script>alert(2)</script>',
    )
    listing = admin_client.get(MAILBOX).content.decode()
    assert "Réponse &lt;script&gt;" in listing
    assert "<script>alert(1)" not in listing
    assert "ana@example.org" in listing
    link = listing.split(MAILBOX, 1)[1].split('"', 1)[0]
    page = admin_client.get(MAILBOX + link).content.decode()
    assert "Plain &lt;b&gt;text&lt;/b&gt; part" in page
    assert '<iframe class="rj-caught-html" sandbox src=' in page
    assert "<script>alert(2)" not in page
    html = admin_client.get(MAILBOX + link + "html/")
    assert html["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in html["Content-Security-Policy"]
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_the_demo_mailbox_is_for_staff_only_and_absent_outside_the_demo(
    client: Client, admin_client: Client, caught: tuple[int, Path], settings: Any
) -> None:
    assert client.get(MAILBOX).status_code == 302  # to the admin login
    User.objects.create_user("reader", password="pw-reader-1")
    client.login(username="reader", password="pw-reader-1")
    assert client.get(MAILBOX).status_code == 302  # not staff
    staff = User.objects.create_user("staff", password="pw-staff-1", is_staff=True)
    client.force_login(staff)
    assert client.get(MAILBOX).status_code == 403  # staff without the outbox permission
    assert admin_client.get(MAILBOX + "no-such-key/").status_code == 404
    settings.REJOINDER = {**settings.REJOINDER, "DEMO_MAILDIR": None}
    assert admin_client.get(MAILBOX).status_code == 404


def test_the_outbox_list_links_to_the_demo_mailbox_only_under_the_demo(
    admin_client: Client, tmp_path: Path, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "DEMO_MAILDIR": tmp_path / "mail"}
    assert f'href="{MAILBOX}"' in admin_client.get(OUTBOX).content.decode()
    settings.REJOINDER = {**settings.REJOINDER, "DEMO_MAILDIR": None}
    listing = admin_client.get(OUTBOX).content.decode()
    assert "Retry now" in listing  # still the outbox's own list, with its actions
    assert MAILBOX not in listing
