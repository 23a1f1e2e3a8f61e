"""Reading a discussion: one window of top-level comments with their replies.

For the API, two queries whatever the size: the window of top-level comments, then every
reply under them (by `root`), assembled into a tree in memory. Pages show replies in pages
too (`ReplyLimits`): the first few under each comment and a bounded number under each
top-level comment, with how many more there are and a cursor to the next ones
(`read_replies`), one query per reply level shown, so no thread shape makes a page heavy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
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


@dataclass(frozen=True)
class ReplyLimits:
    """How many replies a page shows before "N more replies" links take over.

    `per_parent` replies under any comment (the oldest first), `per_thread` under one
    top-level comment in all (level by level), and `per_batch` direct replies each time a
    reader asks for more (each with its own replies limited again).
    """

    per_parent: int = 3
    per_thread: int = 6
    per_batch: int = 10


PAGED_REPLIES = ReplyLimits()


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)
    # Replies under this comment not shown here, and the cursor to ask for them after the
    # last one shown (None: from the first). Always 0 when every reply is shown.
    more_replies: int = 0
    more_after: str | None = None


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
    replies: ReplyLimits | None = None,
) -> ThreadWindow:
    """Load one window of the page's top-level comments and their replies.

    The window is the `page_number`-th page, or, with `after` (from `decode_cursor`), the
    page that follows that comment: a cursor never skips or repeats comments when others are
    posted or deleted meanwhile. `page_size=None` loads the whole discussion. Removed comments
    stay as placeholders while they have visible replies and disappear otherwise. `top_level`
    narrows the top-level comments shown (other apps' filters, e.g. only anchored comments);
    the query count stays the same. With `replies`, only that many replies are loaded (one
    query per level shown) and each node says how many more it has (`more_replies`).
    """
    page_number = max(1, page_number)
    top = _visible(page).filter(depth=0).order_by(*ORDERINGS[sort])
    if replies is not None:
        top = top.annotate(reply_count=_reply_count())
    if top_level is not None:
        top = top.filter(top_level)
    if after is not None:
        top = top.exclude(_ahead_of(after, sort)).exclude(pk=after.pk)
    if page_size is None:
        roots = list(top)
        has_next = False
        reply_rows = _visible(page).filter(depth__gt=0)
        if after is not None or top_level is not None:
            reply_rows = reply_rows.filter(root_id__in=[c.pk for c in roots])
    else:
        start = 0 if after is not None else (page_number - 1) * page_size
        roots = list(top[start : start + page_size + 1])
        has_next = len(roots) > page_size
        roots = roots[:page_size]
        reply_rows = _visible(page).filter(root_id__in=[c.pk for c in roots], depth__gt=0)
    nodes = {c.pk: ThreadNode(c) for c in roots}
    if replies is None:
        for reply in reply_rows.order_by("created_at", "id"):
            parent = nodes.get(reply.parent_id)  # type: ignore[arg-type]
            if parent is not None:
                node = ThreadNode(reply)
                nodes[reply.pk] = node
                parent.replies.append(node)
    else:
        _attach_replies(page, [nodes[c.pk] for c in roots], replies)
    window = [nodes[c.pk] for c in roots]
    next_cursor = encode_cursor(roots[-1]) if has_next else None
    return ThreadWindow(page, sort, page_number, page_size, has_next, _prune(window), next_cursor)


def _reply_count() -> Coalesce:
    """The number of visible direct replies of each comment, as a correlated subquery."""
    children = (
        Comment.objects.filter(parent=OuterRef("pk"), status__in=VISIBLE)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(children, output_field=IntegerField()), 0)


def _first_replies(page: Page, parent_ids: list[int], per_parent: int) -> list[Comment]:
    """Return the first `per_parent` visible replies (oldest first) of each parent: one query."""
    return list(
        _visible(page)
        .filter(parent_id__in=parent_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("parent_id")],
                order_by=[F("created_at").asc(), F("id").asc()],
            ),
            reply_count=_reply_count(),
        )
        .filter(rank__lte=per_parent)
    )


def _attach_replies(page: Page, heads: list[ThreadNode], limits: ReplyLimits) -> None:
    """Hang the first replies under each of `heads` (whose comments carry `reply_count`), level
    by level, at most `limits.per_thread` under each head in all; mark what is left out."""
    budget = {node.comment.pk: limits.per_thread for node in heads}
    head_of = {node.comment.pk: node.comment.pk for node in heads}
    level = [node for node in heads if node.comment.reply_count]  # type: ignore[attr-defined]
    while level:
        wanted = [node for node in level if budget[head_of[node.comment.pk]] > 0]
        children: dict[int, list[Comment]] = {}
        if wanted:
            rows = _first_replies(page, [node.comment.pk for node in wanted], limits.per_parent)
            for row in sorted(rows, key=lambda c: (c.created_at, c.pk)):
                children.setdefault(row.parent_id, []).append(row)  # type: ignore[arg-type]
        next_level = []
        for node in level:
            head = head_of[node.comment.pk]
            for child in children.get(node.comment.pk, []):
                if budget[head] <= 0:
                    break
                budget[head] -= 1
                shown = ThreadNode(child)
                head_of[child.pk] = head
                node.replies.append(shown)
                if child.reply_count:  # type: ignore[attr-defined]
                    next_level.append(shown)
            _mark_more(node, node.comment.reply_count)  # type: ignore[attr-defined]
        level = next_level


def _mark_more(node: ThreadNode, total: int) -> None:
    node.more_replies = max(0, total - len(node.replies))
    if node.more_replies and node.replies:
        node.more_after = encode_reply_cursor(node.replies[-1].comment)


def encode_reply_cursor(comment: Comment) -> str:
    """Return a cursor that resumes a comment's replies (oldest first) right after this one."""
    micros = int(comment.created_at.timestamp() * 1_000_000)
    return f"{comment.pk}.{micros}"


def decode_reply_cursor(cursor: str) -> Comment:
    """Parse a cursor from `encode_reply_cursor`; raise InvalidInput when it is not one."""
    try:
        pk, micros = cursor.split(".", 1)
        return Comment(
            pk=int(pk), created_at=datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        )
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(_("That cursor of replies is not valid."), field="after") from None


@dataclass
class RepliesWindow:
    """One batch of a comment's direct replies (each with its first replies), oldest first."""

    parent: Comment
    nodes: list[ThreadNode]
    more_replies: int  # direct replies after this batch
    next_cursor: str | None

    @property
    def page(self) -> Page:
        return self.parent.page

    def comments(self) -> list[Comment]:
        out: list[Comment] = []
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            out.append(node.comment)
            stack.extend(reversed(node.replies))
        return out


def read_replies(
    *, parent: Comment, after: Comment | None = None, limits: ReplyLimits = PAGED_REPLIES
) -> RepliesWindow:
    """Return the next `limits.per_batch` visible direct replies of `parent` after the cursor
    `after` (from `decode_reply_cursor`; None: from the first), each with its own first replies.

    One query for the batch, one for how many are left, then one per reply level shown.
    """
    direct = _visible(parent.page).filter(parent=parent)
    if after is not None:
        direct = direct.filter(
            Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, id__gt=after.pk)
        )
    batch = list(
        direct.annotate(reply_count=_reply_count()).order_by("created_at", "id")[: limits.per_batch]
    )
    nodes = [ThreadNode(c) for c in batch]
    _attach_replies(parent.page, nodes, limits)
    left = 0
    if len(batch) == limits.per_batch:
        last = batch[-1]
        left = direct.filter(
            Q(created_at__gt=last.created_at) | Q(created_at=last.created_at, id__gt=last.pk)
        ).count()
    cursor = encode_reply_cursor(batch[-1]) if left else None
    return RepliesWindow(parent, _prune(nodes), left, cursor)


def _prune(nodes: list[ThreadNode]) -> list[ThreadNode]:
    kept = []
    for node in nodes:
        node.replies = _prune(node.replies)
        if node.comment.status != CommentStatus.REMOVED or node.replies or node.more_replies:
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


def batch_showing(
    comment: Comment, *, sort: CommentSort, limits: ReplyLimits = PAGED_REPLIES
) -> tuple[int, str | None] | None:
    """Return where a visible reply is shown when its thread's page leaves it out, else None.

    That is the batch of its parent's replies that starts with it: (parent id, the cursor
    of the reply before it, None when it is the first). Reads its thread as the page does.
    """
    if comment.parent_id is None or comment.status not in VISIBLE:
        return None
    window = read_thread(
        page=comment.page,
        sort=sort,
        page_size=None,
        top_level=Q(pk=comment.root_id or comment.parent_id),
        replies=limits,
    )
    if any(node.comment.pk == comment.pk for node in window.all_nodes()):
        return None
    before = (
        _visible(comment.page)
        .filter(parent_id=comment.parent_id)
        .filter(
            Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, id__lt=comment.pk)
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return comment.parent_id, encode_reply_cursor(before) if before is not None else None
