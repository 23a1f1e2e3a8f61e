"""`Idempotency-Key` on API writes: a retry gets the first answer and changes nothing."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from tests.api.test_moderation_api import _signed_in
from tests.concurrency import at_once
from tests.conftest import ApiClient
from tests.servers import running_server

from rejoinder.api.idempotency import purge_idempotency_keys
from rejoinder.api.models import IdempotentRequest
from rejoinder.comments.models import Comment, Vote
from rejoinder.moderation.models import AuditEntry, Ban, Flag, ModeratorRole
from rejoinder.outbox.worker import step_names
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.models import Rating


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _forget_answer(api: ApiClient) -> None:
    """Forget what the first answer gave (its reader token and cookie), as a lost answer would."""
    api.token = None
    api.client.cookies.clear()


def _twice(call: Callable[..., Any], *args: Any, headers: dict[str, str]) -> tuple[Any, Any]:
    first = call(*args, headers=headers)
    again = call(*args, headers=headers)
    assert first.status_code < 300, first.content
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    return first, again


def test_a_retried_post_returns_the_first_answer_and_posts_once(
    api: ApiClient, page: Page, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_POST": "1/60"}
    key = _key()
    first = api.post_comment(page.uri, "Posted once.", headers=key)
    assert first.status_code == 201
    token = first.json()["reader"]
    for _ in range(3):  # not counted against the rate limit either
        _forget_answer(api)  # the client never saw the answer: it retries as it first sent it
        again = api.post_comment(page.uri, "Posted once.", headers=key)
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert again.cookies["rj_reader"].value == token
    assert Comment.objects.count() == 1
    assert Page.objects.get(pk=page.pk).comment_count == 1
    # Without the key the same text is a new request, refused here by the rate limit.
    api.token = token
    assert api.post_comment(page.uri, "Posted once.").status_code == 429


def test_the_same_key_with_another_body_is_refused_naming_the_header(
    api: ApiClient, page: Page
) -> None:
    key = _key()
    assert api.post_comment(page.uri, "First text.", headers=key).status_code == 201
    _forget_answer(api)
    other = api.post_comment(page.uri, "Other text.", headers=key)
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["field"] == "Idempotency-Key"
    assert "Idempotency-Key" in other.json()["detail"]
    assert Comment.objects.count() == 1


def test_a_key_belongs_to_its_sender_and_endpoint(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    key = _key()
    ana, ben = make_api(), make_api()
    ana.post_comment(page.uri, "From Ana.")
    bens = ben.post_comment(page.uri, "From Ben.").json()["comment"]["id"]
    assert ana.post_comment(page.uri, "Same words.", headers=key).status_code == 201
    answer = ben.post_comment(page.uri, "Same words.", headers=key)
    assert answer.status_code == 201
    assert "Idempotent-Replayed" not in answer
    assert Comment.objects.filter(body="Same words.").count() == 2
    elsewhere = ana.post(f"/comments/{bens}/vote", {"value": 1}, headers=key)
    assert elsewhere.status_code == 200
    assert "Idempotent-Replayed" not in elsewhere
    assert Vote.objects.filter(comment_id=bens).count() == 1


@pytest.mark.parametrize("bad", ["", " spaced key ", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_refused_naming_the_header(api: ApiClient, page: Page, bad: str) -> None:
    answer = api.call(
        "post",
        "/comments",
        {"uri": page.uri, "name": "Ana", "body": "Text."},
        HTTP_IDEMPOTENCY_KEY=bad,
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "Idempotency-Key"
    assert Comment.objects.count() == 0


def test_a_refused_write_keeps_no_key_so_the_corrected_retry_runs(
    api: ApiClient, page: Page
) -> None:
    key = _key()
    assert api.post_comment(page.uri, "", headers=key).status_code == 422
    assert IdempotentRequest.objects.count() == 0
    assert api.post_comment(page.uri, "Now with text.", headers=key).status_code == 201
    assert Comment.objects.count() == 1


def test_every_reader_write_takes_a_key(make_api: Callable[[], ApiClient], page: Page) -> None:
    author, reader = make_api(), make_api()
    comment_id = author.post_comment(page.uri, "Mine.").json()["comment"]["id"]
    other_id = reader.post_comment(page.uri, "Theirs.").json()["comment"]["id"]

    _twice(reader.post, f"/comments/{comment_id}/vote", {"value": 1}, headers=_key())
    assert Vote.objects.filter(comment_id=comment_id).count() == 1
    _twice(reader.put, "/ratings", {"uri": page.uri, "stars": 4}, headers=_key())
    assert Rating.objects.count() == 1
    _twice(reader.post, f"/comments/{comment_id}/flag", {"reason": "spam"}, headers=_key())
    assert Flag.objects.count() == 1  # without the key the second flag is a 409
    _twice(author.patch, f"/comments/{comment_id}", {"body": "Mine, edited."}, headers=_key())
    assert Comment.objects.get(pk=comment_id).body == "Mine, edited."
    first, _ = _twice(reader.delete, f"/comments/{other_id}", headers=_key())
    assert first.status_code == 204  # without the key the retry is a 404
    assert not Comment.objects.filter(pk=other_id).exists()


def test_every_moderation_write_takes_a_key(
    site: Site, page: Page, make_api: Callable[[], ApiClient], django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=user, site=site)
    moderator = _signed_in(user)
    comment_id = make_api().post_comment(page.uri, "Buy now.").json()["comment"]["id"]

    removed, _ = _twice(
        moderator.post,
        "/moderation/actions",
        {"comment_ids": [comment_id], "action": "remove"},
        headers=_key(),
    )
    assert AuditEntry.objects.count() == 1
    entry_id = removed.json()["entries"][0]["id"]
    _twice(moderator.post, f"/moderation/audit/{entry_id}/undo", {}, headers=_key())
    assert AuditEntry.objects.count() == 2
    banned, _ = _twice(
        moderator.post, "/moderation/bans", {"comment_id": comment_id}, headers=_key()
    )
    assert Ban.objects.count() == 1
    _twice(moderator.post, f"/moderation/bans/{banned.json()['id']}/lift", {}, headers=_key())
    assert AuditEntry.objects.count() == 4


def test_keys_expire_and_the_worker_purges_them(api: ApiClient, page: Page) -> None:
    key = _key()
    assert api.post_comment(page.uri, "Once.", headers=key).status_code == 201
    _forget_answer(api)
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = api.post_comment(page.uri, "Once.", headers=key)
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later  # a day later the key is a new request
    assert Comment.objects.count() == 2
    assert "idempotency-keys" in step_names()
    assert purge_idempotency_keys(now=timezone.now() + timedelta(hours=25)) == 1
    assert IdempotentRequest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_post_once(page: Page) -> None:
    key = _key()
    body = json.dumps({"uri": page.uri, "name": "Ana", "body": "Sent twice at once."})

    def send() -> tuple[int, bytes]:
        response = ApiClient().client.post(
            "/api/v1/comments", body, content_type="application/json", headers=key
        )
        return response.status_code, response.content

    outcomes = at_once([send, send, send])
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert {o[0] for o in outcomes} == {201}  # type: ignore[index]
    assert len({o[1] for o in outcomes}) == 1  # type: ignore[index]
    assert Comment.objects.filter(page=page).count() == 1
    connection.close()


@pytest.mark.processes  # starts `rejoinder serve`
def test_a_write_whose_answer_was_lost_is_found_by_its_retry(tmp_path: Path) -> None:
    uri = "/lost-answer/"
    key = str(uuid.uuid4())
    body = json.dumps({"uri": uri, "name": "Ana", "body": "Did this arrive?"}).encode()
    with running_server(tmp_path, uri) as base:
        host, port = base.removeprefix("http://").split(":")
        # The client sends the write and its connection drops before it reads the answer.
        thread_url = f"{base}/api/v1/threads?uri={uri}"
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                b"POST /api/v1/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\n"
                + f"Idempotency-Key: {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            deadline = time.monotonic() + 30
            while not _comments(thread_url):  # the server went on and stored it
                assert time.monotonic() < deadline, "the write was never stored"
                time.sleep(0.05)
        retry = urllib.request.Request(  # noqa: S310 - the loopback test server
            f"{base}/api/v1/comments",
            data=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )
        answers = []
        for _ in range(2):
            with urllib.request.urlopen(retry, timeout=10) as response:  # noqa: S310
                answers.append((response.status, response.headers, json.loads(response.read())))
        stored = _comments(thread_url)
    (status, headers, first), (_, _, second) = answers
    assert status == 201
    assert headers["Idempotent-Replayed"] == "true"  # the dropped request had been stored
    assert first == second
    assert stored == [first["comment"]["id"]]


def _comments(thread_url: str) -> list[int]:
    with urllib.request.urlopen(thread_url, timeout=10) as response:  # noqa: S310 - loopback
        return [c["id"] for c in json.loads(response.read())["comments"]]
