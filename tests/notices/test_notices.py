"""Notices: a reply to one's comment or a mention of one's name, once the comment is visible;
none for held, spam or shadowed comments; gone with a removed comment; read or unread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import delete_comment, post_comment
from rejoinder.moderation.actions import ban_commenter, moderate
from rejoinder.moderation.models import ModeratorRole, settings_for
from rejoinder.notices.models import Notice, NoticeKind
from rejoinder.notices.reading import mark_all_read, notices_of, unread_count
from rejoinder.pages.models import Page

# Real commits, so that the after-commit listener runs as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _post(page: Page, author: Commenter, name: str, body: str, **kw: Any) -> Comment:
    with transaction.atomic():  # the test's own transaction stands in for the request's
        return post_comment(page=page, author=author, name=name, body=body, **kw)


@pytest.fixture
def moderator(page: Page, django_user_model: Any) -> Any:
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=user, site=page.site, role="moderator")
    return user


def _kinds(reader: Commenter) -> list[tuple[str, int]]:
    return [(n.kind, n.comment_id) for n in Notice.objects.filter(recipient=reader).order_by("pk")]


def test_a_reply_tells_the_author_it_answers_but_not_oneself(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    ana, bo = make_reader(), make_reader()
    first = _post(page, ana, "Ana", "The budget is late.")
    reply = _post(page, bo, "Bo", "It is.", parent_id=first.pk)
    _post(page, ana, "Ana", "Thanks.", parent_id=reply.pk)
    own = _post(page, ana, "Ana", "And one more thing.", parent_id=first.pk)
    assert _kinds(ana) == [(NoticeKind.REPLY, reply.pk)]
    assert own.pk not in [n.comment_id for n in Notice.objects.all()]
    assert unread_count(ana) == 1


def test_a_mention_tells_the_named_reader_once(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    ana, lima, bo = make_reader(), make_reader(), make_reader()
    _post(page, ana, "Ana", "First.")
    _post(page, lima, "Ana Lima", "Second.")
    mention = _post(page, bo, "Bo", 'Both @Ana and @"Ana Lima" — @ana again, @Bo myself.')
    assert _kinds(ana) == [(NoticeKind.MENTION, mention.pk)]
    assert _kinds(lima) == [(NoticeKind.MENTION, mention.pk)]
    assert _kinds(bo) == []


def test_a_reply_that_also_mentions_is_one_reply_notice(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    ana, bo = make_reader(), make_reader()
    first = _post(page, ana, "Ana", "First.")
    reply = _post(page, bo, "Bo", "@Ana quite right.", parent_id=first.pk)
    assert _kinds(ana) == [(NoticeKind.REPLY, reply.pk)]


@pytest.mark.parametrize(
    ("action", "status", "told"),
    [("approve", CommentStatus.PUBLISHED, True), ("spam", CommentStatus.SPAM, False)],
)
def test_a_held_comment_tells_nobody_until_approved(
    page: Page,
    make_reader: Callable[[], Commenter],
    moderator: Any,
    action: str,
    status: CommentStatus,
    told: bool,
) -> None:
    ana, bo = make_reader(), make_reader()
    first = _post(page, ana, "Ana", "First.")
    rules = settings_for(page.site)
    rules.mode = "pre"
    rules.save()
    held = _post(page, bo, "Bo", "@Ana I disagree.", parent_id=first.pk)
    assert held.status == CommentStatus.PENDING
    assert _kinds(ana) == []
    with transaction.atomic():
        moderate(comment_ids=[held.pk], action=action, moderator=moderator)
    assert Comment.objects.get(pk=held.pk).status == status
    assert _kinds(ana) == ([(NoticeKind.REPLY, held.pk)] if told else [])


def test_a_shadowed_comment_tells_nobody(
    page: Page, make_reader: Callable[[], Commenter], moderator: Any
) -> None:
    ana, bo = make_reader(), make_reader()
    first = _post(page, ana, "Ana", "First.")
    earlier = _post(page, bo, "Bo", "Hello.")
    with transaction.atomic():
        ban_commenter(comment_id=earlier.pk, moderator=moderator, duration=None, shadow=True)
    shadowed = _post(page, bo, "Bo", "@Ana psst.", parent_id=first.pk)
    assert shadowed.shadowed
    assert _kinds(ana) == []


def test_a_removed_or_deleted_comment_takes_its_notices_along(
    page: Page, make_reader: Callable[[], Commenter], moderator: Any
) -> None:
    ana, bo = make_reader(), make_reader()
    first = _post(page, ana, "Ana", "First.")
    removed = _post(page, bo, "Bo", "Rude.", parent_id=first.pk)
    deleted = _post(page, bo, "Bo", "@Ana oops.")
    assert len(_kinds(ana)) == 2
    with transaction.atomic():
        moderate(comment_ids=[removed.pk], action="remove", moderator=moderator)
    assert _kinds(ana) == [(NoticeKind.MENTION, deleted.pk)]
    with transaction.atomic():
        delete_comment(comment_id=deleted.pk, requester=bo)
    assert _kinds(ana) == []
    assert unread_count(ana) == 0


def test_mark_all_read_clears_the_count_and_keeps_the_list(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    ana, bo = make_reader(), make_reader()
    first = _post(page, ana, "Ana", "First.")
    replies = [_post(page, bo, "Bo", f"Reply {i}.", parent_id=first.pk) for i in range(3)]
    assert unread_count(ana) == 3
    newest_shown = Notice.objects.get(comment=replies[1]).pk
    assert mark_all_read(ana, up_to=newest_shown) == 2
    assert unread_count(ana) == 1
    assert mark_all_read(ana) == 1
    assert unread_count(ana) == 0
    listed, more = notices_of(ana, size=2)
    assert [n.comment_id for n in listed] == [replies[2].pk, replies[1].pk]
    assert more
