"""A discussion in which one reader, Quilla Marsh, left every kind of trace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.inline.posting import PassageSelector, submit_comment
from rejoinder.limits.counters import add_one
from rejoinder.limits.models import RateCounter
from rejoinder.moderation.flags import flag_comment
from rejoinder.pages.models import Page
from rejoinder.ratings.rating import rate_page
from rejoinder.subscriptions.mail import send_notification
from rejoinder.subscriptions.models import Subscription
from rejoinder.subscriptions.subscribing import confirm_subscription, subscribe

NAME = "Quilla Marsh"
EMAIL = "quilla@example.org"
WEBSITE = "https://quilla.example"


@dataclass
class World:
    page: Page
    quilla: Commenter
    bo: Commenter
    answered: Comment  # Quilla's, with Bo's reply under it
    reply: Comment  # Bo's
    alone: Comment  # Quilla's, about a passage, nobody answered
    own_reply: Comment  # Quilla's answer to Bo's reply
    bos_subscription: Subscription
    quillas_subscription: Subscription


def _subscribed(page: Page, email: str, reader: Commenter, kind: str = "page") -> Subscription:
    result = subscribe(page=page, email=email, kind=kind, reader_key=reader.reader_key, ip_hash="")
    return confirm_subscription(result.subscription)


def make_world(page: Page, make_reader: Callable[[], Commenter]) -> World:
    quilla, bo = make_reader(), make_reader()
    details = {"name": NAME, "email": EMAIL, "website": WEBSITE, "ip_hash": "quilla-ip"}
    answered = post_comment(page=page, author=quilla, body="Quilla's **first** point", **details)
    reply = post_comment(
        page=page, author=bo, name="Bo", body="Bo disagrees", parent_id=answered.pk
    )
    own_reply = post_comment(
        page=page, author=quilla, body="Quilla answers Bo", parent_id=reply.pk, **details
    )
    alone = submit_comment(
        page=page,
        author=quilla,
        body="Quilla on a passage",
        selector=PassageSelector(exact="the budget vote", prefix="On ", suffix=" today"),
        **details,
    )
    vote_on_comment(comment_id=answered.pk, voter=bo, value=1, ip_hash="bo-ip")
    vote_on_comment(comment_id=reply.pk, voter=quilla, value=-1, ip_hash="quilla-ip")
    rate_page(page=page, rater=quilla, stars=2, ip_hash="quilla-ip")
    rate_page(page=page, rater=bo, stars=5, ip_hash="bo-ip")
    flag_comment(comment_id=reply.pk, reader=quilla, ip_hash="quilla-ip", reason="other")
    quillas = _subscribed(page, EMAIL, quilla)
    bos = _subscribed(page, "bo@example.org", bo)
    # Mail waiting: to Quilla about Bo's reply, to Bo about Quilla's comment.
    send_notification(quillas, [reply], email=EMAIL)
    send_notification(bos, [alone], email="bo@example.org")
    add_one(RateCounter, bucket=f"post:r:{quilla.reader_key}", window_start=1)
    for row in (answered, reply, alone, own_reply):
        row.refresh_from_db()
    return World(
        page=page,
        quilla=quilla,
        bo=bo,
        answered=answered,
        reply=reply,
        alone=alone,
        own_reply=own_reply,
        bos_subscription=bos,
        quillas_subscription=quillas,
    )


@pytest.fixture
def world(page: Page, make_reader: Callable[[], Commenter]) -> World:
    return make_world(page, make_reader)
