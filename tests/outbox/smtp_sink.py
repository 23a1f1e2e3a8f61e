"""A real SMTP server (aiosmtpd) on a free loopback port, for the outbox tests."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


class _Controller(Controller):
    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]  # port 0: learn the real one
        super()._trigger_server()


class SmtpSink:
    """An SMTP server on a loopback port that keeps what it accepts and refuses on request.

    `refuse[address] = "550 5.1.1 No such user"` answers RCPT for that address so;
    `data_reply` answers every DATA so; `delay` slows each DATA down (seconds);
    `drop_after_data` makes it take that many messages and close the connection instead of
    answering (a server that fails after accepting).

    `received` is every message as it arrived; `mailbox()` is what a reader would see: the
    first copy of each Message-ID, as mail providers drop a duplicate.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: dict[str, str] = {}
        self.data_reply: str | None = None
        self.delay = 0.0
        self.drop_after_data = 0
        self.credentials: tuple[str, str] | None = None
        self.port = 0
        self._controller: _Controller | None = None
        self._lock = threading.Lock()

    # aiosmtpd hooks
    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_reply:
            return self.data_reply
        raw = envelope.original_content
        message = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw)
            )
            drop = self.drop_after_data > 0
            self.drop_after_data -= 1 if drop else 0
        if drop:
            server.transport.close()
        return "250 OK"

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.credentials == (
            data.login.decode(),
            data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)  # the server answers 235 or 535

    # control
    def start(self) -> None:
        kwargs: dict[str, Any] = {}
        if self.credentials:
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = _Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        self.port = self._controller.port

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        user = "{}:{}@".format(*self.credentials) if self.credentials else ""
        return f"smtp://{user}127.0.0.1:{self.port}?timeout=5"

    def subjects(self) -> Counter[str]:
        with self._lock:
            return Counter(str(r.message["Subject"]) for r in self.received)

    def mailbox(self) -> list[Received]:
        """Return the messages a reader's mailbox holds: one per Message-ID, the first copy."""
        kept: dict[str, Received] = {}
        with self._lock:
            for received in self.received:
                kept.setdefault(str(received.message["Message-ID"]), received)
        return list(kept.values())

    def copies(self) -> Counter[str]:
        """Return how many times each Message-ID arrived."""
        with self._lock:
            return Counter(str(r.message["Message-ID"]) for r in self.received)
