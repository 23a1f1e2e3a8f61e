"""From a published comment to the mails about it, in the worker, never in the request.

Posting writes one `FanoutJob` inside its transaction. The worker turns each job into one
`Notification` per interested address (page subscribers, and the subscribers whose comment
was answered), then mails each address at most once per page per window: the first
notification goes out at once, later ones wait and leave together as a digest.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from rejoinder.comments.events import CommentPublished
from rejoinder.comments.markdown import mentioned
from rejoinder.comments.mentions import known_names
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.subscriptions.mail import send_notification
from rejoinder.subscriptions.models import FanoutJob, Notification, Subscription, SubscriptionKind

JOBS_PER_PASS = 20
_HAS_SUBSCRIBERS = (
    f"SELECT 1 FROM {Subscription._meta.db_table} WHERE page_id = %s"  # noqa: S608
    " AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL LIMIT 1"
)
ADDRESSES_PER_PASS = 500


def record_fanout_job(event: CommentPublished) -> None:
    """Remember, inside the comment's own transaction, that its notifications are due.

    Most pages have no subscriber: one indexed look-up spares them the job row, and the
    worker the write that would delete it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_HAS_SUBSCRIBERS, [event.page_id])
        if cursor.fetchone() is None:
            return
    FanoutJob.objects.create(comment_id=event.comment_id)


def _active_subscriptions() -> Q:
    return Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def expand_jobs(*, now: datetime | None = None) -> int:
    """Turn pending fan-out jobs into notifications; return how many jobs were handled."""
    now = now or timezone.now()
    jobs = list(FanoutJob.objects.select_related("comment__author").order_by("pk")[:JOBS_PER_PASS])
    for job in jobs:
        with transaction.atomic():
            comment = job.comment
            if comment.status == CommentStatus.PUBLISHED:
                _notify_about(comment, now=now)
            FanoutJob.objects.filter(pk=job.pk).delete()
    return len(jobs)


def _notify_about(comment: Comment, *, now: datetime) -> None:
    author = comment.author
    wanted = Q(kind=SubscriptionKind.PAGE)
    answered_id = comment.reply_to_id or comment.parent_id
    if answered_id:
        answered_author = (
            Comment.objects.filter(pk=answered_id)
            .values_list("author__reader_key", flat=True)
            .first()
        )
        if answered_author and answered_author != author.reader_key:
            wanted |= Q(kind=SubscriptionKind.REPLIES, reader_key=answered_author)
    if "@" in comment.body:  # a mention reaches those who asked for replies, as a reply would
        named = [k.commenter_id for k in mentioned(comment.body, known_names(comment.page_id))]
        keys = Commenter.objects.filter(pk__in=named).values_list("reader_key", flat=True)
        wanted |= Q(kind=SubscriptionKind.REPLIES, reader_key__in=list(keys))
    subscriptions = (
        Subscription.objects.filter(_active_subscriptions(), wanted, page_id=comment.page_id)
        .exclude(reader_key=author.reader_key)
        .order_by("kind")  # "page" before "replies": a reply to you says so
        .values_list("pk", "email", "kind")
    )
    own_address = author.email.lower()
    chosen: dict[str, int] = {}
    for pk, email, _kind in subscriptions.iterator():
        if email.lower() != own_address:
            chosen[email.lower()] = pk
    Notification.objects.bulk_create(
        [
            Notification(
                email=email,
                page_id=comment.page_id,
                comment=comment,
                subscription_id=pk,
                created_at=now,
            )
            for email, pk in chosen.items()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def mail_due(*, now: datetime | None = None) -> int:
    """Mail each address with pending notifications whose page window has passed; return mails queued."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.REJOINDER["NOTIFY_WINDOW_SECONDS"])
    pending = list(
        Notification.objects.filter(mailed_at__isnull=True)
        .values_list("email", "page_id")
        .distinct()
        .order_by("email", "page_id")[:ADDRESSES_PER_PASS]
    )
    if not pending:
        return 0
    emails = {email for email, _ in pending}
    pages = {page for _, page in pending}
    last_mailed = {
        (row["email"], row["page_id"]): row["last"]
        for row in Notification.objects.filter(
            mailed_at__isnull=False, email__in=emails, page_id__in=pages
        )
        .values("email", "page_id")
        .annotate(last=Max("mailed_at"))
    }
    due = [key for key in pending if (last := last_mailed.get(key)) is None or now - last >= window]
    queued = 0
    for email, page_id in due:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update()
                .filter(email=email, page_id=page_id, mailed_at__isnull=True)
                .select_related("comment", "subscription__page__site")
                .order_by("comment__created_at", "comment_id")
            )
            visible = [n for n in batch if n.comment.status == CommentStatus.PUBLISHED]
            active = [n for n in visible if n.subscription.is_active]
            if active:
                replies = [n for n in active if n.subscription.kind == SubscriptionKind.REPLIES]
                subscription = (replies or active)[0].subscription
                send_notification(subscription, [n.comment for n in active], email=email)
                queued += 1
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(mailed_at=now)
    return queued


def deliver_due() -> int:
    """The worker step: expand fan-out jobs, then mail what is due."""
    return expand_jobs() + mail_due()
