"""Erasing a reader's data: the reader's own "delete my account", or the publisher's for an address."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rejoinder.comments.erasure import erase_author
from rejoinder.moderation.learning import NONE, teach
from rejoinder.moderation.models import SpamLesson
from rejoinder.outbox.models import MailSuppression, OutboxMail
from rejoinder.privacy import collection
from rejoinder.privacy.collection import Erased, ReaderScope
from rejoinder.privacy.models import CommentsChoice, ErasureLog, RequestedBy


def erase_reader_data(
    *, scope: ReaderScope, comments: CommentsChoice, staff_user: Any = None
) -> ErasureLog:
    """Erase everything `scope` finds, in one transaction, and log it (counts only).

    `comments`: REMOVE takes the comments away (a comment others replied to stays as the
    placeholder a deletion leaves), KEEP leaves them under "[deleted]". Votes and ratings
    stop naming the reader; the tallies and averages they were counted in stay. Bans stay:
    they keep an abuser out, whatever they ask (docs/privacy.md). `staff_user` is whoever
    erased an address from the admin; None when readers erased themselves.
    """
    keep = comments == CommentsChoice.KEEP
    counts: dict[str, int] = {}
    with transaction.atomic():
        # Found before the comments go: mail to others quoting them, and what it links to.
        about = set(collection.mail_about(scope))
        comment_ids = frozenset(collection.comments_of(scope).values_list("pk", flat=True))
        commenters = list(collection.commenters_of(scope).select_for_update())
        page_ids: set[int] = set()
        if not keep:
            # What the site's spam filter learned from the comments is taken back, as a
            # moderator's reversed decision is, rather than left in its counts.
            lessons = SpamLesson.objects.filter(comment__author_id__in=scope.commenter_ids)
            counts["spam_lessons"] = 0
            for lesson in lessons.select_related("comment"):
                teach(lesson.comment, lesson.site_id, NONE)
                counts["spam_lessons"] += 1
        counts["ratings"], _ = collection.ratings_of(scope).delete()
        counts["flags"], _ = collection.flags_of(scope).delete()
        mail = set(collection.mail_to(scope).values_list("pk", flat=True)) | about
        counts["mail"], _ = OutboxMail.objects.filter(pk__in=mail).delete()
        counts["notifications"], _ = collection.notifications_of(scope).delete()
        counts["subscriptions"], _ = collection.subscriptions_of(scope).delete()
        counts["confirmed_addresses"], _ = collection.confirmed_addresses_of(scope).delete()
        counts["suppressed_addresses"], _ = MailSuppression.objects.filter(
            address__in=scope.emails
        ).delete()
        counts["rate_counters"], _ = collection.rate_counters_of(scope).delete()
        for commenter in commenters:
            done = erase_author(commenter, keep_comments=keep)
            page_ids |= done.page_ids
            for name in ("comments_removed", "placeholders", "comments_kept", "votes"):
                counts[name] = counts.get(name, 0) + getattr(done, name)
            counts["replies_renamed"] = counts.get("replies_renamed", 0) + done.replies_renamed
        counts["readers"] = len(commenters)
        for store in collection.registered_stores():
            if store.erase is not None:
                changed = Erased(page_ids=frozenset(page_ids), comment_ids=comment_ids)
                counts[store.name] = store.erase(scope, changed)
        return ErasureLog.objects.create(
            requested_by=RequestedBy.STAFF if staff_user is not None else RequestedBy.READER,
            staff_user=staff_user,
            staff_username=staff_user.get_username() if staff_user is not None else "",
            comments=comments,
            counts=dict(sorted(counts.items())),
        )
