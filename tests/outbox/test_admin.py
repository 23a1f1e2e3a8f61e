"""The outbox in the admin, and the demo mailbox fed by the demo's mail catcher."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from rejoinder.outbox.mailcatcher import start_mailcatcher
from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.outbox.models import MailSuppression, OutboxMail

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/outbox/outboxmail/"
MAILBOX = OUTBOX + "demo-mailbox/"


def _mail(subject: str, status: str = "queued") -> OutboxMail:
    mail = enqueue_mail(to="ana@example.org", subject=subject, text="x")
    assert mail is not None
    OutboxMail.objects.filter(pk=mail.pk).update(status=status)
    return mail


def test_the_outbox_list_filters_by_status_and_finds_by_address(admin_client: Client) -> None:
    _mail("Waiting")
    _mail("Gone out", "sent")
    page = admin_client.get(OUTBOX, {"status__exact": "sent"}).content.decode()
    assert "Gone out" in page
    assert "Waiting" not in page
    page = admin_client.get(OUTBOX, {"q": "ana@example"}).content.decode()
    assert "Gone out" in page
    assert "Waiting" in page


def test_a_mail_is_read_only_in_the_admin(admin_client: Client) -> None:
    mail = _mail("Look")
    page = admin_client.get(f"{OUTBOX}{mail.pk}/change/").content.decode()
    assert "Look" in page
    assert 'name="subject"' not in page
    assert admin_client.get(OUTBOX + "add/").status_code == 403


def test_retry_now_and_cancel_actions_change_the_status(admin_client: Client) -> None:
    failed = _mail("Failed", "failed")
    sent = _mail("Sent", "sent")
    admin_client.post(
        OUTBOX, {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )
    failed.refresh_from_db()
    assert failed.status == "queued"
    assert failed.next_attempt_at <= timezone.now()
    response = admin_client.post(
        OUTBOX, {"action": "cancel", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )
    assert "Only queued and failed mail can be cancelled" in response.content.decode()
    assert dict(OutboxMail.objects.values_list("subject", "status")) == {
        "Failed": "cancelled",
        "Sent": "sent",
    }


def test_a_suppression_is_added_by_hand_and_lifted_by_removing_it(admin_client: Client) -> None:
    url = "/admin/outbox/mailsuppression/"
    response = admin_client.post(url + "add/", {"address": "Eve@Example.org\r\nBcc: x@y.org"})
    assert response.status_code == 200
    assert not MailSuppression.objects.exists()
    admin_client.post(url + "add/", {"address": "Eve@Example.org"})
    row = MailSuppression.objects.get()
    assert row.address == "eve@example.org"
    assert row.suppressed_at is not None
    assert enqueue_mail(to="eve@example.org", subject="x", text="x") is None
    admin_client.post(url, {"action": "unsuppress", "_selected_action": [row.pk]})
    assert not MailSuppression.objects.exists()
    assert enqueue_mail(to="eve@example.org", subject="x", text="x") is not None


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
