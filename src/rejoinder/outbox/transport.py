"""The SMTP connection, configured by one URL: `REJOINDER_EMAIL_URL`.

    smtp://host[:port]                    plain SMTP (port 25); STARTTLS unless host is local
    smtp://user:pass@host:587?tls=starttls
    smtps://user:pass@host  or  smtp://…?tls=ssl      TLS from the first byte (port 465)
    …?timeout=20                                      seconds per SMTP operation (default 30)
    …?tls=none                                        never TLS (a relay on a trusted network)

User and password are percent-decoded (`p%40ss` is `p@ss`). The URL is parsed here only;
`outbox/checks.py` refuses to start with one that does not parse.
"""

from __future__ import annotations

import functools
import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

Security = Literal["none", "starttls", "ssl"]
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_DEFAULT_PORTS: dict[Security, int] = {"none": 25, "starttls": 587, "ssl": 465}


class EmailUrlError(ValueError):
    """The mail URL or sender address cannot be used; the message says why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    timeout: float
    username: str = ""
    password: str = field(default="", repr=False)

    @property
    def is_local(self) -> bool:
        return self.host in _LOCAL_HOSTS


def parse_email_url(url: str) -> SmtpSettings:
    """Parse an smtp:// or smtps:// URL; raise EmailUrlError naming what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise EmailUrlError(f"REJOINDER_EMAIL_URL is not a valid URL: {error}") from None
    if parts.scheme not in {"smtp", "smtps"}:
        raise EmailUrlError(
            f"REJOINDER_EMAIL_URL must start with smtp:// or smtps://, not {parts.scheme or 'nothing'!r}."
        )
    host = parts.hostname or ""
    if not host:
        raise EmailUrlError("REJOINDER_EMAIL_URL has no host name (smtp://host:port).")
    if parts.path not in {"", "/"} or parts.fragment:
        raise EmailUrlError(
            "REJOINDER_EMAIL_URL takes no path or fragment, only ?tls= and ?timeout=."
        )
    params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = set(params) - {"tls", "timeout"}
    if unknown:
        raise EmailUrlError(
            f"REJOINDER_EMAIL_URL has unknown parameters: {', '.join(sorted(unknown))} "
            "(known: tls, timeout)."
        )
    security: Security
    tls = params.get("tls", [""])[-1].lower()
    if parts.scheme == "smtps":
        if tls not in {"", "ssl"}:
            raise EmailUrlError(
                "smtps:// always uses TLS from the start; drop ?tls= or use smtp://."
            )
        security = "ssl"
    elif tls in {"starttls", "ssl", "none"}:
        security = tls  # type: ignore[assignment]
    elif tls == "":
        security = "none" if host in _LOCAL_HOSTS else "starttls"
    else:
        raise EmailUrlError(f"REJOINDER_EMAIL_URL: tls must be starttls, ssl or none, not {tls!r}.")
    try:
        timeout = float(params.get("timeout", ["30"])[-1])
    except ValueError:
        raise EmailUrlError("REJOINDER_EMAIL_URL: timeout must be a number of seconds.") from None
    if not 0 < timeout <= 600:
        raise EmailUrlError("REJOINDER_EMAIL_URL: timeout must be between 0 and 600 seconds.")
    return SmtpSettings(
        host=host,
        port=port or _DEFAULT_PORTS[security],
        security=security,
        timeout=timeout,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def parse_from_address(value: str) -> Address:
    """Parse `Name <addr@host>` or `addr@host` into one Address; raise EmailUrlError if not one."""
    if any(c in value for c in "\r\n\0"):
        raise EmailUrlError("REJOINDER_EMAIL_FROM must be one line.")
    found = getaddresses([value])
    if len(found) != 1 or "@" not in found[0][1]:
        raise EmailUrlError(
            f"REJOINDER_EMAIL_FROM must be one address like 'Rejoinder <noreply@example.org>', not {value!r}."
        )
    name, addr = found[0]
    local, _, domain = addr.rpartition("@")
    try:
        return Address(display_name=name, username=local, domain=domain)
    except (ValueError, IndexError) as error:
        raise EmailUrlError(f"REJOINDER_EMAIL_FROM is not usable: {error}") from None


@functools.lru_cache(maxsize=4)
def _parsed(url: str) -> SmtpSettings:
    return parse_email_url(url)


def smtp_settings() -> SmtpSettings:
    """Return the configured SMTP settings (parsed once per URL)."""
    return _parsed(settings.REJOINDER["EMAIL_URL"])


def _local_hostname() -> str:
    """Name ourselves in EHLO after the public host, not a (possibly slow) reverse lookup."""
    host = urlsplit(settings.PUBLIC_URL).hostname or "localhost"
    try:
        return f"[{ipaddress.ip_address(host)}]"
    except ValueError:
        return host


def open_smtp(config: SmtpSettings) -> smtplib.SMTP:
    """Connect, secure and log in as configured; the caller closes (use it as a context manager).

    Raises OSError or smtplib.SMTPException (itself an OSError) when the server cannot be
    reached or refuses us; both are temporary for the mail waiting to go.
    """
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if config.security == "ssl":
        client = smtplib.SMTP_SSL(
            config.host,
            config.port,
            local_hostname=_local_hostname(),
            timeout=config.timeout,
            context=context,
        )
    else:
        client = smtplib.SMTP(
            config.host, config.port, local_hostname=_local_hostname(), timeout=config.timeout
        )
    try:
        if config.security == "starttls":
            client.starttls(context=context)
        if config.username:
            client.login(config.username, config.password)
    except BaseException:
        client.close()
        raise
    return client
