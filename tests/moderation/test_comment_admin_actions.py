"""The comments admin changes statuses as moderation actions: audited, undoable, counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from tests.moderation.conftest import assert_counts_right

from rejoinder.comments.models import Comment
from rejoinder.moderation.models import AuditEntry, SpamLesson
from rejoinder.pages.models import Page


def _act(client: Client, action: str, *comments: Comment) -> Any:
    return client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_removing_from_the_admin_is_audited_and_counted(
    page: Page, post: Callable[..., Comment], django_user_model: Any
) -> None:
    kept, removed = post("Keep me."), post("Remove me.")
    admin = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client = Client()
    client.force_login(admin)

    response = _act(client, "remove", removed)

    assert response.status_code == 200
    removed.refresh_from_db()
    kept.refresh_from_db()
    assert (removed.status, kept.status) == ("removed", "published")
    entry = AuditEntry.objects.get(comment=removed)
    assert (entry.action, entry.previous_status, entry.moderator) == ("remove", "published", admin)
    assert_counts_right(page)


def test_staff_without_the_role_is_told_and_nothing_changes(
    page: Page, post: Callable[..., Comment], django_user_model: Any
) -> None:
    comment = post("Stay as I am.")
    staff = django_user_model.objects.create_user("clerk", "clerk@example.org", "pw", is_staff=True)
    staff.user_permissions.add(*_comment_permissions())
    client = Client()
    client.force_login(staff)

    response = _act(client, "mark_spam", comment)

    comment.refresh_from_db()
    assert comment.status == "published"
    assert not AuditEntry.objects.exists()
    assert "You are not a moderator of this site." in response.content.decode()
    assert_counts_right(page)


def _comment_permissions() -> list[Any]:
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(content_type__app_label="comments"))


def test_approving_from_the_admin_is_audited_and_teaches_the_spam_model(
    page: Page, post: Callable[..., Comment], django_user_model: Any
) -> None:
    held = post("Hold me for a look.")
    Comment.objects.filter(pk=held.pk).update(status="pending")  # as if held for review
    Page.objects.filter(pk=page.pk).update(comment_count=0)
    admin = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client = Client()
    client.force_login(admin)

    _act(client, "approve", held)

    held.refresh_from_db()
    assert held.status == "published"
    entry = AuditEntry.objects.get(comment=held)
    assert (entry.action, entry.previous_status) == ("approve", "pending")
    assert SpamLesson.objects.filter(comment=held, is_spam=False).exists()
    assert_counts_right(page)
