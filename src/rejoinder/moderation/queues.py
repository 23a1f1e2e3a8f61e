"""What waits for a site's moderators: the queues and everything shown with each comment.

Queues: `pending` (held by the mode or a rule), `flagged` (open reader flags), `spam` (held
by the spam filter) and `recent` (every new comment, for review after publication).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.accounts.models import Identity
from rejoinder.comments.identity import is_signed_in
from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.errors import InvalidInput
from rejoinder.moderation.models import Flag, FlagReason
from rejoinder.moderation.uncounted import not_counted_totals
from rejoinder.pages.models import Page, Site

QUEUES = ("pending", "flagged", "spam", "recent")
# How far back the `recent` queue's count reaches.
RECENT_HOURS = 24


@dataclass(frozen=True)
class CommenterHistory:
    published: int
    removed: int
    spam: int
    first_seen: datetime | None


@dataclass(frozen=True)
class AuthorIdentity:
    """Who is behind a comment: a guest known only by their browser's key, or an account and
    the ways it signs in (`sso`, `email`, `oidc:…`, each with the reader's id there)."""

    guest_key: str  # the start of a guest's key; empty for an account
    sign_ins: tuple[tuple[str, str], ...] = ()
    email_verified: bool | None = None  # None for a guest


@dataclass
class QueueItem:
    comment: Comment
    page: Page
    parent: Comment | None
    quote: str
    history: CommenterHistory
    reasons: list[str] = field(default_factory=list)
    spam_score: float | None = None
    flags: list[tuple[str, int]] = field(default_factory=list)
    identity: AuthorIdentity | None = None


def _identities(rows: list[Comment]) -> dict[int, AuthorIdentity]:
    """The identity behind each author: one query, and none when every author is a guest."""
    identities = {
        c.author_id: AuthorIdentity(guest_key=c.author.reader_key[:8])
        for c in rows
        if not is_signed_in(c.author)
    }
    accounts = {c.author_id for c in rows} - identities.keys()
    if accounts:
        sign_ins: dict[int, list[tuple[str, str]]] = defaultdict(list)
        verified: dict[int, bool] = {}
        for commenter_id, provider, subject, email_verified in (
            Identity.objects.filter(account__commenter_id__in=accounts)
            .order_by("pk")
            .values_list("account__commenter_id", "provider", "subject", "account__email_verified")
        ):
            sign_ins[commenter_id].append((provider, subject))
            verified[commenter_id] = email_verified
        for author_id in accounts:
            identities[author_id] = AuthorIdentity(
                guest_key="",
                sign_ins=tuple(sign_ins.get(author_id, ())),
                email_verified=verified.get(author_id, False),
            )
    return identities


def _open_flags() -> Exists:
    return Exists(Flag.objects.filter(comment=OuterRef("pk"), resolved=False))


def _queue(site: Site, name: str) -> QuerySet[Comment]:
    comments = Comment.objects.filter(page__site=site)
    if name == "pending":
        return comments.filter(
            status=CommentStatus.PENDING, shadowed=False, suspected_spam=False
        ).exclude(_open_flags())
    if name == "spam":
        return comments.filter(status=CommentStatus.PENDING, shadowed=False, suspected_spam=True)
    if name == "flagged":
        return comments.filter(_open_flags())
    if name == "recent":
        return comments
    raise InvalidInput(
        _("Unknown queue %(name)s; the queues are %(all)s.")
        % {"name": name, "all": ", ".join(QUEUES)},
        field="queue",
    )


def queue_counts(site: Site) -> dict[str, int]:
    """Return how many comments each queue holds (`recent`: the last 24 hours). Three queries."""
    held = Comment.objects.filter(
        page__site=site, status=CommentStatus.PENDING, shadowed=False
    ).aggregate(
        pending=Count("pk", filter=Q(suspected_spam=False) & ~Q(_open_flags())),
        spam=Count("pk", filter=Q(suspected_spam=True)),
    )
    flagged = (
        Flag.objects.filter(resolved=False, comment__page__site=site)
        .values("comment_id")
        .distinct()
        .count()
    )
    since = timezone.now() - timedelta(hours=RECENT_HOURS)
    recent = Comment.objects.filter(page__site=site, created_at__gte=since).count()
    return {
        "pending": held["pending"],
        "flagged": flagged,
        "spam": held["spam"],
        "recent": recent,
    }


def quote_of(comment: Comment) -> str:
    """Return the passage an inline comment is about, or "" for ordinary comments."""
    anchor = getattr(comment, "anchor", None)  # the inline app's Anchor, when there is one
    return anchor.exact if anchor is not None else ""


def read_queue(
    site: Site, name: str, *, limit: int = 50, before_id: int | None = None
) -> list[QueueItem]:
    """Return a queue's comments, newest first, with their context. Four queries, and one more
    when an author has an account (how it signs in).

    `before_id` continues after the last item of the previous call. The caller checks that
    the reader of the queue moderates `site`.
    """
    limit = max(1, min(limit, 200))
    comments = _queue(site, name).select_related("page", "parent", "author", "anchor")
    if before_id is not None:
        comments = comments.filter(pk__lt=before_id)
    rows = list(comments.order_by("-pk")[:limit])
    if not rows:
        return []
    author_ids = {c.author_id for c in rows}
    history = {
        row["author_id"]: row
        for row in Comment.objects.filter(author_id__in=author_ids, page__site=site)
        .values("author_id")
        .annotate(
            published=Count("pk", filter=Q(status=CommentStatus.PUBLISHED)),
            removed=Count("pk", filter=Q(status=CommentStatus.REMOVED)),
            spam=Count("pk", filter=Q(status=CommentStatus.SPAM)),
        )
    }
    flags: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in (
        Flag.objects.filter(comment_id__in=[c.pk for c in rows], resolved=False)
        .values("comment_id", "reason")
        .annotate(n=Count("pk"))
        .order_by("comment_id", "-n", "reason")
    ):
        flags[row["comment_id"]].append((row["reason"], row["n"]))
    identities = _identities(rows)
    votes_refused, ratings_refused = not_counted_totals(
        [c.pk for c in rows], list({c.page_id for c in rows})
    )
    items = []
    for comment in rows:
        counts = history.get(comment.author_id, {})
        reasons = [
            r.get("text", "") for r in comment.moderation_reasons or [] if isinstance(r, dict)
        ]
        for reason, n in flags.get(comment.pk, []):
            reasons.append(
                ngettext(
                    "Flagged as %(reason)s by %(n)d reader.",
                    "Flagged as %(reason)s by %(n)d readers.",
                    n,
                )
                % {"reason": FlagReason(reason).label, "n": n}
            )
        reasons += _not_counted_reasons(
            votes_refused.get(comment.pk, 0), ratings_refused.get(comment.page_id, 0)
        )
        items.append(
            QueueItem(
                comment=comment,
                page=comment.page,
                parent=comment.parent,
                quote=quote_of(comment),
                history=CommenterHistory(
                    published=counts.get("published", 0),
                    removed=counts.get("removed", 0),
                    spam=counts.get("spam", 0),
                    first_seen=comment.author.created_at,
                ),
                reasons=reasons,
                spam_score=comment.spam_score,
                flags=flags.get(comment.pk, []),
                identity=identities.get(comment.author_id),
            )
        )
    return items


def _not_counted_reasons(votes: int, ratings: int) -> list[str]:
    """Say how many votes on the comment, and ratings of its page, were refused."""
    reasons = []
    if votes:
        reasons.append(
            ngettext(
                "%(n)d vote on it was not counted: more came from one network address "
                "than the site counts.",
                "%(n)d votes on it were not counted: more came from one network address "
                "than the site counts.",
                votes,
            )
            % {"n": votes}
        )
    if ratings:
        reasons.append(
            ngettext(
                "%(n)d rating of its page was not counted: more came from one network "
                "address than the site counts.",
                "%(n)d ratings of its page were not counted: more came from one network "
                "address than the site counts.",
                ratings,
            )
            % {"n": ratings}
        )
    return reasons
