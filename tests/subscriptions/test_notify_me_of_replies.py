""" "Notify me of replies" when posting: one domain function behind the form and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from tests.conftest import ApiClient

from rejoinder.comments.identity import reader_key_from_token
from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Page
from rejoinder.subscriptions.models import Subscription
from rejoinder.subscriptions.subscribing import (
    confirm_subscription,
    subscribe,
    subscribe_author_to_replies,
)

FRAGMENT = {"X-Rejoinder-Fragment": "1"}
CHECK_INBOX = "Check your inbox: a link there confirms notifications of replies."


def _post(page: Page, author: Commenter, email: str = "ana@example.org") -> Comment:
    return post_comment(page=page, author=author, name="Ana", body="Hello", email=email)


def test_the_author_is_subscribed_to_replies_with_the_address_they_posted(
    page: Page, reader: Commenter
) -> None:
    comment = _post(page, reader, email=" Ana@Example.org ")

    result = subscribe_author_to_replies(comment=comment, ip_hash="")

    assert (result.status, result.message) == ("confirmation_sent", CHECK_INBOX)
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.kind, subscription.reader_key) == (
        "Ana@Example.org",
        "replies",
        reader.reader_key,
    )
    assert not subscription.is_active
    assert OutboxMail.objects.get().kind == "confirm"


def test_an_address_the_author_confirmed_before_is_subscribed_at_once(
    page: Page, reader: Commenter
) -> None:
    earlier = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    )
    confirm_subscription(earlier.subscription)

    result = subscribe_author_to_replies(comment=_post(page, reader), ip_hash="")

    assert (result.status, result.message) == ("subscribed", "You will be notified of replies.")
    assert Subscription.objects.get(kind="replies").is_active


def test_without_an_address_nothing_is_subscribed_and_the_author_is_told(
    page: Page, reader: Commenter
) -> None:
    result = subscribe_author_to_replies(comment=_post(page, reader, email=""), ip_hash="")

    assert result.status == "needs_email"
    assert "give your email address" in result.message
    assert not Subscription.objects.exists()


def test_a_refused_subscription_is_reported_and_the_comment_stays(
    page: Page, reader: Commenter, settings: Any
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_SUBSCRIBE": "1/3600"}
    subscribe(
        page=page, email="bo@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    )
    comment = _post(page, reader)

    result = subscribe_author_to_replies(comment=comment, ip_hash="")

    assert result.status == "refused"
    assert "too often" in result.message
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert Subscription.objects.count() == 1


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _form_post(client: Client, page: Page, **fields: str) -> Any:
    client.get(f"/discussion/{page.pk}/box")
    token = client.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "name": "Ana", "body": "Hello", **fields}
    return client.post(f"/discussion/{page.pk}/comments", data, headers=FRAGMENT)


@pytest.mark.parametrize(
    ("emails", "status", "message"),
    [
        (("ana@example.org", "bo@example.org"), "confirmation_sent", CHECK_INBOX),
        (("", ""), "needs_email", "To be notified of replies, give your email address."),
    ],
)
def test_the_form_and_the_api_subscribe_alike_and_say_the_same(
    page: Page,
    csrf_client: Client,
    make_api: Callable[[], ApiClient],
    emails: tuple[str, str],
    status: str,
    message: str,
) -> None:
    from_form = _form_post(csrf_client, page, email=emails[0], notify_replies="on")
    api = make_api()
    from_api = api.post_comment(page.uri, "Hello", email=emails[1], notify_replies=True)

    assert (from_form.status_code, from_api.status_code) == (201, 201)
    assert unquote(from_form["X-Rejoinder-Notice"]) == message
    assert from_api.json()["notify_replies"] == {"status": status, "detail": message}
    assert Comment.objects.count() == 2
    form_key = reader_key_from_token(csrf_client.cookies["rj_reader"].value)
    api_key = reader_key_from_token(api.token)
    subscribed = set(Subscription.objects.values_list("reader_key", "kind"))
    if emails[0]:
        assert subscribed == {(form_key, "replies"), (api_key, "replies")}
    else:
        assert subscribed == set()


def test_the_api_subscribes_only_when_asked(api: ApiClient, page: Page) -> None:
    posted = api.post_comment(page.uri, "Hello", email="ana@example.org")

    assert posted.status_code == 201
    assert posted.json()["notify_replies"] is None
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("value", ["true", 1, None])
def test_notify_replies_in_the_api_is_a_json_boolean(
    api: ApiClient, page: Page, value: object
) -> None:
    refused = api.post_comment(page.uri, "Hello", email="ana@example.org", notify_replies=value)

    assert refused.status_code == 422
    assert refused.json()["field"] == "notify_replies"
    assert not Comment.objects.exists()
    assert not Subscription.objects.exists()
