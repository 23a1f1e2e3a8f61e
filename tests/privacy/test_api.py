"""GET /api/v1/me/data and DELETE /api/v1/me."""

from __future__ import annotations

import json

from tests.conftest import ApiClient

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page
from rejoinder.privacy.models import ErasureLog


def _reader_with_a_comment(page: Page) -> tuple[ApiClient, int]:
    client = ApiClient()
    posted = client.post_comment(page.uri, "Mine", name="Quilla Marsh", email="q@example.org")
    assert posted.status_code == 201, posted.content
    return client, posted.json()["comment"]["id"]


def test_the_reader_downloads_their_data_as_an_attachment(page: Page) -> None:
    client, comment_id = _reader_with_a_comment(page)
    response = client.get("/me/data")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(b"".join(response.streaming_content))
    assert data["version"] == 1
    assert data["readers"][0]["email"] == "q@example.org"
    assert [c["id"] for c in data["comments"]] == [comment_id]


def test_without_a_token_the_answer_says_what_to_send(db: None) -> None:
    for method, body in (("get", None), ("delete", {"comments": "keep"})):
        response = ApiClient().call(method, "/me/data" if method == "get" else "/me", body)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert "X-Rejoinder-Reader" in response.json()["detail"]


def test_a_token_that_never_wrote_anything_is_not_found(page: Page) -> None:
    from rejoinder.comments.identity import issue_reader_token

    client = ApiClient()
    client.token = issue_reader_token()
    response = client.get("/me/data")
    assert response.status_code == 404
    assert "Nothing is held" in response.json()["detail"]


def test_erasing_needs_an_explicit_valid_choice_naming_the_field(page: Page) -> None:
    client, comment_id = _reader_with_a_comment(page)
    for body in ({}, {"comments": "maybe"}, {"comments": 1}, {"comments": None}):
        response = client.call("delete", "/me", body)
        assert response.status_code == 422, body
        assert response.json()["field"] == "comments", body
    no_body = client.call("delete", "/me")
    assert no_body.status_code in (400, 415, 422)
    assert Comment.objects.filter(pk=comment_id).exists()
    assert not ErasureLog.objects.exists()


def test_erasing_answers_the_counts_and_the_token_stops_working(page: Page) -> None:
    client, comment_id = _reader_with_a_comment(page)
    response = client.call("delete", "/me", {"comments": "keep"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["comments"] == "keep"
    assert body["erased"]["comments_kept"] == 1
    assert Comment.objects.get(pk=comment_id).author_name == "[deleted]"
    again = client.get("/me/data")
    assert again.status_code == 404
    assert client.call("delete", "/me", {"comments": "keep"}).status_code == 404
    thread = ApiClient().get(f"/threads?uri={page.uri}").json()
    assert thread["comments"][0]["author"]["name"] == "[deleted]"
