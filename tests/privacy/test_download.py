"""Download my data: one JSON document with everything held about the reader."""

from __future__ import annotations

import json

from tests.privacy.conftest import EMAIL, NAME, WEBSITE, World

from rejoinder.privacy.collection import scope_of_address, scope_of_reader
from rejoinder.privacy.download import download_reader_data


def _document(world: World, *, by_address: bool = False) -> dict:
    scope = scope_of_address(EMAIL.upper()) if by_address else scope_of_reader(world.quilla)
    return json.loads("".join(download_reader_data(scope)))


def test_the_download_holds_every_comment_vote_rating_subscription_and_detail(
    world: World,
) -> None:
    data = _document(world)
    assert data["format"] == "rejoinder.reader-data"
    assert data["version"] == 1
    assert data["readers"] == [
        {"name": NAME, "email": EMAIL, "website": WEBSITE, "created": data["readers"][0]["created"]}
    ]
    comments = {c["id"]: c for c in data["comments"]}
    assert set(comments) == {world.answered.pk, world.own_reply.pk, world.alone.pk}
    first = comments[world.answered.pk]
    assert first["body"] == "Quilla's **first** point"
    assert first["status"] == "published"
    assert first["page"] == {
        "site": world.page.site.name,
        "uri": "/news/budget-vote/",
        "title": "Budget vote",
        "url": None,
    }
    assert first["created"]
    assert first["edited"] is None
    assert first["upvotes"] == 1
    assert comments[world.alone.pk]["passage"] == {
        "exact": "the budget vote",
        "prefix": "On ",
        "suffix": " today",
    }
    assert comments[world.own_reply.pk]["parent"] == world.reply.pk
    assert data["votes"] == [
        {"comment": world.reply.pk, "value": -1, "created": data["votes"][0]["created"]}
    ]
    assert [r["stars"] for r in data["ratings"]] == [2]
    assert [(s["email"], s["kind"], s["confirmed"]) for s in data["subscriptions"]] == [
        (EMAIL, "page", True)
    ]
    assert [a["email"] for a in data["confirmed_addresses"]] == [EMAIL]
    assert [f["comment"] for f in data["flags"]] == [world.reply.pk]
    # Mail still queued for the reader (the confirmation, the notification of Bo's reply);
    # not Bo's mail about Quilla's comment.
    assert {m["to"] for m in data["queued_mail"]} == {EMAIL}
    assert len(data["queued_mail"]) == 2
    assert any("Bo disagrees" in m["text"] for m in data["queued_mail"])


def test_nothing_of_another_reader_is_in_the_download(world: World) -> None:
    text = "".join(download_reader_data(scope_of_reader(world.quilla)))
    assert "bo@example.org" not in text
    assert "Bo disagrees" in text  # only inside the mail to Quilla about it
    data = json.loads(text)
    assert all(c["name"] == NAME for c in data["comments"])


def test_the_publisher_finds_the_same_data_by_address_whatever_its_case(world: World) -> None:
    mine = _document(world)
    by_address = _document(world, by_address=True)
    for section in ("readers", "comments", "votes", "ratings", "subscriptions", "flags"):
        assert by_address[section] == mine[section], section


def test_the_download_is_written_piece_by_piece(world: World) -> None:
    pieces = list(download_reader_data(scope_of_reader(world.quilla)))
    # One piece per record at most, never the whole document at once.
    assert len(pieces) > 10
    assert max(len(p) for p in pieces) < 2000
