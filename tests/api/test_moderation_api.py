"""The flag endpoint for readers and the moderation API for signed-in moderators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from tests.conftest import ApiClient

from rejoinder.comments.models import Comment
from rejoinder.moderation.models import Flag, ModeratorRole, settings_for
from rejoinder.pages.models import Page, Site

CSRF = "a" * 32


@pytest.fixture
def moderator(site: Site, django_user_model: Any) -> Any:
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=user, site=site)
    return user


def _signed_in(user: Any, *, csrf: str | None = CSRF) -> ApiClient:
    """A client signed in as `user` whose Django client enforces CSRF like a browser."""
    api = ApiClient()
    api.client = Client(enforce_csrf_checks=True)
    api.client.force_login(user)
    api.client.cookies["csrftoken"] = CSRF
    if csrf is not None:
        api.client.defaults["HTTP_X_CSRFTOKEN"] = csrf
    return api


def _comment(page: Page, make_api: Callable[[], ApiClient], body: str = "A fair point.") -> int:
    return make_api().post_comment(page.uri, body).json()["comment"]["id"]


def test_a_reader_flags_a_comment_once(page: Page, make_api: Callable[[], ApiClient]) -> None:
    comment_id = _comment(page, make_api)
    reader = make_api()
    answer = reader.post(f"/comments/{comment_id}/flag", {"reason": "abuse", "note": "rude"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["reason"] == "abuse"
    assert reader.token
    again = reader.post(f"/comments/{comment_id}/flag", {"reason": "spam"})
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already flagged this comment."
    bad = make_api().post(f"/comments/{comment_id}/flag", {"reason": "boring"})
    assert bad.status_code == 422
    missing = make_api().post("/comments/999999/flag", {"reason": "spam"})
    assert missing.status_code == 404
    assert Flag.objects.count() == 1


def test_flags_from_enough_readers_hide_the_comment_from_the_thread(
    page: Page, make_api: Callable[[], ApiClient], site: Site
) -> None:
    rules = settings_for(site)
    rules.flags_to_hide = 2
    rules.save()
    comment_id = _comment(page, make_api)
    # The test client always comes from 127.0.0.1: many readers, one IP, count once.
    for _ in range(3):
        assert (
            make_api().post(f"/comments/{comment_id}/flag", {"reason": "spam"}).status_code == 201
        )
    assert Comment.objects.get(pk=comment_id).status == "published"
    other_ip = make_api().post(
        f"/comments/{comment_id}/flag", {"reason": "spam"}, REMOTE_ADDR="127.0.0.2"
    )
    assert other_ip.status_code == 201
    thread = make_api().get(f"/threads?uri={page.uri}").json()
    assert thread["comments"] == []
    assert thread["page"]["comment_count"] == 0


def test_moderation_needs_a_session_and_the_role(
    page: Page, make_api: Callable[[], ApiClient], site: Site, django_user_model: Any
) -> None:
    comment_id = _comment(page, make_api)
    anonymous = make_api()
    assert anonymous.get(f"/moderation/sites/{site.pk}/counts").status_code == 401
    assert (
        anonymous.post(
            "/moderation/actions", {"comment_ids": [comment_id], "action": "remove"}
        ).status_code
        == 401
    )
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    signed_in = _signed_in(reader)
    assert signed_in.get(f"/moderation/sites/{site.pk}/counts").status_code == 403
    assert signed_in.get(f"/moderation/sites/{site.pk}/queues/recent").status_code == 403
    refused = signed_in.post(
        "/moderation/actions", {"comment_ids": [comment_id], "action": "remove"}
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You are not a moderator of this site."
    assert signed_in.get("/moderation/sites").json() == []
    assert Comment.objects.get(pk=comment_id).status == "published"


def test_a_write_without_the_csrf_token_is_refused(
    page: Page, make_api: Callable[[], ApiClient], moderator: Any
) -> None:
    comment_id = _comment(page, make_api)
    for csrf in (None, "b" * 32):
        forged = _signed_in(moderator, csrf=csrf)
        answer = forged.post(
            "/moderation/actions", {"comment_ids": [comment_id], "action": "remove"}
        )
        assert answer.status_code == 403
    assert Comment.objects.get(pk=comment_id).status == "published"


def test_a_moderator_reads_queues_acts_bans_and_undoes(
    page: Page, make_api: Callable[[], ApiClient], moderator: Any, site: Site
) -> None:
    rules = settings_for(site)
    rules.mode = "pre"
    rules.save()
    author = make_api()
    held = author.post_comment(page.uri, "Waiting for a look.", email="ana@example.org").json()[
        "comment"
    ]
    assert held["status"] == "pending"
    mod = _signed_in(moderator)
    assert mod.get(f"/moderation/sites/{site.pk}/counts").json()["pending"] == 1
    assert mod.get("/moderation/sites").json()[0]["counts"]["pending"] == 1
    queue = mod.get(f"/moderation/sites/{site.pk}/queues/pending").json()
    (item,) = queue["items"]
    assert item["comment"]["id"] == held["id"]
    assert item["reasons"] == ["Every comment here waits for a moderator."]
    assert "ana@example.org" not in str(queue)
    assert "ip_hash" not in str(queue)

    acted = mod.post("/moderation/actions", {"comment_ids": [held["id"]], "action": "approve"})
    assert acted.status_code == 200, acted.content
    (entry,) = acted.json()["entries"]
    assert (entry["previous_status"], entry["new_status"]) == ("pending", "published")
    assert make_api().get(f"/threads?uri={page.uri}").json()["page"]["comment_count"] == 1

    undone = mod.post(f"/moderation/audit/{entry['id']}/undo", {})
    assert undone.status_code == 200
    assert undone.json()["action"] == "undo"
    assert make_api().get(f"/threads?uri={page.uri}").json()["page"]["comment_count"] == 0
    log = mod.get(f"/moderation/sites/{site.pk}/audit").json()["entries"]
    assert [e["action"] for e in log] == ["undo", "approve"]
    assert log[1]["undone_by"] == log[0]["id"]

    banned = mod.post(
        "/moderation/bans",
        {"comment_id": held["id"], "duration_hours": 24, "reason": "trolling"},
    )
    assert banned.status_code == 201, banned.content
    ban = banned.json()
    assert ban["by_email"]
    assert not ban["by_ip"]
    assert ban["until"]
    refused = author.post_comment(page.uri, "Me again.", name="Another Name")
    assert refused.status_code == 403
    assert "cannot comment on this site until" in refused.json()["detail"]
    assert len(mod.get(f"/moderation/sites/{site.pk}/bans").json()) == 1
    lifted = mod.post(f"/moderation/bans/{ban['id']}/lift", {})
    assert lifted.status_code == 200
    assert lifted.json()["lifted"]
    assert author.post_comment(page.uri, "Me again.").status_code == 201


def test_a_banned_word_is_refused_with_a_clear_message(
    page: Page, make_api: Callable[[], ApiClient], site: Site
) -> None:
    rules = settings_for(site)
    rules.banned_words = "idiot"
    rules.save()
    answer = make_api().post_comment(page.uri, "What an 1D10T.")
    assert answer.status_code == 422
    assert answer.json()["field"] == "body"
    assert '"idiot"' in answer.json()["detail"]


def test_a_shadow_banned_author_is_answered_as_if_published_and_nobody_else_sees_it(
    page: Page, make_api: Callable[[], ApiClient], moderator: Any
) -> None:
    author = make_api()
    first = author.post_comment(page.uri, "First.").json()["comment"]
    mod = _signed_in(moderator)
    assert (
        mod.post("/moderation/bans", {"comment_id": first["id"], "shadow": True}).status_code == 201
    )
    answer = author.post_comment(page.uri, "Into the void.", name="Someone Else")
    assert answer.status_code == 201
    assert answer.json()["comment"]["status"] == "published"
    shadowed = Comment.objects.get(pk=answer.json()["comment"]["id"])
    assert (shadowed.status, shadowed.shadowed) == ("pending", True)
    thread = make_api().get(f"/threads?uri={page.uri}").json()
    assert [c["id"] for c in thread["comments"]] == [first["id"]]
    assert thread["page"]["comment_count"] == 1
    assert mod.get(f"/moderation/sites/{page.site_id}/counts").json()["pending"] == 0


def test_a_reader_reads_their_own_held_comments_apart_and_nobody_else_does(
    page: Page, make_api: Callable[[], ApiClient]
) -> None:
    rules = settings_for(page.site)
    rules.mode = "pre"
    rules.save()
    author, other = make_api(), make_api()
    held = author.post_comment(page.uri, "Waiting for a moderator.").json()["comment"]
    theirs_held = other.post_comment(page.uri, "Me too.").json()["comment"]
    assert held["status"] == theirs_held["status"] == "pending"

    mine = author.get(f"/threads?uri={page.uri}").json()
    theirs = other.get(f"/threads?uri={page.uri}").json()
    anonymous = make_api().get(f"/threads?uri={page.uri}").json()

    assert mine["comments"] == theirs["comments"] == anonymous["comments"] == []
    assert [(c["id"], c["status"], c["mine"]) for c in mine["mine_unpublished"]] == [
        (held["id"], "pending", True)
    ]
    assert [c["id"] for c in theirs["mine_unpublished"]] == [theirs_held["id"]]
    assert anonymous.get("mine_unpublished") is None
