"""The reader's data page on our own pages, without JavaScript."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.test import Client

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.models import Comment
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Page
from rejoinder.privacy.models import ErasureLog


def _reader_client(page: Page) -> tuple[Client, Comment]:
    token = issue_reader_token()
    author = commenter_for(reader_key_from_token(token) or "")
    comment = post_comment(
        page=page, author=author, name="Quilla Marsh", body="Mine", email="q@example.org"
    )
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.REJOINDER["READER_COOKIE"]] = token
    return client, comment


def _csrf(client: Client, page: Page) -> str:
    response = client.get(f"/my-data/?page={page.pk}")
    assert response.status_code == 200
    return response.context["csrf_token"]


def test_the_box_links_a_known_reader_to_their_data(page: Page) -> None:
    client, _comment = _reader_client(page)
    box = client.get(f"/discussion/{page.pk}/box").content.decode()
    assert f'href="/my-data/?page={page.pk}"' in box
    assert "/my-data/" not in Client().get(f"/discussion/{page.pk}/box").content.decode()


def test_the_page_shows_what_is_held_a_download_and_the_delete_form(page: Page) -> None:
    client, comment = _reader_client(page)
    response = client.get(f"/my-data/?page={page.pk}")
    text = response.content.decode()
    assert "Quilla Marsh" in text
    assert "q@example.org" in text
    assert 'href="/my-data/download"' in text
    assert 'action="/my-data/erase"' in text
    assert 'name="csrfmiddlewaretoken"' in text
    assert response["Cache-Control"].startswith("max-age=0")
    download = client.get("/my-data/download")
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(b"".join(download.streaming_content))
    assert [c["id"] for c in data["comments"]] == [comment.pk]


def test_a_browser_nobody_knows_is_told_nothing_is_held(db: None) -> None:
    response = Client().get("/my-data/")
    assert response.status_code == 404
    assert "holds nothing" in response.content.decode()
    assert Client().get("/my-data/download").status_code == 404


def test_the_form_refuses_without_a_choice_or_confirmation_and_keeps_the_choice(
    page: Page,
) -> None:
    client, comment = _reader_client(page)
    token = _csrf(client, page)
    missing = client.post("/my-data/erase", {"csrfmiddlewaretoken": token, "confirm": "on"})
    assert missing.status_code == 400
    assert "Choose what happens to your comments." in missing.content.decode()
    unconfirmed = client.post("/my-data/erase", {"csrfmiddlewaretoken": token, "comments": "keep"})
    assert unconfirmed.status_code == 400
    text = unconfirmed.content.decode()
    assert "Tick the box to confirm." in text
    assert re.search(r'<input[^>]*value="keep"[^>]*checked', text)
    invalid = client.post(
        "/my-data/erase", {"csrfmiddlewaretoken": token, "comments": "all", "confirm": "on"}
    )
    assert invalid.status_code == 400
    assert Comment.objects.filter(pk=comment.pk, author_name="Quilla Marsh").exists()
    assert not ErasureLog.objects.exists()


def test_the_form_needs_the_csrf_token(page: Page) -> None:
    client, comment = _reader_client(page)
    response = client.post("/my-data/erase", {"comments": "remove", "confirm": "on"})
    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_the_account_forgets_the_browser_and_the_page_shows_deleted(
    page: Page,
) -> None:
    client, comment = _reader_client(page)
    token = _csrf(client, page)
    response = client.post(
        "/my-data/erase",
        {"csrfmiddlewaretoken": token, "comments": "keep", "confirm": "on", "page": page.pk},
    )
    assert response.status_code == 200
    assert "Your account was deleted" in response.content.decode()
    assert response.cookies[settings.REJOINDER["READER_COOKIE"]]["max-age"] == 0
    assert ErasureLog.objects.get().comments == "keep"
    thread = Client().get(f"/discussion/{page.pk}/box").content.decode()
    assert "[deleted]" in thread
    assert "Quilla Marsh" not in thread
    assert Comment.objects.get(pk=comment.pk).body == "Mine"


HOST = "https://news.example.org"


def _embedded_reader(page: Page) -> str:
    token = issue_reader_token()
    author = commenter_for(reader_key_from_token(token) or "")
    post_comment(page=page, author=author, name="Quilla Marsh", body="From the embed")
    page.site.allowed_origins = f"{HOST}\n"
    page.site.save()
    return token


def test_the_embedded_box_hands_the_token_over_in_a_form_to_our_page(page: Page) -> None:
    token = _embedded_reader(page)
    host = Client(enforce_csrf_checks=True)  # no cookie of ours on a publisher's page
    box = host.get(
        f"/embed/{page.site_id}/box?uri={page.uri}",
        HTTP_ORIGIN=HOST,
        HTTP_X_REJOINDER_FRAGMENT="1",
        HTTP_X_REJOINDER_READER=token,
    ).content.decode()
    assert 'action="/my-data/" target="_blank"' in box
    assert f'name="reader" value="{token}"' in box

    browser = Client(enforce_csrf_checks=True)  # the new tab, on our origin
    response = browser.post(
        "/my-data/",
        {"reader": token, "site": page.site_id, "page": page.pk},
        HTTP_ORIGIN=HOST,
    )
    assert response.status_code == 303
    assert response["Location"] == f"/my-data/?page={page.pk}"
    assert response.cookies[settings.REJOINDER["READER_COOKIE"]].value == token
    shown = browser.get(response["Location"]).content.decode()
    assert "Quilla Marsh" in shown


def test_the_handover_is_refused_from_another_origin_or_with_a_forged_token(page: Page) -> None:
    token = _embedded_reader(page)
    elsewhere = Client().post(
        "/my-data/", {"reader": token, "site": page.site_id}, HTTP_ORIGIN="https://evil.example"
    )
    assert elsewhere.status_code == 403
    assert settings.REJOINDER["READER_COOKIE"] not in elsewhere.cookies
    no_origin = Client().post("/my-data/", {"reader": token, "site": page.site_id})
    assert no_origin.status_code == 403
    forged = Client().post(
        "/my-data/", {"reader": token + "x", "site": page.site_id}, HTTP_ORIGIN=HOST
    )
    assert forged.status_code == 400
    assert "not a reader token" in forged.content.decode()
    assert (
        Client().post("/my-data/", {"reader": token, "site": "x"}, HTTP_ORIGIN=HOST).status_code
        == 403
    )
