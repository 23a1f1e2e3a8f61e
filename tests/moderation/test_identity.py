"""The moderation page says who is behind each comment: a guest's key, or an account with the
ways it signs in and whether its email is verified."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from tests.moderation.test_views import mod_client  # noqa: F401 - fixture

from rejoinder.accounts.signing_in import Profile, sign_in
from rejoinder.comments.models import Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.moderation.queues import read_queue
from rejoinder.pages.models import Page, Site


def test_the_queue_names_a_guests_key_and_an_accounts_sign_in_and_verification(
    site: Site,
    page: Page,
    make_reader: Callable[[], Commenter],
    mod_client: Client,  # noqa: F811 - the fixture imported above
    django_assert_max_num_queries: Any,
) -> None:
    guest = make_reader()
    post_comment(page=page, author=guest, name="Gus", body="As a guest.")
    tess = sign_in(
        site=site,
        provider="sso",
        subject="user-42",
        profile=Profile(name="Tess", email="tess@example.org", email_verified=True),
    ).account
    post_comment(page=page, author=tess.commenter, name="Tess", body="Signed in.")

    by_name = {item.comment.author_name: item.identity for item in read_queue(site, "recent")}
    assert by_name["Gus"] is not None
    assert by_name["Gus"].guest_key == guest.reader_key[:8]
    assert by_name["Tess"] is not None
    assert by_name["Tess"].sign_ins == (("sso", "user-42"),)
    assert by_name["Tess"].email_verified is True

    html = mod_client.get(f"/moderation/{site.pk}/queue/recent/").content.decode()
    assert f"Guest · key {guest.reader_key[:8]}…" in html
    assert "Account · <bdi>sso: user-42</bdi> · email verified" in html


def test_a_queue_of_guests_costs_no_query_for_identities(
    site: Site, page: Page, make_reader: Callable[[], Commenter], django_assert_num_queries: Any
) -> None:
    post_comment(page=page, author=make_reader(), name="Gus", body="As a guest.")
    with django_assert_num_queries(4):
        read_queue(site, "recent")
