"""Moderator accounts in the admin: their email address is where alerts go, so it is checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


def _save_email(client: Client, user: Any, email: str) -> Any:
    return client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "email": email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("m" * 65 + "@example.org", "the limit is 64"),
        ("mod@example.org\nBcc: eve@example.org", "email address"),
    ],
)
def test_an_account_email_that_mail_servers_refuse_is_not_saved(
    moderator: Any, django_user_model: Any, email: str, message: str
) -> None:
    chief = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client = Client()
    client.force_login(chief)
    response = _save_email(client, moderator, email)
    assert response.status_code == 200
    assert message in response.content.decode()
    moderator.refresh_from_db()
    assert moderator.email == "mod@example.org"
    assert _save_email(client, moderator, "m" * 64 + "@example.org").status_code == 302
    moderator.refresh_from_db()
    assert moderator.email == "m" * 64 + "@example.org"
