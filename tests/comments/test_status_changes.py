"""Status changes keep the page's count and version right and tell the listeners."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from rejoinder.comments import events
from rejoinder.comments.events import CommentHidden, CommentPublished, on
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import change_status, post_comment
from rejoinder.pages.models import Page


@pytest.fixture
def heard() -> Iterator[list[object]]:
    got: list[object] = []
    on(CommentPublished, got.append, within_transaction=True)
    on(CommentHidden, got.append, within_transaction=True)
    yield got
    events._within[CommentPublished].remove(got.append)
    events._within[CommentHidden].remove(got.append)


def _change(comment: Comment, status: CommentStatus) -> CommentStatus:
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
        return change_status(locked, status)


def test_hiding_and_showing_again_move_the_count_bump_the_version_and_are_heard(
    page: Page, reader: Commenter, heard: list[object]
) -> None:
    comment = post_comment(page=page, author=reader, name="Ana", body="Hello", moderated=False)
    heard.clear()
    version = Page.objects.get(pk=page.pk).version
    assert _change(comment, CommentStatus.REMOVED) == CommentStatus.PUBLISHED
    page.refresh_from_db()
    assert page.comment_count == 0
    assert page.version > version
    assert heard == [CommentHidden(comment_id=comment.pk, page_id=page.pk, status="removed")]
    assert _change(comment, CommentStatus.SPAM) == CommentStatus.REMOVED
    page.refresh_from_db()
    assert page.comment_count == 0
    assert len(heard) == 1  # it was hidden already
    _change(comment, CommentStatus.PUBLISHED)
    page.refresh_from_db()
    assert page.comment_count == 1
    assert heard[-1] == CommentPublished(comment_id=comment.pk, page_id=page.pk)


def test_a_comment_that_leaves_pending_is_no_longer_shadowed(page: Page, reader: Commenter) -> None:
    comment = post_comment(page=page, author=reader, name="Ana", body="Hello", moderated=False)
    Comment.objects.filter(pk=comment.pk).update(status="pending", shadowed=True)
    page.bump(comment_count=-1)
    comment.refresh_from_db()
    _change(comment, CommentStatus.PUBLISHED)
    comment.refresh_from_db()
    assert (comment.status, comment.shadowed) == ("published", False)
    page.refresh_from_db()
    assert page.comment_count == 1
