"""The outbox in the admin: listing, read-only mail, retry and cancel, suppressions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.outbox.models import MailSuppression, OutboxMail

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/outbox/outboxmail/"


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
