"""Moderators see how many votes and ratings were refused because one address gave too many."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.voting import vote_on_comment
from rejoinder.errors import Conflict
from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import Page, Site
from rejoinder.ratings.rating import rate_page

Post = Callable[..., Comment]


@pytest.fixture
def mod_client(moderator: Any) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


def _stuff_votes(comment: Comment, make_reader: Callable[[], Commenter], n: int) -> None:
    for _ in range(n):
        with contextlib.suppress(Conflict):
            vote_on_comment(comment_id=comment.pk, voter=make_reader(), value=1, ip_hash="h")


def _stuff_ratings(page: Page, make_reader: Callable[[], Commenter], n: int) -> None:
    for _ in range(n):
        with contextlib.suppress(Conflict):
            rate_page(page=page, rater=make_reader(), stars=5, ip_hash="h")


def test_the_queue_says_how_many_votes_on_a_comment_and_ratings_of_its_page_were_refused(
    mod_client: Client, post: Post, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    stuffed, plain = post("Vote me up."), post("Nothing odd here.")
    _stuff_votes(stuffed, make_reader, 5 + 37)
    _stuff_ratings(page, make_reader, 5 + 12)

    html = mod_client.get(f"/moderation/{page.site_id}/queue/recent/").content.decode()

    stuffed_item = html[html.index(f'id="mod-item-{stuffed.pk}"') :]
    stuffed_item = stuffed_item[: stuffed_item.index("</li>\n")]
    assert "37 votes on it were not counted" in stuffed_item
    assert "12 ratings of its page were not counted" in stuffed_item
    plain_item = html[html.index(f'id="mod-item-{plain.pk}"') :]
    plain_item = plain_item[: plain_item.index("</li>\n")]
    assert "votes on it were not counted" not in plain_item
    assert "12 ratings of its page were not counted" in plain_item


def test_the_not_counted_page_lists_refusals_of_the_moderators_site_only(
    mod_client: Client,
    post: Post,
    page: Page,
    site: Site,
    make_reader: Callable[[], Commenter],
) -> None:
    stuffed = post("Vote me up.", name="Bea")
    _stuff_votes(stuffed, make_reader, 5 + 3)
    quiet = ensure_page(site, "/news/quiet/", title="A page nobody comments on")
    _stuff_ratings(quiet, make_reader, 5 + 4)
    other_site = Site.objects.create(name="Other paper")
    elsewhere = ensure_page(other_site, "/other/", title="Somewhere else")
    _stuff_ratings(elsewhere, make_reader, 5 + 9)

    response = mod_client.get(f"/moderation/{site.pk}/not-counted/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Votes on the comment by <bdi>Bea</bdi>" in html
    assert "<td>3</td>" in html
    assert "A page nobody comments on" in html
    assert "<td>4</td>" in html
    assert "Somewhere else" not in html
    assert 'aria-current="page">Votes not counted' in html
    assert mod_client.get(f"/moderation/{other_site.pk}/not-counted/").status_code == 403
