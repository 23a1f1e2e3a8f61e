"""From published comments to notifications and mails, in the worker."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.moderation.actions import moderate
from rejoinder.moderation.models import Mode, ModeratorRole, settings_for
from rejoinder.pages.models import Page
from rejoinder.subscriptions.fanout import expand_jobs, mail_due
from rejoinder.subscriptions.models import FanoutJob, Notification, Subscription
from rejoinder.subscriptions.subscribing import confirm_subscription, subscribe


@pytest.fixture
def subscriber(page: Page, make_reader: Callable[[], Commenter]) -> Callable[..., Subscription]:
    def make(email: str, kind: str = "page", reader: Commenter | None = None) -> Subscription:
        reader = reader or make_reader()
        result = subscribe(
            page=page, email=email, kind=kind, reader_key=reader.reader_key, ip_hash=""
        )
        return confirm_subscription(result.subscription)

    return make


def _post(page: Page, author: Commenter, body: str = "News", **kw: object) -> Comment:
    return post_comment(page=page, author=author, name=kw.pop("name", "Bo"), body=body, **kw)  # type: ignore[arg-type]


def test_posting_records_one_job_whatever_the_number_of_subscribers(
    page: Page,
    subscriber: Callable[..., Subscription],
    reader: Commenter,
    django_assert_max_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        subscriber(f"s{n}@example.org")
    with django_assert_max_num_queries(9):
        _post(page, reader)
    assert FanoutJob.objects.count() == 1
    assert Notification.objects.count() == 0


def test_page_subscribers_are_notified_but_not_the_author(
    page: Page, subscriber: Callable[..., Subscription], make_reader: Callable[[], Commenter]
) -> None:
    author = make_reader()
    subscriber("ana@example.org")
    subscriber("self@example.org", reader=author)
    pending = subscribe(
        page=page,
        email="unconfirmed@example.org",
        kind="page",
        reader_key=make_reader().reader_key,
        ip_hash="",
    )
    assert not pending.subscription.is_active
    _post(page, author)
    assert expand_jobs() == 1
    assert set(Notification.objects.values_list("email", flat=True)) == {"ana@example.org"}
    assert not FanoutJob.objects.exists()


def test_reply_subscribers_hear_only_of_replies_to_their_own_comments(
    page: Page, subscriber: Callable[..., Subscription], make_reader: Callable[[], Commenter]
) -> None:
    ana, bo = make_reader(), make_reader()
    subscriber("ana@example.org", kind="replies", reader=ana)
    subscriber("bo@example.org", kind="replies", reader=bo)
    anas = _post(page, ana, "Mine")
    _post(page, make_reader(), "Unrelated top-level comment")
    _post(page, make_reader(), "Answer to Ana", parent_id=anas.pk)
    expand_jobs()
    assert list(Notification.objects.values_list("email", flat=True)) == ["ana@example.org"]


def test_a_comment_that_is_not_published_notifies_nobody(
    page: Page, subscriber: Callable[..., Subscription], reader: Commenter
) -> None:
    subscriber("ana@example.org")
    comment = _post(page, reader)
    Comment.objects.filter(pk=comment.pk).update(status="spam")
    expand_jobs()
    assert not Notification.objects.exists()


def test_one_mail_at_once_then_a_digest_after_the_window(
    page: Page,
    subscriber: Callable[..., Subscription],
    make_reader: Callable[[], Commenter],
    settings,
) -> None:  # type: ignore[no-untyped-def]
    settings.REJOINDER = {**settings.REJOINDER, "NOTIFY_WINDOW_SECONDS": 600}
    subscriber("ana@example.org")
    start = timezone.now()
    _post(page, make_reader(), "First")
    expand_jobs(now=start)
    assert mail_due(now=start) == 1
    for body in ("Second", "Third"):
        _post(page, make_reader(), body)
    expand_jobs(now=start + timedelta(minutes=1))
    assert mail_due(now=start + timedelta(minutes=2)) == 0  # inside the window: wait
    assert mail_due(now=start + timedelta(minutes=11)) == 1  # one digest of both
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()


def test_an_unsubscribed_address_gets_nothing_more(
    page: Page, subscriber: Callable[..., Subscription], reader: Commenter
) -> None:
    from rejoinder.subscriptions.subscribing import end_subscription

    subscription = subscriber("ana@example.org")
    _post(page, reader)
    expand_jobs()
    end_subscription(subscription)
    assert mail_due() == 0


def test_a_comment_approved_later_notifies_then(
    page: Page,
    subscriber: Callable[..., Subscription],
    reader: Commenter,
    django_user_model: Any,
) -> None:
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=moderator, site=page.site, role="moderator")
    rules = settings_for(page.site)
    rules.mode = Mode.PRE
    rules.save()
    subscriber("ana@example.org")
    comment = _post(page, reader)
    assert comment.status == "pending"  # held for review
    expand_jobs()
    assert not Notification.objects.exists()
    moderate(comment_ids=[comment.pk], action="approve", moderator=moderator)
    page.refresh_from_db()
    assert page.comment_count == 1
    expand_jobs()
    assert list(Notification.objects.values_list("email", flat=True)) == ["ana@example.org"]


def test_a_page_without_active_subscribers_records_no_job(
    page: Page, reader: Commenter, make_reader: Callable[[], Commenter]
) -> None:
    subscribe(
        page=page,
        email="pending@example.org",
        kind="page",
        reader_key=make_reader().reader_key,
        ip_hash="",
    )
    _post(page, reader)
    assert not FanoutJob.objects.exists()
