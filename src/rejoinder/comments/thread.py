"""Reading a discussion: one window of top-level comments with all their replies.

Two queries whatever the size: the window of top-level comments, then every reply under
them (by `root`), assembled into a tree in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.errors import InvalidInput
from rejoinder.pages.models import CommentSort, Page

VISIBLE = (CommentStatus.PUBLISHED, CommentStatus.REMOVED)
ORDERINGS = {
    CommentSort.NEWEST: ("-created_at", "-id"),
    CommentSort.OLDEST: ("created_at", "id"),
    CommentSort.BEST: ("-score", "-created_at", "-id"),
}


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)


@dataclass
class ThreadWindow:
    page: Page
    sort: CommentSort
    page_number: int
    page_size: int | None
    has_next: bool
    nodes: list[ThreadNode]
    next_cursor: str | None = None

    def comments(self) -> list[Comment]:
        """Return every comment in the window, depth first."""
        return [node.comment for node in self.all_nodes()]

    def all_nodes(self) -> list[ThreadNode]:
        """Return every node in the window, depth first."""
        out: list[ThreadNode] = []
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.replies))
        return out

    def place_own_replies(self, own: list[Comment]) -> None:
        """Put a reader's own not-yet-visible replies under their parents, for their eyes only.

        A reply waiting for a moderator (or a shadow-banned author's) then sits where its
        author left it; one whose parent is not in this window is left out here.
        """
        nodes = {node.comment.pk: node for node in self.all_nodes()}
        for comment in sorted(own, key=lambda c: (c.created_at, c.pk)):
            parent = nodes.get(comment.parent_id) if comment.parent_id else None
            if parent is not None:
                nodes[comment.pk] = ThreadNode(comment)
                parent.replies.append(nodes[comment.pk])


def _visible(page: Page) -> QuerySet[Comment]:
    return Comment.objects.filter(page=page, status__in=VISIBLE).defer("body", "ip_hash")


def parse_sort(value: str | None, default: str) -> CommentSort:
    """Return the sort named by `value`, or the default for unknown or missing values."""
    try:
        return CommentSort(value or default)
    except ValueError:
        return CommentSort(default)


def encode_cursor(comment: Comment) -> str:
    """Return an opaque cursor that resumes the top-level list right after this comment.

    It carries the sort keys themselves, so it keeps working if the comment is deleted.
    """
    micros = int(comment.created_at.timestamp() * 1_000_000)
    return f"{comment.pk}.{micros}.{comment.score!r}"


def decode_cursor(cursor: str) -> Comment:
    """Parse a cursor from `encode_cursor`; raise InvalidInput when it is not one."""
    try:
        pk, micros, score = cursor.split(".", 2)
        if not math.isfinite(float(score)):
            raise ValueError(score)
        return Comment(
            pk=int(pk),
            created_at=datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC),
            score=float(score),
        )
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(_("That page cursor is not valid."), field="after") from None


def _ahead_of(root: Comment, sort: CommentSort) -> Q:
    """Return the condition for top-level comments shown before `root` in this sort."""
    return {
        CommentSort.NEWEST: Q(created_at__gt=root.created_at)
        | Q(created_at=root.created_at, id__gt=root.pk),
        CommentSort.OLDEST: Q(created_at__lt=root.created_at)
        | Q(created_at=root.created_at, id__lt=root.pk),
        CommentSort.BEST: Q(score__gt=root.score)
        | Q(score=root.score, created_at__gt=root.created_at)
        | Q(score=root.score, created_at=root.created_at, id__gt=root.pk),
    }[sort]


def read_thread(
    *,
    page: Page,
    sort: CommentSort,
    page_number: int = 1,
    page_size: int | None,
    after: Comment | None = None,
    top_level: Q | None = None,
) -> ThreadWindow:
    """Load one window of the page's top-level comments and their replies.

    The window is the `page_number`-th page, or, with `after` (from `decode_cursor`), the
    page that follows that comment: a cursor never skips or repeats comments when others are
    posted or deleted meanwhile. `page_size=None` loads the whole discussion. Removed comments
    stay as placeholders while they have visible replies and disappear otherwise. `top_level`
    narrows the top-level comments shown (other apps' filters, e.g. only anchored comments);
    the query count stays the same.
    """
    page_number = max(1, page_number)
    top = _visible(page).filter(depth=0).order_by(*ORDERINGS[sort])
    if top_level is not None:
        top = top.filter(top_level)
    if after is not None:
        top = top.exclude(_ahead_of(after, sort)).exclude(pk=after.pk)
    if page_size is None:
        roots = list(top)
        has_next = False
        replies = _visible(page).filter(depth__gt=0)
        if after is not None or top_level is not None:
            replies = replies.filter(root_id__in=[c.pk for c in roots])
    else:
        start = 0 if after is not None else (page_number - 1) * page_size
        roots = list(top[start : start + page_size + 1])
        has_next = len(roots) > page_size
        roots = roots[:page_size]
        replies = _visible(page).filter(root_id__in=[c.pk for c in roots], depth__gt=0)
    nodes = {c.pk: ThreadNode(c) for c in roots}
    for reply in replies.order_by("created_at", "id"):
        parent = nodes.get(reply.parent_id)  # type: ignore[arg-type]
        if parent is not None:
            node = ThreadNode(reply)
            nodes[reply.pk] = node
            parent.replies.append(node)
    window = [nodes[c.pk] for c in roots]
    next_cursor = encode_cursor(roots[-1]) if has_next else None
    return ThreadWindow(page, sort, page_number, page_size, has_next, _prune(window), next_cursor)


def _prune(nodes: list[ThreadNode]) -> list[ThreadNode]:
    kept = []
    for node in nodes:
        node.replies = _prune(node.replies)
        if node.comment.status != CommentStatus.REMOVED or node.replies:
            kept.append(node)
    return kept


def page_number_of(comment: Comment, *, sort: CommentSort, page_size: int) -> int:
    """Return which page of the thread (in this sort) shows the comment's top-level ancestor."""
    root = comment if comment.root_id is None else Comment.objects.get(pk=comment.root_id)
    before = (
        Comment.objects.filter(page_id=root.page_id, status__in=VISIBLE, depth=0)
        .filter(_ahead_of(root, sort))
        .count()
    )
    return before // page_size + 1


def own_hidden_comments(page: Page, commenter: Commenter | None) -> list[Comment]:
    """Return the commenter's comments on this page that others cannot see yet, oldest first.

    Those waiting for a moderator, and those of a shadow-banned author (`shadowed`), which
    the author's own view shows as if published. Never cached under the page version: the
    list is one reader's own. One query.
    """
    if commenter is None or commenter.pk is None:
        return []
    return list(
        Comment.objects.filter(page=page, author=commenter, status=CommentStatus.PENDING)
        .defer("body", "ip_hash", "spam_signals")
        .order_by("created_at", "id")
    )
