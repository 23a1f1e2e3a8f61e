"""The demo mail catcher's Maildir, read for the admin's "Demo mailbox", and the welcome mail."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default
from pathlib import Path

from django.conf import settings

MAX_LISTED = 200


@dataclass(frozen=True)
class CaughtMail:
    key: str
    subject: str
    to: str
    sender: str
    date: datetime | None
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str = ""


def demo_maildir() -> Path | None:
    """Return the Maildir the demo catches mail in, or None outside the demo."""
    path = settings.REJOINDER["DEMO_MAILDIR"]
    return Path(path) if path else None


def _date(message: EmailMessage) -> datetime | None:
    try:
        header = message["Date"]
        return header.datetime if header is not None else None
    except (TypeError, ValueError, AttributeError):
        return None


def _summary(key: str, message: EmailMessage) -> dict[str, object]:
    return {
        "key": key,
        "subject": str(message["Subject"] or ""),
        "to": str(message["To"] or ""),
        "sender": str(message["From"] or ""),
        "date": _date(message),
    }


def list_caught(maildir: Path) -> list[CaughtMail]:
    """Return the newest caught mails (headers only), newest first."""
    if not maildir.is_dir():
        return []
    box = mailbox.Maildir(maildir, create=False)
    parser = BytesHeaderParser(policy=default)
    found = []
    for key in box.iterkeys():
        message = parser.parsebytes(box.get_bytes(key))
        found.append(CaughtMail(**_summary(key, message)))  # type: ignore[arg-type]
    found.sort(key=lambda m: (m.date.timestamp() if m.date else 0.0, m.key), reverse=True)
    return found[:MAX_LISTED]


def read_caught(maildir: Path, key: str) -> CaughtMail | None:
    """Return one caught mail with its headers and its text and HTML parts, or None."""
    box = mailbox.Maildir(maildir, create=False)
    try:
        message = message_from_bytes(box.get_bytes(key), policy=default)
    except (KeyError, FileNotFoundError):
        return None
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return CaughtMail(
        **_summary(key, message),  # type: ignore[arg-type]
        headers=[(name, str(value)) for name, value in message.items()],
        text=text.get_content() if isinstance(text, EmailMessage) else "",
        html=html.get_content() if isinstance(html, EmailMessage) else "",
    )


WELCOME_TEXT = """\
Hello,

this mail went the way every Rejoinder mail goes: it was stored in the outbox table
in the same transaction as the change that caused it, then `rejoinder worker` sent it
over SMTP, here to the demo's mail catcher instead of the Internet.

Reply notifications and subscription confirmations arrive in this mailbox the same way:
subscribe under the sample article, then reply to a comment from another browser.

The outbox itself (statuses, retry, cancel) is in the admin under "Outgoing mail".
"""


def queue_welcome_mail() -> None:
    """Queue, once per database, a first mail for the demo mailbox to show."""
    from rejoinder.outbox.mailing import enqueue_mail

    enqueue_mail(
        to="newcomer@example.org",
        subject="Welcome to the Rejoinder demo",
        text=WELCOME_TEXT,
        html="<p>"
        + "</p>\n<p>".join(p.replace("\n", " ") for p in WELCOME_TEXT.split("\n\n"))
        + "</p>",
        kind="demo",
        dedupe_key="demo:welcome",
    )
