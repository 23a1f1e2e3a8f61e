"""Queueing mail: what enqueue_mail refuses, what it stores, and when it stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from rejoinder.errors import InvalidInput
from rejoinder.outbox.mailing import cancel_mail, enqueue_mail, retry_mail
from rejoinder.outbox.models import MailSuppression, OutboxMail

pytestmark = pytest.mark.django_db

GOOD: dict[str, Any] = {"to": "ana@example.org", "subject": "A reply", "text": "Hello"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"to": "a@b.c\r\nBcc: x@y.org"}, "line breaks"),
        ({"to": "a@b.org\nBcc: x@y.org"}, "line breaks"),
        ({"to": "a@b.org\rX"}, "line breaks"),
        ({"to": "ana@example.org\x00"}, "control"),
        ({"to": "x" * 243 + "@example.org"}, "the limit is 254"),
        ({"to": "not-an-address"}, "email address is not valid"),
        ({"to": "x" * 65 + "@example.org"}, "before the @ is 65 characters long; the limit is 64"),
        ({"to": "ana@"}, "email address is not valid"),
        ({"to": "Ana <ana@example.org>"}, "email address is not valid"),
        ({"to": "ana@example.org, eve@example.org"}, "email address is not valid"),
        ({"subject": "Hi\r\nBcc: eve@example.org"}, "line breaks"),
        ({"subject": "Hi\u2028there"}, "line breaks"),
        ({"subject": "x" * 501}, "longer than 500"),
        (
            {"headers": {"List-Unsubscribe": "<https://x.org/u>\r\nBcc: eve@example.org"}},
            "line breaks",
        ),
        ({"headers": {"X-Note": "a\nb"}}, "line breaks"),
        ({"headers": {"Bad Name": "x"}}, "not a valid mail header name"),
        ({"headers": {"X-Evil:": "x"}}, "not a valid mail header name"),
        ({"headers": {"Bcc": "eve@example.org"}}, "set by the outbox"),
        ({"headers": {"to": "eve@example.org"}}, "set by the outbox"),
        ({"headers": {"Content-Type": "text/html"}}, "set by the outbox"),
        ({"headers": {"X-Count": 3}}, "must be text"),
        ({"message_id": "no-brackets@example.org"}, "Message-ID"),
        ({"message_id": "<a@b>\r\nBcc: eve@example.org"}, "Message-ID"),
        ({"dedupe_key": "k\n1"}, "line breaks"),
    ],
)
def test_malformed_or_header_injecting_input_is_refused_and_nothing_is_stored(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        enqueue_mail(**{**GOOD, **fields})
    assert not OutboxMail.objects.exists()


def test_a_valid_mail_is_stored_queued_with_a_generated_message_id_and_the_default_sender(
    settings: Any,
) -> None:
    mail = enqueue_mail(
        **GOOD,
        html="<p>Hello</p>",
        headers={"List-Unsubscribe": "<https://news.example.org/u/abc>"},
        kind="notify",
    )
    assert mail is not None
    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.QUEUED
    assert mail.attempts == 0
    assert mail.message_id.startswith("<")
    assert mail.message_id.endswith("@127.0.0.1>")
    assert mail.from_address == settings.REJOINDER["EMAIL_FROM"] == "Rejoinder <noreply@127.0.0.1>"
    assert mail.headers == {"List-Unsubscribe": "<https://news.example.org/u/abc>"}
    assert mail.next_attempt_at <= timezone.now()
    other = enqueue_mail(**GOOD)
    assert other is not None
    assert other.message_id != mail.message_id


def test_addresses_are_trimmed_and_internationalised_domains_stored_as_punycode() -> None:
    mail = enqueue_mail(**{**GOOD, "to": "  ana@Bücher.Example  "})
    assert mail is not None
    assert mail.to_address == "ana@xn--bcher-kva.example"


def test_a_second_mail_with_the_same_dedupe_key_is_not_queued() -> None:
    first = enqueue_mail(**GOOD, dedupe_key="notify:42:ana@example.org")
    second = enqueue_mail(**{**GOOD, "subject": "Again"}, dedupe_key="notify:42:ana@example.org")
    assert first is not None
    assert second is None
    assert list(OutboxMail.objects.values_list("subject", flat=True)) == ["A reply"]


def test_a_duplicate_inside_the_callers_transaction_leaves_that_transaction_usable() -> None:
    with transaction.atomic():
        assert enqueue_mail(**GOOD, dedupe_key="k") is not None
        assert enqueue_mail(**GOOD, dedupe_key="k") is None
        assert enqueue_mail(**GOOD, dedupe_key="other") is not None
    assert OutboxMail.objects.count() == 2


def test_mail_queued_in_a_transaction_that_rolls_back_is_gone_with_it() -> None:
    class Boom(Exception):
        pass

    def comment_then_fail() -> None:
        with transaction.atomic():
            enqueue_mail(**GOOD)
            raise Boom

    with pytest.raises(Boom):
        comment_then_fail()
    assert not OutboxMail.objects.exists()


def test_nothing_is_queued_for_a_suppressed_address_in_any_letter_case() -> None:
    MailSuppression.objects.create(
        address="ana@example.org", bounces=3, suppressed_at=timezone.now()
    )
    assert enqueue_mail(**{**GOOD, "to": "Ana@Example.org"}) is None
    assert not OutboxMail.objects.exists()


def test_an_address_with_bounces_below_the_limit_still_gets_mail() -> None:
    MailSuppression.objects.create(address="ana@example.org", bounces=2)
    assert enqueue_mail(**GOOD) is not None


def test_retry_and_cancel_touch_only_queued_and_failed_mail() -> None:
    statuses = ["queued", "failed", "sent", "sending", "cancelled"]
    mails = {s: enqueue_mail(**{**GOOD, "subject": s}) for s in statuses}
    for status, mail in mails.items():
        assert mail is not None
        OutboxMail.objects.filter(pk=mail.pk).update(status=status, attempts=8)
    now = timezone.now()
    assert retry_mail(OutboxMail.objects.all(), now=now) == 2
    rows = {m.subject: m for m in OutboxMail.objects.all()}
    assert {s for s, m in rows.items() if m.status == "queued"} == {"queued", "failed"}
    assert rows["failed"].attempts == 0
    assert rows["failed"].next_attempt_at == now
    assert rows["sent"].attempts == 8
    assert cancel_mail(OutboxMail.objects.all()) == 2
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {
        "cancelled",
        "sent",
        "sending",
    }
