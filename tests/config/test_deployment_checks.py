"""The deployment checks `rejoinder serve` runs before it starts (config/checks.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from tests.servers import free_port

STRONG_KEY = "q3N8vLx0c_TzR2mWk9bYpA7eHs4uJd6fGi1oXnC5VtE-yMlZrB"
PUBLIC = "https://comments.example.org"


def problems() -> list[str]:
    """The ids of the deployment checks' messages under the current settings."""
    return [m.id for m in run_checks(include_deployment_checks=True, tags=["rejoinder"])]


def configure(settings: Any, **rejoinder: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, **rejoinder}


@pytest.fixture
def production(settings: Any) -> Any:
    """A correctly configured server that other machines reach: no check fires."""
    settings.SECRET_KEY = STRONG_KEY
    settings.PUBLIC_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["comments.example.org"]
    settings.DEBUG = False
    configure(settings, SECRET_KEY_SOURCE="environment", BIND="0.0.0.0:8000", TRUSTED_PROXIES=[])
    return settings


def test_nothing_fires_with_no_configuration_on_the_loopback_address(settings: Any) -> None:
    # The tests' settings are the defaults: a generated key, the default public URL and hosts.
    assert settings.REJOINDER["SECRET_KEY_SOURCE"] == "file"
    configure(settings, BIND="127.0.0.1:8000")
    assert problems() == []


def test_nothing_fires_for_a_configured_public_server(production: Any) -> None:
    assert problems() == []
    configure(production, BIND="127.0.0.1:8000", TRUSTED_PROXIES=["127.0.0.1"])
    assert problems() == []


@pytest.mark.parametrize(
    ("variable", "source"),
    [(None, "file"), ("", "blank"), ("  ", "blank"), (STRONG_KEY, "environment")],
    ids=["unset", "empty", "blank", "set"],
)
def test_the_settings_say_where_the_secret_key_came_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str | None, source: str
) -> None:
    from rejoinder.config import settings as settings_module

    monkeypatch.setattr(settings_module, "DATA_DIR", tmp_path)
    if variable is None:
        monkeypatch.delenv("REJOINDER_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("REJOINDER_SECRET_KEY", variable)
    key, found = settings_module._secret_key()
    assert found == source
    if source == "environment":
        assert key == STRONG_KEY
    else:  # a key generated into the data directory, the same on every call
        assert key == (tmp_path / "secret.key").read_text() == settings_module._secret_key()[0]
        assert len(key) == 50


def test_a_secret_key_variable_that_is_set_but_empty_is_refused(production: Any) -> None:
    configure(production, SECRET_KEY_SOURCE="blank")
    assert problems() == ["rejoinder.E001"]


@pytest.mark.parametrize(
    "key",
    [
        "hunter2",
        "a-key-of-thirty-one-characters!",
        "abababababababababababababababababababab",
        "django-insecure-0x9#r!k2m@p4v6w8y(z1c3e5g7i9",
        "changeme-changeme-changeme-changeme-0123",
        "...",
    ],
    ids=[
        "short",
        "31 characters",
        "few distinct characters",
        "Django's insecure",
        "placeholder",
        "ellipsis",
    ],
)
def test_a_weak_secret_key_is_refused(production: Any, key: str) -> None:
    production.SECRET_KEY = key
    assert problems() == ["rejoinder.E001"]


def test_a_long_random_key_of_thirty_two_characters_passes(production: Any) -> None:
    production.SECRET_KEY = STRONG_KEY[:32]
    assert problems() == []


def test_the_default_public_url_is_refused_when_other_machines_connect(production: Any) -> None:
    production.PUBLIC_URL = "http://127.0.0.1:8000"
    production.ALLOWED_HOSTS = ["127.0.0.1", "comments.example.org"]
    assert problems() == ["rejoinder.E002"]
    configure(production, BIND="127.0.0.1:8000", TRUSTED_PROXIES=["10.0.0.2"])
    assert problems() == ["rejoinder.E002"]  # readers come through the proxy
    configure(production, TRUSTED_PROXIES=[])
    assert problems() == []  # this machine only


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "[::]:8000", ":8000", "192.0.2.10:8000"])
def test_any_address_but_the_loopback_one_lets_other_machines_connect(
    production: Any, bind: str
) -> None:
    production.PUBLIC_URL = "http://localhost:8000"
    production.ALLOWED_HOSTS = ["localhost"]
    configure(production, BIND=bind)
    assert problems() == ["rejoinder.E002"]


@pytest.mark.parametrize("bind", ["127.0.0.1:8000", "127.0.0.2:8000", "[::1]:8000", "localhost:80"])
def test_the_loopback_addresses_are_this_machine_only(production: Any, bind: str) -> None:
    production.PUBLIC_URL = "http://localhost:8000"
    production.ALLOWED_HOSTS = ["localhost"]
    configure(production, BIND=bind)
    assert problems() == []


@pytest.mark.parametrize("url", ["comments.example.org", "ftp://comments.example.org", "https://"])
def test_a_public_url_that_is_not_an_http_address_is_refused(production: Any, url: str) -> None:
    production.PUBLIC_URL = url
    assert problems() == ["rejoinder.E002"]


def test_a_public_url_whose_host_is_not_allowed_is_refused(production: Any) -> None:
    production.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert problems() == ["rejoinder.E003"]
    production.ALLOWED_HOSTS = [".example.org"]  # the domain and its subdomains
    assert problems() == []


def test_the_host_check_applies_on_the_loopback_address_too(production: Any) -> None:
    # Behind a proxy that was not declared, requests still carry the public host name.
    configure(production, BIND="127.0.0.1:8000")
    production.ALLOWED_HOSTS = ["127.0.0.1"]
    assert problems() == ["rejoinder.E003"]


def test_debug_is_refused_when_other_machines_connect_and_allowed_on_this_one(
    production: Any,
) -> None:
    production.DEBUG = True
    production.PUBLIC_URL = "http://127.0.0.1:8000"
    production.ALLOWED_HOSTS = ["127.0.0.1"]
    assert problems() == ["rejoinder.E004"]
    configure(production, BIND="127.0.0.1:8000")
    assert problems() == []


@pytest.mark.processes
def test_rejoinder_serve_stops_with_one_line_per_problem_before_touching_the_database(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REJOINDER_", "DJANGO_"))}
    env.update(
        REJOINDER_DATA_DIR=str(tmp_path),
        REJOINDER_SECRET_KEY="hunter2",
        REJOINDER_TRUSTED_PROXIES="127.0.0.1",  # behind a proxy, with the default public URL
    )
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "rejoinder", "serve", "--bind", f"127.0.0.1:{port}", "--no-worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = finished.stderr.strip().splitlines()
    assert finished.returncode == 1, finished.stderr
    assert [line.rsplit(" ", 1)[-1] for line in lines[:-1]] == [
        "(rejoinder.E001)",
        "(rejoinder.E002)",
    ]
    assert all(line.startswith("rejoinder serve: ") for line in lines)
    assert "REJOINDER_SECRET_KEY" in lines[0]
    assert "REJOINDER_PUBLIC_URL" in lines[1]
    assert "not started" in lines[-1]
    assert not (tmp_path / "rejoinder.sqlite3").exists()  # not migrated
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # never listened
