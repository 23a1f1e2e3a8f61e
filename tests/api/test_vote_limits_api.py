"""Votes, ratings and subscriptions through the API meet the domain's rate limits, and votes
and ratings its per-address bound."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import RequestFactory
from tests.conftest import ApiClient

from rejoinder.comments.models import Comment, DiscardedVotes, Vote
from rejoinder.pages.models import Page
from rejoinder.ratings.models import DiscardedRatings, Rating
from rejoinder.request_identity import ip_hash
from rejoinder.subscriptions.models import Subscription

HOME = "198.51.100.7"


def _comment(make_api: Callable[[], ApiClient], page: Page) -> int:
    body = {"uri": page.uri, "name": "Ana", "body": "Vote on me"}
    response = make_api().post("/comments", body, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 201
    return int(response.json()["comment"]["id"])


def test_a_hundred_fresh_readers_from_one_address_add_at_most_five_votes(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    comment_id = _comment(make_api, page)
    answers = [
        make_api().post(f"/comments/{comment_id}/vote", {"value": 1}, REMOTE_ADDR=HOME)
        for _ in range(100)
    ]

    assert [a.status_code for a in answers] == [200] * 5 + [409] * 95
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert "not counted" in refused.json()["detail"]
    assert Comment.objects.get(pk=comment_id).upvotes == 5
    assert DiscardedVotes.objects.get(comment_id=comment_id).count == 95
    elsewhere = make_api().post(f"/comments/{comment_id}/vote", {"value": 1}, REMOTE_ADDR="::1")
    assert elsewhere.status_code == 200
    assert elsewhere.json()["upvotes"] == 6


def test_the_stored_address_is_neither_the_ip_nor_its_stable_hash(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    comment_id = _comment(make_api, page)
    make_api().post(f"/comments/{comment_id}/vote", {"value": 1}, REMOTE_ADDR=HOME)
    make_api().put("/ratings", {"uri": page.uri, "stars": 4}, REMOTE_ADDR=HOME)

    stable = ip_hash(RequestFactory().get("/", REMOTE_ADDR=HOME))
    for stored in (Vote.objects.get().address, Rating.objects.get().address):
        assert stored
        assert HOME not in stored
        assert stored != stable


def test_a_hundred_fresh_readers_from_one_address_add_at_most_five_ratings(
    make_api: Callable[[], ApiClient], page: Page
) -> None:
    answers = [
        make_api().put("/ratings", {"uri": page.uri, "stars": 1}, REMOTE_ADDR=HOME)
        for _ in range(100)
    ]

    assert [a.status_code for a in answers] == [200] * 5 + [409] * 95
    assert "not counted" in answers[-1].json()["detail"]
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (5, 5)
    assert DiscardedRatings.objects.get(page=page).count == 95
    other = make_api().put("/ratings", {"uri": page.uri, "stars": 5}, REMOTE_ADDR="192.0.2.9")
    assert other.json()["rating"] == {"average": 1.7, "count": 6}


def test_votes_are_rate_limited_through_the_api(
    make_api: Callable[[], ApiClient], page: Page, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_VOTE": "2/60", "RATE_VOTE_IP": "3/60"}
    comment_id = _comment(make_api, page)
    reader = make_api()
    codes = [
        reader.post(f"/comments/{comment_id}/vote", {"value": v}, REMOTE_ADDR=HOME).status_code
        for v in (1, -1, 0)
    ]
    assert codes == [200, 200, 429]
    assert (
        make_api().post(f"/comments/{comment_id}/vote", {"value": 1}, REMOTE_ADDR=HOME).status_code
        == 200
    )
    blocked = make_api().post(f"/comments/{comment_id}/vote", {"value": 1}, REMOTE_ADDR=HOME)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0


def test_ratings_are_rate_limited_through_the_api_by_their_own_setting(
    make_api: Callable[[], ApiClient], page: Page, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_RATING": "2/60", "RATE_VOTE": "1/60"}
    reader = make_api()
    codes = [
        reader.put("/ratings", {"uri": page.uri, "stars": s}, REMOTE_ADDR=HOME).status_code
        for s in (1, 2, 3)
    ]
    assert codes == [200, 200, 429]
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (1, 2)


def test_notify_replies_through_the_api_meets_the_subscription_rate_limit(
    make_api: Callable[[], ApiClient], page: Page, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_SUBSCRIBE": "1/3600"}
    reader = make_api()
    body = {"uri": page.uri, "name": "Ana", "email": "ana@example.org", "notify_replies": True}
    first = reader.post("/comments", {**body, "body": "Tell me"}, REMOTE_ADDR=HOME)
    again = reader.post("/comments", {**body, "body": "And me"}, REMOTE_ADDR=HOME)

    assert first.json()["notify_replies"]["status"] == "confirmation_sent"
    assert again.status_code == 201  # the comment is posted; only the subscription waits
    assert again.json()["notify_replies"]["status"] == "refused"
    assert "too often" in again.json()["notify_replies"]["detail"]
    assert Subscription.objects.count() == 1
