"""The live event log: one event per change a reader may see, written after commit."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import change_status, delete_comment, edit_comment, post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.live import store
from rejoinder.live.models import LiveEvent
from rejoinder.moderation.models import settings_for
from rejoinder.pages.models import Page
from rejoinder.ratings.rating import rate_page

# Real commits, so that the after-commit listeners run as they do in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _events(page: Page) -> list[tuple[str, dict[str, Any]]]:
    rows = LiveEvent.objects.filter(channel=f"page:{page.pk}").order_by("id")
    return [(row.kind, json.loads(row.data)) for row in rows]


def _post(page: Page, author: Commenter, body: str = "Fair point.", **kw: Any) -> Comment:
    with transaction.atomic():  # the test's own transaction stands in for the request's
        return post_comment(page=page, author=author, name="Ana", body=body, **kw)


def test_a_published_comment_is_one_event_with_its_public_markup_and_the_counts(
    page: Page, reader: Commenter
) -> None:
    comment = _post(page, reader, "The **budget** vote", email="ana@example.org")
    [(kind, data)] = _events(page)
    assert kind == "comment"
    assert data["id"] == comment.pk
    assert data["parent"] is None
    assert f'id="comment-{comment.pk}"' in data["html"]
    assert "<strong>budget</strong>" in data["html"]
    assert data["counts"]["comments"] == 1
    assert data["version"] == Page.objects.get(pk=page.pk).version
    # Rendered for nobody in particular: no Edit or Delete link, no address.
    assert "data-rj-edit" not in data["html"]
    assert "ana@example.org" not in json.dumps(data)


def test_a_reply_names_its_parent(page: Page, make_reader: Callable[[], Commenter]) -> None:
    parent = _post(page, make_reader())
    reply = _post(page, make_reader(), "Agreed", parent_id=parent.pk)
    kind, data = _events(page)[-1]
    assert (kind, data["id"], data["parent"]) == ("comment", reply.pk, parent.pk)
    assert data["counts"]["comments"] == 2


def test_held_comments_make_no_event(page: Page, reader: Commenter) -> None:
    rules = settings_for(page.site)
    rules.mode = "pre"
    rules.save()
    comment = _post(page, reader, "Wait for me")
    assert comment.status == CommentStatus.PENDING
    assert _events(page) == []
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
        change_status(locked, CommentStatus.PUBLISHED)
    [(kind, data)] = _events(page)
    assert (kind, data["id"]) == ("comment", comment.pk)


def test_a_rolled_back_write_leaves_no_event(page: Page, reader: Commenter) -> None:
    def failing_request() -> None:
        with transaction.atomic():
            post_comment(page=page, author=reader, name="Ana", body="Never mind")
            raise RuntimeError("the request failed after the insert")

    with pytest.raises(RuntimeError):
        failing_request()
    assert _events(page) == []


def test_edits_votes_ratings_and_deletions_each_make_one_event(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    author, other = make_reader(), make_reader()
    comment = _post(page, author, "First words")
    edit_comment(comment_id=comment.pk, editor=author, body="Second words")
    vote_on_comment(comment_id=comment.pk, voter=other, value=1, ip_hash="a")
    rate_page(page=page, rater=other, stars=4, ip_hash="a")
    delete_comment(comment_id=comment.pk, requester=author)
    got = _events(page)
    assert [kind for kind, _ in got] == ["comment", "edit", "votes", "rating", "remove"]
    assert "Second words" in got[1][1]["html"]
    assert 'class="rj-count">1<' in got[2][1]["html"]
    assert "4.0" in got[3][1]["counts"]["rating"]
    assert got[4][1] == {
        "id": comment.pk,
        "html": "",
        "counts": {"comments": 0, "rating": got[4][1]["counts"]["rating"]},
        "version": Page.objects.get(pk=page.pk).version,
    }
    versions = [data["version"] for _, data in got]
    assert versions == sorted(versions)
    assert len(set(versions)) == len(versions)


def test_a_deleted_comment_with_replies_becomes_its_placeholder(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    author = make_reader()
    comment = _post(page, author, "Soon gone")
    _post(page, make_reader(), "A reply", parent_id=comment.pk)
    delete_comment(comment_id=comment.pk, requester=author)
    kind, data = _events(page)[-1]
    assert kind == "remove"
    assert "[removed]" in data["html"]
    assert "Soon gone" not in data["html"]


def test_hiding_a_comment_removes_it_and_a_pending_deletion_says_nothing(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    comment = _post(page, make_reader(), "Spam spam")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
        change_status(locked, CommentStatus.SPAM)
    kind, data = _events(page)[-1]
    assert (kind, data["id"], data["html"], data["counts"]["comments"]) == (
        "remove",
        comment.pk,
        "",
        0,
    )
    rules = settings_for(page.site)
    rules.mode = "pre"
    rules.save()
    author = make_reader()
    held = _post(page, author, "Held")
    before = len(_events(page))
    delete_comment(comment_id=held.pk, requester=author)
    assert len(_events(page)) == before


def test_replay_after_an_event_its_channel_only_and_refusals(
    page: Page, make_reader: Callable[[], Commenter], site: Any
) -> None:
    from rejoinder.pages.lookup import ensure_page

    other = ensure_page(site, "/news/other/", title="Other")
    _post(page, make_reader())
    _post(other, make_reader())
    second = _post(page, make_reader())
    channel = store.page_channel(page.pk)
    ids = list(
        LiveEvent.objects.filter(channel=channel).order_by("id").values_list("id", flat=True)
    )
    replayed = store.replay(channel, after_id=ids[0], version=None)
    assert replayed is not None
    assert [json.loads(e.data)["id"] for e in replayed] == [second.pk]
    # By the version a box shows: what came after it.
    shown = json.loads(LiveEvent.objects.get(pk=ids[0]).data)["version"]
    by_version = store.replay(channel, after_id=None, version=shown)
    assert by_version is not None
    assert [e.id for e in by_version] == [ids[1]]
    # An id of another page's event, or one never given: refused.
    other_id = LiveEvent.objects.get(channel=store.page_channel(other.pk)).pk
    with pytest.raises(store.Unknown):
        store.replay(channel, after_id=other_id, version=None)
    with pytest.raises(store.Unknown):
        store.replay(channel, after_id=ids[-1] + 1000, version=None)
    # Older than the log keeps: the client must reload.
    LiveEvent.objects.filter(pk=ids[0]).update(created_at=timezone.now() - timedelta(minutes=11))
    assert store.replay(channel, after_id=ids[0], version=None) is None
    assert store.purge_old_events() == 1
    assert store.replay(channel, after_id=ids[0], version=None) is None
    assert LiveEvent.objects.filter(channel=channel).count() == 1


def test_the_moderators_counts_change_when_a_queue_does_not_with_each_published_comment(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    def site_counts() -> list[dict[str, int]]:
        rows = LiveEvent.objects.filter(channel=f"site:{page.site_id}").order_by("id")
        return [json.loads(row.data)["counts"] for row in rows]

    _post(page, make_reader(), "Published at once")
    assert site_counts() == []  # only `recent` changed: the page's poll brings it
    rules = settings_for(page.site)
    rules.mode = "pre"
    rules.save()
    held = _post(page, make_reader(), "Waits for a moderator")
    assert [c["pending"] for c in site_counts()] == [1]
    with transaction.atomic():
        change_status(Comment.objects.select_for_update().get(pk=held.pk), CommentStatus.PUBLISHED)
    assert [c["pending"] for c in site_counts()] == [1, 0]
