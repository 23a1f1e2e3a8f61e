"""A local SMTP server that keeps every message in a Maildir: `rejoinder mailcatcher`.

For the demo and for development only: it listens on the loopback interface, accepts any
sender and recipient, and delivers nothing onwards. The admin's "Demo mailbox" page and any
mail client that reads Maildir (mutt -f DIR) show what it caught.
"""

from __future__ import annotations

import asyncio
import mailbox
import threading
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def message_id_of(content: bytes) -> str | None:
    """Return the Message-ID header of a raw message, or None when it has none."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(content)
    value = headers.get("Message-ID")
    return str(value).strip() if value else None


class MaildirHandler:
    """aiosmtpd handler: store each message, as received, in one Maildir, once.

    A message whose Message-ID is already in the Maildir is accepted and dropped, as mail
    providers drop duplicates: a sender that sends a mail again after losing track of it
    (Rejoinder's worker after a crash) does not show it twice.
    """

    def __init__(self, maildir: Path) -> None:
        self.box = mailbox.Maildir(maildir, create=True)
        self.seen: set[str] = set()
        for key in self.box.iterkeys():
            with self.box.get_file(key) as stored:
                found = message_id_of(stored.read())
            if found:
                self.seen.add(found)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        message_id = message_id_of(content)
        with self._lock:
            if message_id is not None and message_id in self.seen:
                return "250 Already delivered (same Message-ID); not stored again"
            self.box.add(content)
            if message_id is not None:
                self.seen.add(message_id)
        return "250 Message accepted for delivery"


class LoopbackController(Controller):
    """aiosmtpd's threaded controller, also on port 0 (reads the port the system chose)."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_mailcatcher(*, port: int, maildir: Path, host: str = "127.0.0.1") -> LoopbackController:
    """Start catching mail on host:port in a background thread; the caller stops it."""
    controller = LoopbackController(
        MaildirHandler(maildir), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES
    )
    controller.start()
    return controller


def run_mailcatcher(
    *, port: int, maildir: Path, host: str = "127.0.0.1", stop_event: threading.Event
) -> None:
    """Catch mail until `stop_event` is set."""
    controller = start_mailcatcher(port=port, maildir=maildir, host=host)
    try:
        print(  # noqa: T201 - the command's one line of output
            f"Mail catcher on smtp://{host}:{controller.port}, saving to {maildir}", flush=True
        )
        stop_event.wait()
    finally:
        controller.stop()
