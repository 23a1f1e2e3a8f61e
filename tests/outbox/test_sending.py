"""Sending the outbox to a real SMTP server: headers, outages, crashes, refusals."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.utils import timezone
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.outbox.mailing import enqueue_mail
from rejoinder.outbox.models import MailSuppression, OutboxMail
from rejoinder.outbox.sending import (
    backoff_seconds,
    build_message,
    claim_due,
    purge_old_mail,
    send_due,
    start_sending,
)

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = "<https://news.example.org/subscriptions/unsubscribe/" + "a1B2c3D4" * 12 + "/>"


def queue(n: int, **fields: Any) -> list[OutboxMail]:
    mails = []
    for i in range(n):
        mail = enqueue_mail(
            **{
                "to": f"reader{i}@example.org",
                "subject": f"Mail {i}",
                "text": f"Body {i}",
                **fields,
            }
        )
        assert mail is not None
        mails.append(mail)
    return mails


def statuses() -> dict[str, str]:
    return dict(OutboxMail.objects.values_list("subject", "status"))


def test_a_mail_arrives_with_both_parts_its_message_id_and_the_headers_it_was_given(
    smtp: SmtpSink,
) -> None:
    mail = enqueue_mail(
        to="ana@example.org",
        subject="Réponse à « Budget vote » — a reply from Tom",
        text="Tom replied:\n\nI agree.\n",
        html="<p>Tom replied:</p><blockquote>I agree.</blockquote>",
        headers={
            "List-Unsubscribe": UNSUBSCRIBE,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "In-Reply-To": "<comment-41@127.0.0.1>",
            "References": "<comment-40@127.0.0.1> <comment-41@127.0.0.1>",
        },
        kind="notify",
    )
    assert mail is not None
    assert send_due() == 1
    (received,) = smtp.received
    message = received.message
    assert received.rcpt_tos == ["ana@example.org"]
    assert received.mail_from == "noreply@127.0.0.1"
    assert message["Message-ID"] == mail.message_id
    assert message["To"] == "ana@example.org"
    assert message["From"].addresses[0].display_name == "Rejoinder"
    assert message["Subject"] == "Réponse à « Budget vote » — a reply from Tom"
    assert message["Date"].datetime is not None
    assert message["Auto-Submitted"] == "auto-generated"
    # URL-valued headers go out verbatim on one line, never as RFC 2047 encoded words.
    assert f"List-Unsubscribe: {UNSUBSCRIBE}\r\n".encode() in received.raw
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["In-Reply-To"] == "<comment-41@127.0.0.1>"
    assert message["References"] == "<comment-40@127.0.0.1> <comment-41@127.0.0.1>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert text.get_content() == "Tom replied:\n\nI agree.\n"
    assert html is not None
    assert "<blockquote>I agree.</blockquote>" in html.get_content()
    assert all(len(line) <= 998 for line in received.raw.split(b"\r\n"))
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.locked_until) == ("sent", 1, None)
    assert mail.sent_at is not None


def test_a_mail_without_html_is_a_single_text_part(smtp: SmtpSink) -> None:
    queue(1)
    send_due()
    assert smtp.received[0].message.get_content_type() == "text/plain"


def test_every_due_mail_goes_out_once_and_a_second_run_finds_nothing(smtp: SmtpSink) -> None:
    queue(7)
    assert send_due(limit=5) == 5
    assert send_due(limit=5) == 2
    assert send_due(limit=5) == 0
    assert smtp.subjects() == {f"Mail {i}": 1 for i in range(7)}
    assert set(statuses().values()) == {"sent"}


def test_during_an_smtp_outage_mail_stays_queued_with_back_off_and_arrives_once_after(
    smtp: SmtpSink,
) -> None:
    queue(5)
    smtp.stop()
    t0 = timezone.now()
    assert send_due(now=t0) == 5  # five outcomes: all deferred
    mails = list(OutboxMail.objects.all())
    assert {(m.status, m.attempts) for m in mails} == {("queued", 1)}
    assert {m.next_attempt_at for m in mails} == {t0 + timedelta(seconds=60)}
    assert all("Connection" in m.last_error or "refused" in m.last_error for m in mails)
    assert send_due(now=t0 + timedelta(seconds=30)) == 0  # not due yet

    assert send_due(now=t0 + timedelta(seconds=61)) == 5  # still down: second back-off step
    assert {m.next_attempt_at for m in OutboxMail.objects.all()} == {
        t0 + timedelta(seconds=61 + backoff_seconds(2))
    }

    smtp.start()  # the server comes back on the same port
    later = t0 + timedelta(hours=1)
    assert send_due(now=later) == 5
    assert send_due(now=later + timedelta(hours=6)) == 0
    assert smtp.subjects() == {f"Mail {i}": 1 for i in range(5)}
    assert {(m.status, m.attempts, m.last_error) for m in OutboxMail.objects.all()} == {
        ("sent", 3, "")
    }


def test_back_off_grows_to_six_hours_and_mail_fails_after_the_last_attempt(
    smtp: SmtpSink, settings: Any
) -> None:
    assert [backoff_seconds(n) for n in range(1, 8)] == [60, 300, 900, 3600, 21600, 21600, 21600]
    settings.REJOINDER = {**settings.REJOINDER, "EMAIL_MAX_ATTEMPTS": 3}
    queue(1)
    smtp.stop()
    now = timezone.now()
    for _ in range(3):
        send_due(now=now)
        now += timedelta(days=1)
    mail = OutboxMail.objects.get()
    assert (mail.status, mail.attempts) == ("failed", 3)
    assert send_due(now=now) == 0


def test_a_worker_that_dies_after_claiming_delays_its_batch_until_the_lease_ends(
    smtp: SmtpSink, settings: Any
) -> None:
    queue(6)
    t0 = timezone.now()
    abandoned = claim_due(limit=3, now=t0)  # a worker claims three mails, then dies
    assert {m.status for m in abandoned} == {"sending"}
    assert send_due(now=t0) == 3  # another worker sends only the three others
    assert smtp.subjects() == {"Mail 3": 1, "Mail 4": 1, "Mail 5": 1}

    lease = settings.REJOINDER["EMAIL_LEASE_SECONDS"]
    assert send_due(now=t0 + timedelta(seconds=lease - 1)) == 0  # lease still held
    assert send_due(now=t0 + timedelta(seconds=lease + 1)) == 3  # expired: taken over
    assert send_due(now=t0 + timedelta(seconds=2 * lease + 2)) == 0
    assert smtp.subjects() == {f"Mail {i}": 1 for i in range(6)}
    assert set(statuses().values()) == {"sent"}


def test_a_mail_that_every_worker_dies_on_is_given_up_after_the_maximum_attempts(
    smtp: SmtpSink, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "EMAIL_MAX_ATTEMPTS": 3}
    queue(1)
    lease = timedelta(seconds=settings.REJOINDER["EMAIL_LEASE_SECONDS"] + 1)
    now = timezone.now()
    for _ in range(3):  # three workers take it, start handing it over and die
        (mail,) = claim_due(limit=1, now=now)
        assert start_sending(mail, now=now)
        now += lease
    assert send_due(now=now) == 1
    mail = OutboxMail.objects.get()
    assert (mail.status, mail.attempts, mail.resends) == ("failed", 3, 2)
    assert "died" in mail.last_error
    assert mail.handed_at is None
    assert not smtp.received


def test_workers_that_die_before_starting_a_mail_use_up_none_of_its_tries(
    smtp: SmtpSink, settings: Any
) -> None:
    max_attempts = settings.REJOINDER["EMAIL_MAX_ATTEMPTS"]
    queue(1)
    lease = timedelta(seconds=settings.REJOINDER["EMAIL_LEASE_SECONDS"] + 1)
    now = timezone.now()
    for _ in range(max_attempts + 2):  # each worker claims the batch and is killed at once
        claim_due(limit=1, now=now)
        now += lease
    assert send_due(now=now) == 1
    mail = OutboxMail.objects.get()
    assert (mail.status, mail.attempts, mail.resends) == ("sent", 1, 0)
    assert smtp.subjects() == {"Mail 0": 1}


def test_a_mail_whose_worker_died_while_handing_it_over_goes_out_again_as_the_same_message(
    smtp: SmtpSink, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    queue(3, html="<p>Tom replied.</p>")
    now = timezone.now()
    claimed = claim_due(limit=3, now=now)
    # The first worker sends the first mail: it records the hand-over, the server takes the
    # message, and the worker is killed before it can record that the server said yes.
    assert start_sending(claimed[0], now=now)
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=5) as client:
        client.send_message(build_message(claimed[0]), to_addrs=[claimed[0].to_address])

    caplog.set_level(logging.WARNING, "rejoinder.outbox.sending")
    lease = timedelta(seconds=settings.REJOINDER["EMAIL_LEASE_SECONDS"] + 1)
    assert send_due(now=now + lease) == 3  # the next worker takes the whole batch over
    assert set(statuses().values()) == {"sent"}
    resent = OutboxMail.objects.get(pk=claimed[0].pk)
    assert (resent.attempts, resent.resends) == (2, 1)  # the one in doubt, sent again
    assert set(OutboxMail.objects.exclude(pk=resent.pk).values_list("resends", "attempts")) == {
        (0, 1)  # never started: sent once, no try lost
    }
    (line,) = caplog.records
    assert resent.message_id in line.getMessage()
    # Byte for byte the same message: the reader's mailbox drops the copy by its Message-ID.
    first, again = (r.raw for r in smtp.received if r.message["Message-ID"] == resent.message_id)
    assert first == again
    assert smtp.copies()[resent.message_id] == 2
    assert sorted(str(r.message["Subject"]) for r in smtp.mailbox()) == [
        "Mail 0",
        "Mail 1",
        "Mail 2",
    ]


def test_a_mail_the_server_took_before_dropping_the_line_is_sent_again_identical(
    smtp: SmtpSink,
) -> None:
    (mail,) = queue(1, html="<p>A digest of <b>three</b> comments.</p>")
    smtp.drop_after_data = 1  # the server takes the message, then fails before answering
    now = timezone.now()
    assert send_due(now=now) == 1
    assert OutboxMail.objects.get().status == "queued"
    assert send_due(now=now + timedelta(seconds=backoff_seconds(1))) == 1
    assert OutboxMail.objects.get().status == "sent"
    first, again = (r.raw for r in smtp.received)
    assert first == again
    assert len(smtp.mailbox()) == 1
    assert build_message(mail).as_bytes() == build_message(mail).as_bytes()


def test_a_temporary_refusal_defers_only_that_mail(smtp: SmtpSink) -> None:
    queue(3)
    smtp.refuse["reader1@example.org"] = "451 4.2.0 Mailbox busy, try later"
    assert send_due() == 3
    assert statuses() == {"Mail 0": "sent", "Mail 1": "queued", "Mail 2": "sent"}
    deferred = OutboxMail.objects.get(subject="Mail 1")
    assert deferred.attempts == 1
    assert deferred.last_error.startswith("451")
    assert not MailSuppression.objects.exists()


def test_a_temporary_refusal_of_the_message_body_defers_it(smtp: SmtpSink) -> None:
    queue(1)
    smtp.data_reply = "452 4.3.1 Insufficient system storage"
    send_due()
    assert statuses() == {"Mail 0": "queued"}


def test_repeated_permanent_refusals_suppress_the_address_and_cancel_its_queued_mail(
    smtp: SmtpSink,
) -> None:
    smtp.refuse["gone@example.org"] = "550 5.1.1 No such user"
    for n in range(1, 4):
        enqueue_mail(to="gone@example.org", subject=f"Try {n}", text="x")
        now = timezone.now()
        send_due(now=now)
        row = MailSuppression.objects.get()
        assert row.bounces == n
        assert row.last_error.startswith("550 5.1.1")
    assert row.suppressed_at == now
    assert set(statuses().values()) == {"failed"}
    assert not smtp.received

    assert enqueue_mail(to="Gone@example.org", subject="Try 4", text="x") is None
    assert enqueue_mail(to="ana@example.org", subject="Others still get mail", text="x")
    send_due()
    assert smtp.subjects() == {"Others still get mail": 1}


def test_mail_queued_before_the_address_was_suppressed_is_not_sent(smtp: SmtpSink) -> None:
    queue(1, to="ana@example.org")
    MailSuppression.objects.create(
        address="ana@example.org", bounces=3, suppressed_at=timezone.now()
    )
    assert send_due() == 1
    assert statuses() == {"Mail 0": "cancelled"}
    assert not smtp.received


def test_a_delivered_mail_resets_the_count_of_refusals_in_a_row(smtp: SmtpSink) -> None:
    smtp.refuse["ana@example.org"] = "552 5.2.2 Mailbox full"
    queue(1, to="ana@example.org")
    send_due()
    assert MailSuppression.objects.get().bounces == 1
    smtp.refuse.clear()
    queue(1, to="ana@example.org", subject="Later")
    send_due()
    assert not MailSuppression.objects.exists()


def test_a_worker_asked_to_stop_finishes_the_current_mail_and_hands_the_rest_back(
    smtp: SmtpSink,
) -> None:
    queue(4)
    asked = iter([False, False, True])
    assert send_due(should_stop=lambda: next(asked)) == 2
    assert sorted(statuses().values()) == ["queued", "queued", "sent", "sent"]
    assert {m.attempts for m in OutboxMail.objects.filter(status="queued")} == {0}
    assert send_due() == 2  # handed back due at once, not after a lease
    assert smtp.subjects() == {f"Mail {i}": 1 for i in range(4)}


def test_smtp_login_uses_the_percent_decoded_user_and_password_of_the_url(settings: Any) -> None:
    sink = SmtpSink()
    sink.credentials = ("mailer@example.org", "p@ss:w/rd %")
    sink.start()
    try:
        user, password = (quote(part, safe="") for part in sink.credentials)
        url = f"smtp://{user}:{password}@127.0.0.1:{sink.port}?timeout=5"
        settings.REJOINDER = {**settings.REJOINDER, "EMAIL_URL": url}
        queue(1)
        send_due()
        assert sink.subjects() == {"Mail 0": 1}

        sink.credentials = ("mailer@example.org", "another")
        queue(1, subject="Refused login")
        send_due()
        mail = OutboxMail.objects.get(subject="Refused login")
        assert (mail.status, mail.attempts) == ("queued", 1)
        assert "Authentication" in mail.last_error
    finally:
        sink.stop()


def test_old_sent_and_cancelled_mail_is_purged_and_failed_mail_kept(settings: Any) -> None:
    queue(4)
    old = timezone.now() - timedelta(days=31)
    for subject, status in [("Mail 0", "sent"), ("Mail 1", "cancelled"), ("Mail 2", "failed")]:
        OutboxMail.objects.filter(subject=subject).update(status=status, created_at=old)
    assert purge_old_mail() == 2
    assert sorted(statuses()) == ["Mail 2", "Mail 3"]
    settings.REJOINDER = {**settings.REJOINDER, "EMAIL_KEEP_DAYS": 0}
    OutboxMail.objects.update(status="sent", created_at=old)
    assert purge_old_mail() == 0
