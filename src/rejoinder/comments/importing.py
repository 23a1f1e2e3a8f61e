"""Writing comments that come from an export: many at a time, as they were, without events.

The importer (`rejoinder.portability`) calls these inside its one transaction. Each field is
checked as posting checks it, and each body goes through the one pipeline
(`markdown.render_markdown`, docs/security.md rule 1); what differs from `post_comment` is
what an export needs: the status, times and votes the source recorded, names exactly as
written, no moderation verdict, no events (nobody is mailed about a comment from 2014), and
the tree and counters put right once at the end instead of per comment.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Count, Field, Model, Q

from rejoinder.comments.markdown import find_forbidden_character, render_markdown
from rejoinder.comments.models import (
    Comment,
    Commenter,
    CommentStatus,
    Vote,
    body_digest,
    wilson_lower_bound,
)
from rejoinder.comments.posting import clean_email, clean_website
from rejoinder.errors import InvalidInput
from rejoinder.pages.models import Page

# Longer than posting allows: what was accepted elsewhere is kept, within reason.
IMPORTED_NAME_MAX_LENGTH = 200
IMPORTED_BODY_MAX_LENGTH = 100_000
ANONYMOUS = "Anonymous"


def imported_name(name: str) -> tuple[str, str | None]:
    """Return the name to store, exactly as written, and what had to change (or None).

    Only characters no name may hold (controls, bidirectional overrides) are taken out; an
    absent name is shown as "Anonymous", as the systems that allow one show it.
    """
    changed = None
    bad = find_forbidden_character(name)
    while bad:
        changed = f"name: removed the control character U+{ord(bad):04X}"
        name = name.replace(bad, "")
        bad = find_forbidden_character(name)
    if not name.strip():
        return ANONYMOUS, changed
    if len(name) > IMPORTED_NAME_MAX_LENGTH:
        raise InvalidInput(
            f"the name is {len(name)} characters long; {IMPORTED_NAME_MAX_LENGTH} at most",
            field="name",
        )
    return name, changed


def imported_body(body: str) -> tuple[str, str | None]:
    """Return the Markdown body to store and what had to change (or None)."""
    changed = None
    body = body.replace("\r\n", "\n")
    bad = find_forbidden_character(body)
    while bad:
        changed = f"body: removed the control character U+{ord(bad):04X}"
        body = body.replace(bad, "")
        bad = find_forbidden_character(body)
    if len(body) > IMPORTED_BODY_MAX_LENGTH:
        raise InvalidInput(
            f"the body is {len(body)} characters long; {IMPORTED_BODY_MAX_LENGTH} at most",
            field="body",
        )
    return body.strip(), changed


def imported_contact(email: str, website: str) -> tuple[str, str, list[str]]:
    """Return the email and website to keep; what is not a valid address is left out."""
    notes = []
    try:
        email = clean_email(email)
    except InvalidInput:
        notes.append(f"email {email!r} is not a valid address; left out")
        email = ""
    try:
        website = clean_website(website)
    except InvalidInput:
        notes.append(f"website {website!r} is not an http(s) address; left out")
        website = ""
    return email, website, notes


SHORT_BODY = 280  # bodies this short repeat ("Thanks!", "+1"): their HTML is remembered


@functools.lru_cache(maxsize=4096)
def _render_short(body: str) -> str:
    return render_markdown(body)


def render_imported(body: str) -> str:
    """Render an imported body through the one pipeline (short ones once per import run)."""
    if not body:
        return ""
    return _render_short(body) if len(body) <= SHORT_BODY else render_markdown(body)


@dataclass(slots=True)
class ImportedComment:
    page_id: int
    author_id: int
    author_name: str
    author_website: str
    body: str
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None = None
    ip_hash: str = ""
    upvotes: int = 0
    downvotes: int = 0
    suspected_spam: bool = False
    shadowed: bool = False
    moderation_reasons: list[dict[str, str]] | None = None
    spam_score: float | None = None


def insert_commenters(rows: list[Commenter]) -> list[Commenter]:
    """Insert new commenters (their reader keys made by the importer) and return them."""
    return Commenter.objects.bulk_create(rows, batch_size=500)


Convert = Callable[[Any], Any] | None


def _converter(field: Field[Any, Any]) -> Convert:
    """How a column's Python value becomes a query parameter: None when it is passed as it
    is (text, numbers, booleans and ids, which every backend's driver takes directly)."""
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: adapt(value) if value is not None else None
    if isinstance(
        field,
        models.CharField
        | models.TextField
        | models.IntegerField
        | models.FloatField
        | models.BooleanField
        | models.ForeignKey,
    ):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model: type[Model], names: Iterable[str] | None = None) -> list[Field[Any, Any]]:
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    if names is None:
        return fields
    by_name = {f.attname: f for f in fields} | {f.name: f for f in fields}
    return [by_name[name] for name in names]


def insert_rows(model: type[Model], objects: list[Model], *, returning: bool = True) -> list[int]:
    """Insert unsaved rows in multi-row statements and return their ids, in order.

    What `bulk_create` does, without compiling each value through the ORM (most of an
    import's time): each column's value is converted only when its driver needs it.
    """
    fields = _columns(model)
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objects:
        for field in stamped:
            field.pre_save(obj, add=True)
    names = [f.attname for f in fields]
    ids = insert_values(
        model, names, [tuple(getattr(obj, n) for n in names) for obj in objects], returning
    )
    for obj, pk in zip(objects, ids, strict=False):
        obj.pk = pk
    return ids


def insert_values(
    model: type[Model], names: list[str], rows: list[tuple[Any, ...]], returning: bool = True
) -> list[int]:
    """Insert rows given as tuples of the named columns' values (Python values, as the
    model's fields hold them) in multi-row statements; return their ids, in order."""
    fields = _columns(model, names)
    converters = [(i, c) for i, c in enumerate(_converter(f) for f in fields) if c is not None]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    per_statement = max(1, min(500, 30000 // len(fields)))
    table = connection.ops.quote_name(model._meta.db_table)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values: list[Any] = []
            for row in chunk:
                if converters:
                    converted = list(row)
                    for index, convert in converters:
                        converted[index] = convert(converted[index])
                    values.extend(converted)
                else:
                    values.extend(row)
            placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
            sql = (
                f"INSERT INTO {table} ({columns})"  # noqa: S608
                f" VALUES {', '.join([placeholders] * len(chunk))}"
            )
            if returning:
                cursor.execute(sql + " RETURNING id", values)
                ids.extend(int(found[0]) for found in cursor.fetchall())
            else:
                cursor.execute(sql, values)
    return ids


_COMMENT_COLUMNS = [
    "page_id",
    "author_id",
    "author_name",
    "author_website",
    "parent_id",
    "root_id",
    "reply_to_id",
    "reply_to_name",
    "depth",
    "body",
    "body_html",
    "body_digest",
    "status",
    "created_at",
    "edited_at",
    "ip_hash",
    "upvotes",
    "downvotes",
    "score",
    "suspected_spam",
    "shadowed",
    "moderation_reasons",
    "spam_score",
    "spam_signals",
]


def insert_comments(rows: list[ImportedComment]) -> list[int]:
    """Insert comments as top-level ones and return their ids, in order.

    `place_replies` then hangs the replies where they belong.
    """
    values = [
        (
            row.page_id,
            row.author_id,
            row.author_name,
            row.author_website,
            None,
            None,
            None,
            "",
            0,
            row.body,
            row.body_html,
            body_digest(row.body) if row.body else "",
            row.status,
            row.created_at,
            row.edited_at,
            row.ip_hash,
            row.upvotes,
            row.downvotes,
            wilson_lower_bound(row.upvotes, row.downvotes),
            row.suspected_spam,
            row.shadowed,
            row.moderation_reasons or [],
            row.spam_score,
            None,
        )
        for row in rows
    ]
    return insert_values(Comment, _COMMENT_COLUMNS, values)


@dataclass(frozen=True, slots=True)
class Placement:
    """What `place_replies` did that the report should say."""

    placed: int
    clamped: int
    loops: list[int]  # comments whose parents named each other in a circle: now top-level


_UPDATE_PLACE = (
    f"UPDATE {Comment._meta.db_table} SET parent_id = %s, root_id = %s, depth = %s,"  # noqa: S608
    " reply_to_id = %s, reply_to_name = %s WHERE id = %s"
)


def place_replies(
    pairs: Iterable[tuple[int, int]], *, first_id: int, last_id: int, max_depth: int
) -> Placement:
    """Hang imported comments (ids `first_id`..`last_id`) under their parents.

    `pairs` gives (comment, parent) for every reply, parents imported now or before. As in
    posting, a reply deeper than the site's maximum depth hangs at that depth and records
    whom it answers (`reply_to`); the tree is worked out in arrays indexed by id, so a
    million comments cost a few tens of megabytes.
    """
    max_depth = max(1, max_depth)
    size = last_id - first_id + 1 if last_id >= first_id else 0
    parent = array("q", bytes(8 * size))
    for child, parent_id in pairs:
        if child != parent_id:
            parent[child - first_id] = parent_id
    depth = array("i", [-1]) * size
    root = array("q", bytes(8 * size))
    stored: dict[int, tuple[int, int, int]] = {}  # earlier comments: depth, root, parent

    def earlier(pk: int) -> tuple[int, int, int]:
        if pk not in stored:
            row = Comment.objects.filter(pk=pk).values_list("depth", "root_id", "parent_id")
            found = row.first()
            stored[pk] = (found[0], found[1] or 0, found[2] or 0) if found else (0, 0, 0)
        return stored[pk]

    def inside(pk: int) -> bool:
        return first_id <= pk <= last_id

    loops: list[int] = []
    for index in range(size):
        if depth[index] >= 0:
            continue
        path: list[int] = []
        on_path: set[int] = set()
        pk = first_id + index
        while True:
            i = pk - first_id
            if depth[i] >= 0:
                base_depth, base_root = depth[i], root[i] or pk
                break
            up = parent[i]
            if up == 0:
                depth[i], root[i] = 0, 0
                base_depth, base_root = 0, pk
                break
            if pk in on_path:
                loops.append(pk)
                parent[i] = 0
                depth[i], root[i] = 0, 0
                path = path[: path.index(pk)]
                base_depth, base_root = 0, pk
                break
            path.append(pk)
            on_path.add(pk)
            if not inside(up):
                d, r, _p = earlier(up)
                base_depth, base_root, pk = d, r or up, up
                break
            pk = up
        for node in reversed(path):
            base_depth += 1
            depth[node - first_id] = base_depth
            root[node - first_id] = base_root

    def stored_parent_of(pk: int) -> int:
        return parent[pk - first_id] if inside(pk) else earlier(pk)[2]

    def true_depth(pk: int) -> int:
        return depth[pk - first_id] if inside(pk) else earlier(pk)[0]

    placed = clamped = 0
    batch: list[list[Any]] = []
    clamped_rows: list[list[Any]] = []
    with connection.cursor() as cursor:
        for index in range(size):
            up = parent[index]
            if up == 0:
                continue
            pk = first_id + index
            d = depth[index]
            if d <= max_depth:
                batch.append([up, root[index], d, None, "", pk])
            else:
                anchor = up
                while true_depth(anchor) > max_depth - 1:
                    anchor = stored_parent_of(anchor)
                clamped_rows.append([anchor, root[index], max_depth, up, "", pk])
                clamped += 1
            placed += 1
            if len(batch) >= 1000:
                cursor.executemany(_UPDATE_PLACE, batch)
                batch = []
            if len(clamped_rows) >= 1000:
                _name_answered(clamped_rows)
                cursor.executemany(_UPDATE_PLACE, clamped_rows)
                clamped_rows = []
        if batch:
            cursor.executemany(_UPDATE_PLACE, batch)
        if clamped_rows:
            _name_answered(clamped_rows)
            cursor.executemany(_UPDATE_PLACE, clamped_rows)
    return Placement(placed=placed, clamped=clamped, loops=loops)


def _name_answered(rows: list[list[Any]]) -> None:
    names = dict(
        Comment.objects.filter(pk__in={row[3] for row in rows}).values_list("pk", "author_name")
    )
    for row in rows:
        row[4] = names.get(row[3], "")


def insert_votes(rows: list[Vote]) -> None:
    """Insert per-reader votes (+1 or -1); `recount_votes` then sets the tallies from them."""
    Vote.objects.bulk_create(rows, batch_size=500)


def recount_votes(comment_ids: Iterable[int]) -> None:
    """Set the tallies and score of these comments from their vote rows."""
    ids = list(comment_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        tallies = (
            Vote.objects.filter(comment_id__in=chunk)
            .values("comment_id")
            .annotate(up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1)))
        )
        found = {row["comment_id"]: (row["up"], row["down"]) for row in tallies}
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Comment._meta.db_table} SET upvotes = %s, downvotes = %s,"  # noqa: S608
                " score = %s WHERE id = %s",
                [
                    [up, down, wilson_lower_bound(up, down), pk]
                    for pk in chunk
                    for up, down in [found.get(pk, (0, 0))]
                ],
            )


def recount_comments(page_ids: Iterable[int]) -> None:
    """Set each page's published-comment count from its rows and bump its version."""
    ids = list(page_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        # Grouped by status too, so the planner reads the pages' own index rather than
        # every published comment of the site (SQLite chose the status index).
        counts = {
            page_id: n
            for page_id, status, n in Comment.objects.filter(page_id__in=chunk)
            .values("page_id", "status")
            .annotate(n=Count("pk"))
            .values_list("page_id", "status", "n")
            if status == CommentStatus.PUBLISHED
        }
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Page._meta.db_table} SET comment_count = %s,"  # noqa: S608
                " version = version + 1 WHERE id = %s",
                [[counts.get(pk, 0), pk] for pk in chunk],
            )


def iter_ids(first_id: int, last_id: int) -> Iterator[int]:
    return iter(range(first_id, last_id + 1))
