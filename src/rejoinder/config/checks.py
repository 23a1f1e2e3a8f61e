"""Deployment checks: settings with which a server must not face readers.

Registered for deployment only (`deploy=True`, tag "rejoinder"): `rejoinder serve` runs them
before it touches the database and refuses to start on an error, printing one line per problem;
`rejoinder manage check --deploy` runs them too. `rejoinder demo` does not run them, and with no
configuration at all a server on the loopback address (`make serve`, the tests) passes them.

Whether other machines reach the server is read from the address it listens on (REJOINDER_BIND,
which `rejoinder serve --bind` sets) and from REJOINDER_TRUSTED_PROXIES: a proxy in front means
readers come through it even when the server itself listens on the loopback address.
See docs/security.md, rule 16, and docs/configuration.md, "Checks at start-up".
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.http.request import validate_host

DOCS = "See docs/configuration.md, 'Checks at start-up'."

# A key shorter than this, or with fewer distinct characters, is not a random string. 32
# random characters carry 160 bits or more; a generated key has 50.
MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT_CHARACTERS = 8
_PLACEHOLDER_PREFIXES = (
    "django-insecure",
    "changeme",
    "change-me",
    "change_me",
    "replace-me",
    "your-secret",
    "your_secret",
    "secret-key",
    "...",
)


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name, or "" / 0.0.0.0 / :: (every interface)


def _reachable_from_other_machines() -> str | None:
    """Say why other machines reach this server, or None when it serves this machine only."""
    bind = settings.REJOINDER["BIND"]
    host = bind.rpartition(":")[0]
    if not _is_loopback(host):
        return f"it listens on {bind}"
    if settings.REJOINDER["TRUSTED_PROXIES"]:
        return "REJOINDER_TRUSTED_PROXIES names a proxy in front of it"
    return None


def _public_host() -> str | None:
    url = urlsplit(settings.PUBLIC_URL)
    if url.scheme not in ("http", "https") or not url.hostname:
        return None
    return f"[{url.hostname}]" if ":" in url.hostname else url.hostname


@register("rejoinder", deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """REJOINDER_SECRET_KEY, when given, must be a long random string."""
    source = settings.REJOINDER["SECRET_KEY_SOURCE"]
    if source == "blank":
        return [
            Error(
                "REJOINDER_SECRET_KEY is set but empty: give it a long random string (the same "
                "on every machine that serves), or unset it to use the key generated in the "
                "data directory, which is enough for one machine.",
                hint=DOCS,
                id="rejoinder.E001",
            )
        ]
    key = settings.SECRET_KEY
    where = "REJOINDER_SECRET_KEY" if source == "environment" else "The key in secret.key"
    if (
        len(key) < MIN_KEY_LENGTH
        or len(set(key)) < MIN_KEY_DISTINCT_CHARACTERS
        or key.lower().startswith(_PLACEHOLDER_PREFIXES)
    ):
        return [
            Error(
                f"{where} is too weak to sign readers' keys and links: use at least "
                f"{MIN_KEY_LENGTH} random characters, such as the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`.",
                hint=DOCS,
                id="rejoinder.E001",
            )
        ]
    return []


@register("rejoinder", deploy=True)
def check_public_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """REJOINDER_PUBLIC_URL must be an http(s) URL, and not a loopback one when others connect."""
    host = _public_host()
    if host is None:
        return [
            Error(
                f"REJOINDER_PUBLIC_URL is {settings.PUBLIC_URL!r}, not an http:// or https:// "
                "address: set it to the address readers use, such as "
                "https://comments.example.org.",
                hint=DOCS,
                id="rejoinder.E002",
            )
        ]
    reachable = _reachable_from_other_machines()
    if reachable and not settings.DEBUG and _is_loopback(host):
        return [
            Error(
                f"REJOINDER_PUBLIC_URL is {settings.PUBLIC_URL}, this machine's loopback "
                f"address, but {reachable}: links in mail and canonical URLs would lead "
                "nowhere. Set it to the address readers use, such as "
                "https://comments.example.org.",
                hint=DOCS,
                id="rejoinder.E002",
            )
        ]
    return []


@register("rejoinder", deploy=True)
def check_allowed_hosts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The public URL's host must be one the server answers to."""
    host = _public_host()
    if host is not None and not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            Error(
                f"REJOINDER_ALLOWED_HOSTS ({','.join(settings.ALLOWED_HOSTS) or 'empty'}) does "
                f"not include {host}, the host of REJOINDER_PUBLIC_URL: every request for it "
                f"would be refused. Add {host} to REJOINDER_ALLOWED_HOSTS.",
                hint=DOCS,
                id="rejoinder.E003",
            )
        ]
    return []


@register("rejoinder", deploy=True)
def check_debug(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Debug pages show settings and code to whoever causes an error: never to other machines."""
    reachable = _reachable_from_other_machines()
    if settings.DEBUG and reachable:
        return [
            Error(
                f"REJOINDER_DEBUG is on but {reachable}: debug pages show settings and code "
                "to anyone who causes an error. Unset REJOINDER_DEBUG.",
                hint=DOCS,
                id="rejoinder.E004",
            )
        ]
    return []
