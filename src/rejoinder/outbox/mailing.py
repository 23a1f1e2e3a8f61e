"""Putting mail into the outbox: the one way Rejoinder sends mail.

Call `enqueue_mail` inside the transaction of the change that causes the mail (a comment,
a subscription): the mail is then stored exactly when that change is, and a crash or
restart loses neither. `rejoinder worker` sends it later (outbox/sending.py).

Every value that ends up in a header is checked here: no CR, LF or other control character
gets into the outbox, so none can add a header or a recipient (docs/security.md, rule 10).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.email_address import clean_email_address
from rejoinder.errors import InvalidInput
from rejoinder.outbox.models import MailSuppression, OutboxMail

MAX_SUBJECT = 500
MAX_HEADER_VALUE = 900  # sent verbatim on one line; RFC 5322 caps lines at 998
MAX_KIND = 32
MAX_DEDUPE_KEY = 400  # room for a full address plus ids
# RFC 5322 field names: printable ASCII except the colon.
_HEADER_NAME = re.compile(r"[!-9;-~]{1,76}")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]{1,250}@[!-;=?-~]{1,250}>")
# Headers the outbox writes itself, or that would change who receives the mail.
_RESERVED_HEADERS = {
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "sender",
    "return-path",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
}


def _has_control(value: str) -> bool:
    """Return whether `value` has a line break or another control character (tab allowed)."""
    return any((unicodedata.category(c) in {"Cc", "Zl", "Zp"} and c != "\t") for c in value)


def _checked_one_line(value: object, field: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s must be text.") % {"field": field}, field=field)
    if _has_control(value):
        raise InvalidInput(
            _("%(field)s must not contain line breaks or control characters.") % {"field": field},
            field=field,
        )
    if len(value) > max_length:
        raise InvalidInput(
            _("%(field)s is longer than %(n)d characters.") % {"field": field, "n": max_length},
            field=field,
        )
    return value


def _clean_headers(headers: Mapping[str, object] | None) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise InvalidInput(
                _("%(name)s is not a valid mail header name.") % {"name": repr(name)[:80]},
                field="headers",
            )
        if name.lower() in _RESERVED_HEADERS:
            raise InvalidInput(
                _("The %(name)s header is set by the outbox and cannot be given.") % {"name": name},
                field="headers",
            )
        cleaned[name] = _checked_one_line(value, f"header {name}", MAX_HEADER_VALUE).strip()
    return cleaned


def new_message_id() -> str:
    """Return a fresh, globally unique Message-ID in our public host's name."""
    domain = urlsplit(settings.PUBLIC_URL).hostname or "rejoinder.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def is_suppressed(address: str) -> bool:
    """Return whether mail to `address` is suppressed after repeated permanent failures."""
    return MailSuppression.objects.filter(
        address=address.lower(), suppressed_at__isnull=False
    ).exists()


def enqueue_mail(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
    kind: str = "",
    dedupe_key: str | None = None,
) -> OutboxMail | None:
    """Store one mail to one recipient in the outbox; return it, or None when it is not queued.

    Call inside the transaction of the change that causes the mail. Returns None when `to`
    is suppressed, or when a mail with the same `dedupe_key` was queued before (at any
    time: the key is unique in the table), which makes a repeated fan-out harmless.
    `headers` are extra header fields (List-Unsubscribe, In-Reply-To, References, …);
    the outbox sets From, To, Subject, Date, Message-ID and the MIME headers itself.
    Raises InvalidInput for a malformed address, a value with a line break or control
    character, an overlong value, or a reserved or malformed header name.
    """
    address = clean_email_address(to, field="to")
    subject = _checked_one_line(subject, "subject", MAX_SUBJECT).strip()
    if not isinstance(text, str) or not isinstance(html, str):
        raise InvalidInput(_("The mail body must be text."), field="text")
    extra = _clean_headers(headers)
    if message_id is None:
        message_id = new_message_id()
    elif not _MESSAGE_ID.fullmatch(message_id):
        raise InvalidInput(_("The Message-ID must look like <unique@host>."), field="message_id")
    kind = _checked_one_line(kind, "kind", MAX_KIND)
    if dedupe_key is not None:
        dedupe_key = _checked_one_line(dedupe_key, "dedupe_key", MAX_DEDUPE_KEY)
    if is_suppressed(address):
        return None
    mail = OutboxMail(
        to_address=address,
        from_address=settings.REJOINDER["EMAIL_FROM"],
        subject=subject,
        text_body=text,
        html_body=html,
        headers=extra,
        message_id=message_id,
        kind=kind,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        mail.save(force_insert=True)
        return mail
    # The unique key decides, not a prior SELECT: two fan-outs racing both try to insert,
    # one wins. The savepoint keeps the caller's transaction usable after the loser's error.
    try:
        with transaction.atomic():
            mail.save(force_insert=True)
    except IntegrityError:
        if OutboxMail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    return mail


def retry_mail(mails: QuerySet[OutboxMail], *, now: datetime | None = None) -> int:
    """Queue queued or failed `mails` for sending now, with their tries counted afresh."""
    return mails.filter(status__in=[OutboxMail.Status.QUEUED, OutboxMail.Status.FAILED]).update(
        status=OutboxMail.Status.QUEUED,
        next_attempt_at=now or timezone.now(),
        attempts=0,
        locked_until=None,
    )


def cancel_mail(mails: QuerySet[OutboxMail]) -> int:
    """Cancel queued or failed `mails`; a mail being sent right now cannot be called back."""
    return mails.filter(status__in=[OutboxMail.Status.QUEUED, OutboxMail.Status.FAILED]).update(
        status=OutboxMail.Status.CANCELLED, locked_until=None
    )
