"""`/discussion/<page>/events` answered by Django, under a server without the front: what the
box missed, then the end (the browser asks again after `retry`), to the embed too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Page, Site

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "https://news.example"


def _post(page: Page, author: Commenter, body: str) -> int:
    with transaction.atomic():
        return post_comment(page=page, author=author, name="Ana", body=body).pk


def _events(body: bytes) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "event" in fields:
            found.append((fields.get("id", ""), fields["event"], json.loads(fields["data"])))
    return found


def test_the_box_polls_what_it_missed_through_django(page: Page, reader: Commenter) -> None:
    client = Client()
    first = _post(page, reader, "One")
    second = _post(page, reader, "Two")
    url = f"/discussion/{page.pk}/events"

    answer = client.get(f"{url}?version=0")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/event-stream; charset=utf-8"
    assert answer["Cache-Control"] == "no-store"
    assert answer.content.startswith(b"retry: 15000\n\n")
    events = _events(answer.content)
    assert [(kind, data["id"]) for _, kind, data in events] == [
        ("comment", first),
        ("comment", second),
    ]
    # The browser reconnects with the last id it saw: only what came after.
    third = _post(page, reader, "Three")
    again = client.get(url, headers={"Last-Event-ID": events[-1][0]})
    assert [data["id"] for _, _, data in _events(again.content)] == [third]
    nothing = client.get(f"{url}?last={_events(again.content)[-1][0]}")
    assert _events(nothing.content) == []

    # Bad input is a 400 naming what was wrong; no such page a 404.
    for bad, named in (("?version=x", "version"), ("?last=99999999999", "Last-Event-ID")):
        refused = client.get(f"{url}{bad}")
        assert refused.status_code == 400
        assert named in refused.json()["detail"]
    assert client.get(f"/discussion/{page.pk + 1000}/events").status_code == 404
    assert client.post(url).status_code == 405


def test_an_embedding_page_reads_it_from_the_sites_allowed_origins_only(
    page: Page, site: Site, reader: Commenter
) -> None:
    site.allowed_origins = ORIGIN
    site.save()
    posted = _post(page, reader, "Seen from the publisher's page")
    client = Client()
    url = f"/discussion/{page.pk}/events?version=0"

    allowed = client.get(url, headers={"Origin": ORIGIN})
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert [data["id"] for _, _, data in _events(allowed.content)] == [posted]

    refused = client.get(url, headers={"Origin": "https://elsewhere.example"})
    assert refused.status_code == 403
    assert "allowed embedding origins" in refused.json()["detail"]
