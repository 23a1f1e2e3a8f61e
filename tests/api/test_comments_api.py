from collections.abc import Callable

import pytest
from tests.conftest import ApiClient

from rejoinder.comments.models import Comment
from rejoinder.pages.models import Page


def test_posting_returns_the_comment_and_a_reader_token(api: ApiClient, page: Page) -> None:
    response = api.post_comment(page.uri, "Hello **there**", email="ana@example.org")
    assert response.status_code == 201
    data = response.json()
    assert data["comment"]["html"] == "<p>Hello <strong>there</strong></p>"
    assert data["reader"]
    assert "ana@example.org" not in response.content.decode()
    assert Comment.objects.get().body == "Hello **there**"


def test_the_reader_token_keeps_one_identity_across_posts(api: ApiClient, page: Page) -> None:
    api.post_comment(page.uri)
    token = api.token
    second = api.post_comment(page.uri).json()
    assert second["reader"] is None
    assert api.token == token
    assert len({c.author_id for c in Comment.objects.all()}) == 1


def test_a_forged_reader_token_is_not_an_identity(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    author = make_api()
    comment_id = author.post_comment(page.uri).json()["comment"]["id"]
    forger = make_api()
    forger.token = author.token[:-2] + "xx"  # type: ignore[index]
    assert forger.delete(f"/comments/{comment_id}").status_code == 403
    assert Comment.objects.filter(pk=comment_id).exists()


def test_the_author_edits_and_deletes_through_the_api(api: ApiClient, page: Page) -> None:
    comment_id = api.post_comment(page.uri, "Before").json()["comment"]["id"]
    edited = api.patch(f"/comments/{comment_id}", {"body": "After"})
    assert edited.status_code == 200
    assert edited.json()["html"] == "<p>After</p>"
    assert edited.json()["edited"]
    assert api.delete(f"/comments/{comment_id}").status_code == 204
    assert not Comment.objects.filter(pk=comment_id).exists()


def test_others_cannot_edit_or_delete(make_api: Callable[[], ApiClient], page: Page) -> None:
    author, other = make_api(), make_api()
    comment_id = author.post_comment(page.uri, "Mine").json()["comment"]["id"]
    other.post_comment(page.uri)
    assert other.patch(f"/comments/{comment_id}", {"body": "Theirs"}).status_code == 403
    assert other.delete(f"/comments/{comment_id}").status_code == 403
    assert Comment.objects.get(pk=comment_id).body == "Mine"


def test_replies_and_their_errors(api: ApiClient, page: Page) -> None:
    top = api.post_comment(page.uri).json()["comment"]
    reply = api.post_comment(page.uri, parent=top["id"])
    assert reply.status_code == 201
    assert reply.json()["comment"]["depth"] == 1
    missing = api.post_comment(page.uri, parent=987654)
    assert missing.status_code == 404
    assert missing.json()["field"] == "parent"


def test_voting_counts_once_and_can_be_withdrawn(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    author, voter = make_api(), make_api()
    comment_id = author.post_comment(page.uri).json()["comment"]["id"]
    assert voter.post(f"/comments/{comment_id}/vote", {"value": 1}).json()["upvotes"] == 1
    assert voter.post(f"/comments/{comment_id}/vote", {"value": 1}).json()["upvotes"] == 1
    flipped = voter.post(f"/comments/{comment_id}/vote", {"value": -1}).json()
    assert (flipped["upvotes"], flipped["downvotes"]) == (0, 1)
    assert voter.post(f"/comments/{comment_id}/vote", {"value": 0}).json()["downvotes"] == 0
    own = author.post(f"/comments/{comment_id}/vote", {"value": 1})
    assert own.status_code == 403
    assert voter.post(f"/comments/{comment_id}/vote", {"value": 5}).status_code == 422


def test_rating_through_the_api(make_api: Callable[[], ApiClient], page: Page) -> None:
    first, second = make_api(), make_api()
    assert first.put("/ratings", {"uri": page.uri, "stars": 5}).json()["rating"] == {
        "average": 5.0,
        "count": 1,
    }
    assert second.put("/ratings", {"uri": page.uri, "stars": 2}).json()["rating"] == {
        "average": 3.5,
        "count": 2,
    }
    assert first.put("/ratings", {"uri": page.uri, "stars": 3}).json()["rating"] == {
        "average": 2.5,
        "count": 2,
    }
    bad = first.put("/ratings", {"uri": page.uri, "stars": 9})
    assert bad.status_code == 422
    assert "stars" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"uri": "/news/budget-vote/", "name": "A", "body": "x"', "application/json", 400),
        ("name=A&body=x", "application/x-www-form-urlencoded", 415),
        ('{"uri": "/news/budget-vote/", "name": "A", "body": "x"}', "text/plain", 415),
        (
            b'{"uri": "/news/budget-vote/", "name": "A", "body": "\xff\xfe"}',
            "application/json",
            400,
        ),
        (
            '{"uri": "/news/budget-vote/", "name": "A", "body": "x"}',
            "application/json; charset=latin-1",
            415,
        ),
        (
            '{"uri": "/news/budget-vote/", "name": "A", "body": "nul \\u0000"}',
            "application/json",
            400,
        ),
        ('{"uri": "/news/budget-vote/", "name": "A", "body": 5}', "application/json", 422),
        ('["not", "an", "object"]', "application/json", 422),
        ('{"uri": "/news/nowhere/", "name": "A", "body": "x"}', "application/json", 404),
    ],
)
def test_malformed_writes_get_a_problem_and_change_nothing(
    api: ApiClient, page: Page, body: str | bytes, content_type: str, status: int
) -> None:
    response = api.client.post("/api/v1/comments", data=body, content_type=content_type)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]
    assert Comment.objects.count() == 0


def test_an_oversized_body_is_refused_before_parsing(api: ApiClient, page: Page) -> None:
    response = api.post_comment(page.uri, "x" * 70_000)
    assert response.status_code == 413
    assert Comment.objects.count() == 0


def test_a_too_long_comment_names_the_limit(api: ApiClient, page: Page) -> None:
    response = api.post_comment(page.uri, "x" * 5001)
    assert response.status_code == 422
    assert "limit is 5000" in response.json()["detail"]


def test_writes_from_a_foreign_origin_are_refused(api: ApiClient, page: Page) -> None:
    response = api.post(
        "/comments",
        {"uri": page.uri, "name": "A", "body": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "evil.example" in response.json()["detail"]
    assert Comment.objects.count() == 0


def test_writes_from_a_configured_origin_pass(api: ApiClient, page: Page) -> None:
    page.site.allowed_origins = "https://news.example.org\n"
    page.site.save()
    response = api.post(
        "/comments",
        {"uri": page.uri, "name": "A", "body": "x"},
        headers={"Origin": "https://news.example.org"},
    )
    assert response.status_code == 201


def test_posting_is_rate_limited_per_reader(api: ApiClient, page: Page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REJOINDER = {**settings.REJOINDER, "RATE_POST": "2/60"}
    assert api.post_comment(page.uri).status_code == 201
    assert api.post_comment(page.uri).status_code == 201
    third = api.post_comment(page.uri)
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0
    assert "too often" in third.json()["detail"]
    assert Comment.objects.count() == 2


def test_posting_is_rate_limited_per_ip_across_readers(
    make_api: Callable[[], ApiClient], page: Page, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REJOINDER = {**settings.REJOINDER, "RATE_POST_IP": "3/60"}
    codes = [make_api().post_comment(page.uri).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
