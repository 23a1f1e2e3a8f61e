"""REJOINDER_EMAIL_URL: what it means, and a clear refusal when it means nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from rejoinder.outbox.checks import check_mail_settings
from rejoinder.outbox.transport import EmailUrlError, parse_email_url, parse_from_address


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://localhost", ("localhost", 25, "none", 30.0, "", "")),
        ("smtp://127.0.0.1:1025", ("127.0.0.1", 1025, "none", 30.0, "", "")),
        ("smtp://mail.example.org", ("mail.example.org", 587, "starttls", 30.0, "", "")),
        (
            "smtp://user:pass@mail.example.org:587?tls=starttls",
            ("mail.example.org", 587, "starttls", 30.0, "user", "pass"),
        ),
        ("smtp://mail.example.org?tls=ssl", ("mail.example.org", 465, "ssl", 30.0, "", "")),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, "ssl", 30.0, "u", "p")),
        ("smtp://relay.internal:25?tls=none", ("relay.internal", 25, "none", 30.0, "", "")),
        ("smtp://localhost?timeout=2.5", ("localhost", 25, "none", 2.5, "", "")),
        (
            "smtp://me%40example.org:p%40ss%3Aw%2Frd@mail.example.org",
            ("mail.example.org", 587, "starttls", 30.0, "me@example.org", "p@ss:w/rd"),
        ),
    ],
)
def test_the_email_url_gives_host_port_tls_timeout_and_decoded_credentials(
    url: str, expected: tuple[Any, ...]
) -> None:
    s = parse_email_url(url)
    assert (s.host, s.port, s.security, s.timeout, s.username, s.password) == expected


def test_the_password_is_not_in_the_settings_repr() -> None:
    assert "secret" not in repr(parse_email_url("smtp://u:secret@mail.example.org"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "must start with smtp://"),
        ("mail.example.org", "must start with smtp://"),
        ("http://mail.example.org", "must start with smtp://"),
        ("smtp://", "no host"),
        ("smtp://mail.example.org:99999", "not a valid URL"),
        ("smtp://mail.example.org:abc", "not a valid URL"),
        ("smtp://mail.example.org/inbox", "no path"),
        ("smtp://mail.example.org?tls=maybe", "tls must be starttls, ssl or none"),
        ("smtps://mail.example.org?tls=starttls", "smtps:// always uses TLS"),
        ("smtp://mail.example.org?timeout=soon", "timeout must be a number"),
        ("smtp://mail.example.org?timeout=0", "between 0 and 600"),
        ("smtp://mail.example.org?tsl=ssl", "unknown parameters: tsl"),
    ],
)
def test_a_bad_email_url_is_refused_with_the_reason(url: str, message: str) -> None:
    with pytest.raises(EmailUrlError, match=message):
        parse_email_url(url)


@pytest.mark.parametrize(
    "value",
    ["noreply@example.org", "Rejoinder <noreply@example.org>", '"News, Daily" <n@example.org>'],
)
def test_the_sender_may_have_a_display_name(value: str) -> None:
    assert parse_from_address(value).addr_spec.endswith("example.org")


@pytest.mark.parametrize(
    "value", ["", "nobody", "a@example.org, b@example.org", "x@y.org\r\nBcc: e@v.org"]
)
def test_a_bad_sender_is_refused(value: str) -> None:
    with pytest.raises(EmailUrlError):
        parse_from_address(value)


def test_the_system_checks_stop_a_start_with_a_bad_url_or_sender(settings: Any) -> None:
    settings.REJOINDER = {
        **settings.REJOINDER,
        "EMAIL_URL": "smtp//mail.example.org",
        "EMAIL_FROM": "Rejoinder",
    }
    ids = {problem.id for problem in check_mail_settings()}
    assert ids == {"outbox.E001", "outbox.E002"}
    with pytest.raises(SystemCheckError, match="must start with smtp://"):
        call_command("check")


def test_the_system_checks_warn_about_a_password_sent_without_tls(settings: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "EMAIL_URL": "smtp://u:p@mail.example.org?tls=none"}
    assert [p.id for p in check_mail_settings()] == ["outbox.W001"]


def test_the_system_checks_want_a_lease_longer_than_two_smtp_timeouts(settings: Any) -> None:
    settings.REJOINDER = {
        **settings.REJOINDER,
        "EMAIL_URL": "smtp://localhost?timeout=60",
        "EMAIL_LEASE_SECONDS": 100,
    }
    assert [p.id for p in check_mail_settings()] == ["outbox.E003"]


def test_the_default_settings_pass_the_checks() -> None:
    assert check_mail_settings() == []
