"""System checks: refuse to start with a mail URL or sender that cannot work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from rejoinder.outbox.transport import EmailUrlError, parse_email_url, parse_from_address


@register("mail")
def check_mail_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Check REJOINDER_EMAIL_URL, REJOINDER_EMAIL_FROM and the lease against the timeout."""
    conf = settings.REJOINDER
    problems: list[CheckMessage] = []
    try:
        smtp = parse_email_url(conf["EMAIL_URL"])
    except EmailUrlError as error:
        problems.append(
            Error(str(error), hint="See docs/configuration.md, 'Mail'.", id="outbox.E001")
        )
    else:
        if smtp.username and smtp.security == "none" and not smtp.is_local:
            problems.append(
                Warning(
                    f"REJOINDER_EMAIL_URL sends a password to {smtp.host} without TLS.",
                    hint="Use ?tls=starttls or smtps://.",
                    id="outbox.W001",
                )
            )
        if conf["EMAIL_LEASE_SECONDS"] < 2 * smtp.timeout + 10:
            problems.append(
                Error(
                    "REJOINDER_EMAIL_LEASE_SECONDS must be at least twice the SMTP timeout plus "
                    f"10 s ({2 * smtp.timeout + 10:.0f}), or a slow batch could be sent twice.",
                    id="outbox.E003",
                )
            )
    try:
        parse_from_address(conf["EMAIL_FROM"])
    except EmailUrlError as error:
        problems.append(Error(str(error), id="outbox.E002"))
    for name in ("EMAIL_MAX_ATTEMPTS", "EMAIL_SUPPRESS_AFTER", "EMAIL_BATCH"):
        if conf[name] < 1:
            problems.append(Error(f"REJOINDER_{name} must be at least 1.", id="outbox.E004"))
    return problems
