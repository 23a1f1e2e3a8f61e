"""The publisher answers a reader's request by mail: export and erase an address's data."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from tests.privacy.conftest import EMAIL, NAME, World

from rejoinder.comments.models import Comment
from rejoinder.privacy.models import ErasureLog


def _admin(django_user_model: Any, *, superuser: bool = True) -> Client:
    if superuser:
        user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    else:
        user = django_user_model.objects.create_user("staff", "s@example.org", "pw", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_downloads_the_data_of_an_address(world: World, django_user_model: Any) -> None:
    admin = _admin(django_user_model)
    assert admin.get("/admin/privacy/erasurelog/export/").status_code == 200
    response = admin.post("/admin/privacy/erasurelog/export/", {"email": EMAIL.upper()})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(b"".join(response.streaming_content))
    assert data["readers"][0]["name"] == NAME
    assert len(data["comments"]) == 3


def test_a_bad_address_is_a_form_error_that_keeps_what_was_typed(
    db: None, django_user_model: Any
) -> None:
    admin = _admin(django_user_model)
    for url in ("/admin/privacy/erasurelog/export/", "/admin/privacy/erasurelog/erase/"):
        response = admin.post(url, {"email": "not an address", "comments": "keep", "confirm": "on"})
        assert response.status_code == 400
        text = response.content.decode()
        assert "That email address is not valid." in text
        assert 'value="not an address"' in text
    assert not ErasureLog.objects.exists()


def test_the_admin_erases_an_address_and_the_log_names_the_staff_user_only(
    world: World, django_user_model: Any
) -> None:
    admin = _admin(django_user_model)
    unconfirmed = admin.post(
        "/admin/privacy/erasurelog/erase/", {"email": EMAIL, "comments": "remove"}
    )
    assert unconfirmed.status_code == 400
    assert Comment.objects.filter(author_name=NAME).exists()
    response = admin.post(
        "/admin/privacy/erasurelog/erase/",
        {"email": EMAIL, "comments": "remove", "confirm": "on"},
    )
    assert response.status_code == 302
    assert not Comment.objects.filter(author_name=NAME).exists()
    log = ErasureLog.objects.get()
    assert (log.requested_by, log.staff_username, log.comments) == ("staff", "editor", "remove")
    listing = admin.get("/admin/privacy/erasurelog/").content.decode()
    assert "editor" in listing
    assert "Erase data for an address" in listing
    assert EMAIL not in listing


def test_only_superusers_reach_every_site_s_readers(world: World, django_user_model: Any) -> None:
    staff = _admin(django_user_model, superuser=False)
    for url in ("/admin/privacy/erasurelog/export/", "/admin/privacy/erasurelog/erase/"):
        assert (
            staff.post(url, {"email": EMAIL, "comments": "keep", "confirm": "on"}).status_code
            == 403
        )
    assert Comment.objects.filter(author_name=NAME).exists()
