"""The box's forms meet the domain's rate limits and per-address bound, with and without script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.pages.models import Page
from rejoinder.subscriptions.models import Subscription

HOME = "198.51.100.7"
FRAGMENT = {"X-Rejoinder-Fragment": "1"}


@pytest.fixture
def comment(page: Page, make_reader: Callable[[], Commenter]) -> Comment:
    return post_comment(page=page, author=make_reader(), name="Ana", body="Vote on me")


def _vote(comment: Comment, *, script: bool, value: int = 1, client: Client | None = None) -> Any:
    return (client or Client()).post(
        f"/discussion/comments/{comment.pk}/vote",
        {"value": str(value)},
        headers=FRAGMENT if script else {},
        REMOTE_ADDR=HOME,
    )


def _rate(page: Page, *, script: bool, stars: int = 1, client: Client | None = None) -> Any:
    return (client or Client()).post(
        f"/discussion/{page.pk}/rating",
        {"stars": str(stars)},
        headers=FRAGMENT if script else {},
        REMOTE_ADDR=HOME,
    )


def test_a_hundred_fresh_readers_from_one_address_add_at_most_five_votes(
    comment: Comment,
) -> None:
    answers = [_vote(comment, script=n % 2 == 0) for n in range(100)]

    assert [a.status_code for a in answers[:5]] == [200, 302, 200, 302, 200]
    assert {a.status_code for a in answers[5:]} == {409}
    with_script, without = answers[98], answers[99]
    assert with_script["Content-Type"] == "application/problem+json"
    assert "not counted" in with_script.json()["detail"]
    assert "not counted" in without.content.decode()  # the page that explains
    comment.refresh_from_db()
    assert comment.upvotes == 5
    other = Client().post(
        f"/discussion/comments/{comment.pk}/vote", {"value": "1"}, REMOTE_ADDR="192.0.2.4"
    )
    assert other.status_code == 302
    comment.refresh_from_db()
    assert comment.upvotes == 6


def test_a_hundred_fresh_readers_from_one_address_add_at_most_five_ratings(page: Page) -> None:
    answers = [_rate(page, script=n % 2 == 1) for n in range(100)]

    assert [a.status_code for a in answers[:5]] == [302, 200, 302, 200, 302]
    assert {a.status_code for a in answers[5:]} == {409}
    assert "not counted" in answers[98].content.decode()
    assert "not counted" in answers[99].json()["detail"]
    page.refresh_from_db()
    assert (page.rating_count, page.rating_sum) == (5, 5)


def test_votes_through_the_box_are_rate_limited(comment: Comment, settings: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_VOTE": "2/60"}
    reader = Client()
    codes = [_vote(comment, script=True, value=v, client=reader).status_code for v in (1, -1, 0)]
    assert codes == [200, 200, 429]
    refused = _vote(comment, script=False, value=0, client=reader)
    assert refused.status_code == 429
    assert "too often" in refused.content.decode()


def test_ratings_through_the_box_are_rate_limited_by_their_own_setting(
    page: Page, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_RATING": "2/60", "RATE_VOTE": "1/60"}
    reader = Client()
    codes = [_rate(page, script=True, stars=s, client=reader).status_code for s in (1, 2, 3)]
    assert codes == [200, 200, 429]
    page.refresh_from_db()
    assert page.rating_sum == 2


def test_subscribing_from_the_box_is_rate_limited(page: Page, settings: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_SUBSCRIBE": "1/3600"}
    reader = Client()
    url = f"/discussion/{page.pk}/subscribe"
    first = reader.post(url, {"email": "ana@example.org", "kind": "page"}, REMOTE_ADDR=HOME)
    assert first.status_code == 200
    again = reader.post(url, {"email": "bo@example.org", "kind": "page"}, REMOTE_ADDR=HOME)
    assert again.status_code == 429
    assert Subscription.objects.count() == 1


def test_notify_me_of_replies_on_the_comment_form_is_rate_limited_too(
    page: Page, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_SUBSCRIBE": "1/3600"}
    reader = Client()
    url = f"/discussion/{page.pk}/subscribe"
    reader.post(url, {"email": "ana@example.org", "kind": "page"}, REMOTE_ADDR=HOME)
    posted = reader.post(
        f"/discussion/{page.pk}/comments",
        {"name": "Ana", "body": "Tell me", "email": "ana@example.org", "notify_replies": "on"},
        headers=FRAGMENT,
        REMOTE_ADDR=HOME,
    )
    assert posted.status_code == 201  # the comment is posted; only the subscription waits
    assert "too often" in unquote(posted["X-Rejoinder-Notice"])
    assert Subscription.objects.count() == 1
