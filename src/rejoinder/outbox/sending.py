"""Draining the outbox over SMTP: claim due mail under a lease, send it, record the outcome.

A worker claims a batch in one short transaction (queued and due, or `sending` with an
expired lease), marking it `sending` until `locked_until`, and commits. It then sends the
batch over one SMTP connection. Before each mail goes to the server the worker commits that
it is handing it over (`handed_at`, and the try counted in `attempts`), on condition that it
still holds the lease; after the server's answer it records the outcome in another short
write, which clears the mark. On PostgreSQL the claim uses `SELECT … FOR UPDATE SKIP LOCKED`,
so concurrent workers take disjoint batches; on SQLite the write lock taken at
`BEGIN IMMEDIATE` serialises claims.

Exactly-once delivery is impossible with SMTP alone: a worker can die after the server took a
mail and before the worker recorded it. So delivery is made idempotent end to end instead:

- A mail is one message. Its Message-ID is stored when it is queued and its bytes are the
  same every time it is built (the date is the queueing time, the MIME boundary is derived
  from the Message-ID), so a mail sent twice is the same message twice, which receivers'
  duplicate filters drop by Message-ID (tests/outbox: the SMTP sink's mailbox does the same).
- When a dead worker's lease ends, its batch is reconciled: a mail never handed over is
  simply sent (its try was never counted), and the one mail marked as handed over is in
  doubt: it is sent again, identical, and counted in `resends` with one line in the log.
  Nothing else of the batch can reach anyone twice.
- A worker never hands over a mail whose lease it no longer holds, and never starts one when
  its lease could run out before the SMTP timeout.

Temporary failures (4xx replies, refused or dropped connections, timeouts) put the mail back
with exponential back-off; after EMAIL_MAX_ATTEMPTS tries it fails. A permanent refusal (5xx)
fails the mail at once and counts against the address; EMAIL_SUPPRESS_AFTER of them in a row
suppress it (outbox/models.py:MailSuppression).
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from rejoinder.outbox.models import MailSuppression, OutboxMail
from rejoinder.outbox.transport import open_smtp, parse_from_address, smtp_settings

log = logging.getLogger(__name__)

Status = OutboxMail.Status
# Seconds to wait after the n-th temporary failure: 1 min, 5 min, 15 min, 1 h, then 6 h.
BACKOFF_SECONDS = (60, 300, 900, 3600, 6 * 3600)
# Header values sent exactly as given (never re-encoded): URLs and message ids must not
# become RFC 2047 encoded words, which the library would do to fold a long ASCII token.
_POLICY = SMTP.clone(refold_source="none")
_PURGE_CHUNK = 1000


def backoff_seconds(attempts: int) -> int:
    """Return how long to wait before the next try after `attempts` failed ones (>= 1)."""
    return BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1]


def build_message(mail: OutboxMail) -> EmailMessage:
    """Build the MIME message of `mail`: text part, optional HTML alternative, its headers."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = parse_from_address(mail.from_address)
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at.astimezone(UTC))
    message.set_raw("Message-ID", mail.message_id)
    if not any(name.lower() == "auto-submitted" for name in mail.headers):
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    for name, value in mail.headers.items():
        # Values were checked to be one line (mailing.py); ASCII ones go out verbatim.
        if value.isascii():
            message.set_raw(name, value)
        else:
            message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
        # The library draws a random boundary; one derived from the Message-ID makes every
        # build of this mail the same bytes (a mail sent again is the same message).
        digest = hashlib.sha256(mail.message_id.encode()).hexdigest()[:40]
        boundary = f"=_rj_{digest}"
        if boundary not in mail.text_body and boundary not in mail.html_body:
            message.set_boundary(boundary)
    return message


def claim_due(
    *, limit: int, now: datetime | None = None, lease_seconds: int | None = None
) -> list[OutboxMail]:
    """Claim up to `limit` due mails for this worker and commit; return them, oldest first.

    Due means queued with `next_attempt_at` reached, or `sending` with an expired lease (a
    worker died holding it). Claimed mails are `sending` until `now + lease_seconds`; their
    tries are counted when each is handed to the SMTP server (`start_sending`), so mail that
    a dead worker claimed but never started loses no try.
    Must not run inside another transaction: the claim has to be committed before sending.
    """
    now = now or timezone.now()
    lease = lease_seconds or settings.REJOINDER["EMAIL_LEASE_SECONDS"]
    with transaction.atomic(durable=True):
        mails = OutboxMail.objects.all()
        if connection.features.has_select_for_update_skip_locked:
            mails = mails.select_for_update(skip_locked=True)
        ids = list(
            mails.filter(status=Status.SENDING, locked_until__lte=now)
            .order_by("locked_until")
            .values_list("id", flat=True)[:limit]
        )
        if len(ids) < limit:
            due = mails.filter(status=Status.QUEUED, next_attempt_at__lte=now)
            ids += due.order_by("next_attempt_at", "id").values_list("id", flat=True)[
                : limit - len(ids)
            ]
        if not ids:
            return []
        OutboxMail.objects.filter(id__in=ids).update(
            status=Status.SENDING, locked_until=now + timedelta(seconds=lease)
        )
        return list(OutboxMail.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))


def start_sending(mail: OutboxMail, *, now: datetime | None = None) -> bool:
    """Record, and commit, that `mail` is being handed to the SMTP server; False if not ours.

    Counts the try. Written only while the lease `mail` was claimed under
    (`mail.locked_until`) still holds and has not run out: a worker that lost its lease, or
    may lose it to another, hands nothing over. A mail already marked was being handed over by a worker that stopped:
    it may have been delivered, and goes out again as the same message (`resends`).
    """
    now = now or timezone.now()
    in_doubt = mail.handed_at is not None
    if in_doubt:
        log.warning(
            "Mail %s to %s may have been delivered by a worker that stopped while sending it; "
            "sending it again with the same Message-ID %s",
            mail.pk,
            mail.to_address,
            mail.message_id,
        )
    with _survives_our_crash_only(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        started = OutboxMail.objects.filter(
            pk=mail.pk,
            status=Status.SENDING,
            locked_until=mail.locked_until,
            locked_until__gt=now,
        ).update(
            handed_at=now,
            attempts=F("attempts") + 1,
            resends=F("resends") + (1 if in_doubt else 0),
        )
    if started:
        mail.handed_at = now
        mail.attempts += 1
        mail.resends += 1 if in_doubt else 0
    return bool(started)


@contextmanager
def _survives_our_crash_only() -> Iterator[None]:
    """Commit the hand-over mark without waiting for the disk (SQLite: no fsync).

    The mark must outlive the worker, which a commit handed to the operating system (SQLite's
    WAL) or to the PostgreSQL server (`synchronous_commit = off`, set in the transaction)
    does; a power cut may lose it, and then the mail's next sending is only not counted as a
    resend. The outcome written after the SMTP answer is durable as every other write. This
    spares one disk flush per mail: a mail costs one, as before the mark existed.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (level,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(level)}")


def send_due(
    *,
    limit: int | None = None,
    now: datetime | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Claim and send one batch of due mail; return how many mails got an outcome.

    `now` fixes the clock for the whole batch (tests move it forward instead of sleeping).
    `should_stop` is asked before each mail; when it says yes the rest of the batch is
    handed back at once, unpenalised. Temporary failures count as outcomes, so a batch
    deferred during an outage still reports work done.
    """
    limit = limit or settings.REJOINDER["EMAIL_BATCH"]
    lease_seconds = settings.REJOINDER["EMAIL_LEASE_SECONDS"]
    config = smtp_settings()
    started = time.monotonic()
    mails = claim_due(limit=limit, now=now, lease_seconds=lease_seconds)
    if not mails:
        return 0
    batch = _Batch(mails, now=now)
    # Start no mail that could still be in flight when the lease ends.
    deadline = started + lease_seconds - config.timeout - 1
    try:
        return batch.deliver(
            should_stop=lambda: time.monotonic() > deadline or bool(should_stop and should_stop())
        )
    finally:
        batch.release_unsent()


class _Batch:
    """One claimed batch on its way out; every write is conditional on still holding the lease."""

    def __init__(self, mails: Sequence[OutboxMail], *, now: datetime | None) -> None:
        self.pending = list(mails)
        self.handed: set[int] = set()  # handed to the SMTP server by this batch
        self.lease = mails[0].locked_until
        self._now = now
        addresses = {m.to_address.lower() for m in mails}
        rows = MailSuppression.objects.filter(address__in=addresses)
        self.suppressed = {r.address for r in rows if r.is_suppressed}
        self.bounced = {r.address for r in rows if not r.is_suppressed}

    def now(self) -> datetime:
        return self._now or timezone.now()

    def mine(self, mails: Iterable[OutboxMail]) -> QuerySet[OutboxMail]:
        return OutboxMail.objects.filter(
            id__in=[m.id for m in mails], status=Status.SENDING, locked_until=self.lease
        )

    def deliver(self, *, should_stop: Callable[[], bool]) -> int:
        config = smtp_settings()
        max_attempts = settings.REJOINDER["EMAIL_MAX_ATTEMPTS"]
        client: smtplib.SMTP | None = None
        done = 0
        try:
            while self.pending and not should_stop():
                mail = self.pending.pop(0)
                done += 1
                address = mail.to_address.lower()
                if address in self.suppressed:
                    self._finish(mail, Status.CANCELLED, "The address is suppressed.")
                    continue
                if mail.attempts >= max_attempts:  # its last try ended with its worker
                    self._finish(mail, Status.FAILED, "Given up: every worker sending it died.")
                    continue
                try:
                    message = build_message(mail)
                    envelope_from = parse_from_address(mail.from_address).addr_spec
                except (ValueError, TypeError) as error:
                    self._finish(mail, Status.FAILED, f"Cannot build the message: {error}")
                    continue
                if client is None:
                    try:
                        client = open_smtp(config)
                    except OSError as error:  # includes every smtplib.SMTPException
                        # The server is unreachable for every mail of the batch alike.
                        self._defer([mail, *self.pending], error)
                        done += len(self.pending)
                        self.pending = []
                        break
                if not start_sending(mail, now=self.now()):
                    continue  # the lease was taken over: the mail is another worker's now
                self.handed.add(mail.pk)
                try:
                    client.send_message(
                        message, from_addr=envelope_from, to_addrs=[mail.to_address]
                    )
                except smtplib.SMTPRecipientsRefused as error:
                    code, reply = next(iter(error.recipients.values()))
                    self._refused(mail, code, reply)
                except smtplib.SMTPSenderRefused as error:
                    # Our own sender address was refused: configuration, not the recipient.
                    self._defer([mail], error)
                except smtplib.SMTPResponseException as error:
                    self._refused(mail, error.smtp_code, error.smtp_error)
                except OSError as error:  # dropped connection, timeout: try a new one
                    self._defer([mail], error)
                    client.close()
                    client = None
                else:
                    self._sent(mail, address)
        finally:
            if client is not None:
                try:
                    client.quit()
                except OSError:
                    client.close()
        return done

    def release_unsent(self) -> None:
        """Hand the mails not started back to the queue, due at once (no try was counted).

        A mail still marked as handed over by a worker that died stays marked: it is in doubt
        until it goes out again.
        """
        if self.pending:
            self.mine(self.pending).update(status=Status.QUEUED, locked_until=None)
            self.pending = []

    def _sent(self, mail: OutboxMail, address: str) -> None:
        self.mine([mail]).update(
            status=Status.SENT,
            sent_at=self.now(),
            locked_until=None,
            handed_at=None,
            last_error="",
        )
        if address in self.bounced:  # bounces are counted in a row; a success resets them
            MailSuppression.objects.filter(address=address, suppressed_at__isnull=True).delete()
            self.bounced.discard(address)

    def _finish(self, mail: OutboxMail, status: str, error: str) -> None:
        self.mine([mail]).update(
            status=status, locked_until=None, handed_at=None, last_error=error[:1000]
        )

    def _refused(self, mail: OutboxMail, code: int, reply: bytes | str) -> None:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        error = f"{code} {text}"
        if 500 <= code < 600:
            log.warning("Mail %s refused permanently: %s", mail.id, error)
            with transaction.atomic():
                self.mine([mail]).update(
                    status=Status.FAILED,
                    locked_until=None,
                    handed_at=None,
                    last_error=error[:1000],
                )
                if record_permanent_failure(mail.to_address, error, now=self.now()):
                    self.suppressed.add(mail.to_address.lower())
        else:
            self._defer([mail], error)

    def _defer(self, mails: Sequence[OutboxMail], error: object) -> None:
        """Record a temporary failure: back to the queue after a back-off, or failed at the cap.

        A mail that failed before it was handed over (the server could not be reached) has its
        try counted here.
        """
        text = (f"{type(error).__name__}: {error}" if isinstance(error, Exception) else str(error))[
            :1000
        ]
        log.warning("Mail deferred (%d): %s", len(mails), text)
        max_attempts = settings.REJOINDER["EMAIL_MAX_ATTEMPTS"]
        now = self.now()
        by_attempts: dict[int, list[OutboxMail]] = defaultdict(list)
        for mail in mails:
            tries = mail.attempts if mail.pk in self.handed else mail.attempts + 1
            by_attempts[tries].append(mail)
        for attempts, group in by_attempts.items():
            if attempts >= max_attempts:
                self.mine(group).update(
                    status=Status.FAILED,
                    locked_until=None,
                    handed_at=None,
                    attempts=attempts,
                    last_error=text,
                )
            else:
                self.mine(group).update(
                    status=Status.QUEUED,
                    locked_until=None,
                    handed_at=None,
                    attempts=attempts,
                    next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts)),
                    last_error=text,
                )


def record_permanent_failure(address: str, error: str, *, now: datetime | None = None) -> bool:
    """Count a permanent refusal of `address`; return True if the address is now suppressed.

    Reaching EMAIL_SUPPRESS_AFTER refusals in a row suppresses the address and cancels the
    mail still queued for it.
    """
    now = now or timezone.now()
    address = address.lower()
    with transaction.atomic():
        row, _ = MailSuppression.objects.get_or_create(address=address)
        MailSuppression.objects.filter(pk=row.pk).update(
            bounces=F("bounces") + 1, last_error=error[:1000], updated_at=now
        )
        row.refresh_from_db()
        if row.suppressed_at is not None:
            return True
        if row.bounces < settings.REJOINDER["EMAIL_SUPPRESS_AFTER"]:
            return False
        MailSuppression.objects.filter(pk=row.pk).update(suppressed_at=now)
        OutboxMail.objects.filter(to_address__iexact=address, status=Status.QUEUED).update(
            status=Status.CANCELLED, last_error="The address is suppressed."
        )
        log.warning("Suppressed %s after %d permanent failures", address, row.bounces)
        return True


def purge_old_mail(*, now: datetime | None = None) -> int:
    """Delete sent and cancelled mail older than EMAIL_KEEP_DAYS (0 keeps all); return how many.

    Failed mail stays for an operator to look at.
    """
    days = settings.REJOINDER["EMAIL_KEEP_DAYS"]
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = OutboxMail.objects.filter(
        created_at__lt=cutoff, status__in=[Status.SENT, Status.CANCELLED]
    )
    deleted = 0
    while True:
        ids = list(old.values_list("id", flat=True)[:_PURGE_CHUNK])
        if not ids:
            return deleted
        deleted += OutboxMail.objects.filter(id__in=ids).delete()[0]
