"""Isso's SQLite database (comments.db), any schema Isso migrates to (user_version 0-5).

`threads.uri` is the page's path; `comments.parent` NULL or, since schema 3, always a
top-level comment (older databases may nest deeper: kept as they are). Times are UTC epoch
seconds. `mode` 1 is published, 2 pending, 4 deleted: a row kept because it has replies,
text and author emptied but email, votes and the anonymised address left; it becomes a
tombstone whose address is not shown. `notification` 1 asked for mail on replies (Isso
never confirmed addresses, so the subscriptions are unconfirmed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rejoinder.portability import records as r
from rejoinder.portability.bodies import html_to_markdown, looks_like_html, markdown_to_markdown
from rejoinder.portability.formats.common import epoch, guest_key
from rejoinder.portability.sources import BadFile, Opened

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

_STATUS: dict[int, r.Status] = {1: "published", 2: "pending", 4: "removed"}
NEEDED = {"tid", "id", "parent", "created", "mode", "text"}


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    if opened.compression:
        raise BadFile(
            f"an Isso database is read uncompressed; unpack the {opened.compression} file first"
        )
    try:
        db = sqlite3.connect(f"file:{opened.path.resolve()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BadFile(f"not a readable SQLite database ({exc})") from None
    try:
        yield from _read(db)
    except sqlite3.DatabaseError as exc:
        raise BadFile(f"the SQLite database is damaged ({exc})") from None
    finally:
        db.close()


def _read(db: sqlite3.Connection) -> Iterator[r.Record]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"threads", "comments"} <= tables:
        raise BadFile("this SQLite database has no `threads` and `comments` tables: not Isso's")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    columns = {row[1] for row in db.execute("PRAGMA table_info(comments)")}
    missing = NEEDED - columns
    if missing:
        raise BadFile(f"Isso's comments table lacks {', '.join(sorted(missing))}")
    yield r.Note(f"Isso database, schema version {version}")
    for tid, uri, title in db.execute("SELECT id, uri, title FROM threads ORDER BY id"):
        yield r.Thread(key=str(tid), uri=uri or "", title=title or "")
    optional = [
        c
        for c in (
            "modified",
            "remote_addr",
            "author",
            "email",
            "website",
            "likes",
            "dislikes",
            "notification",
        )
        if c in columns
    ]
    query = f"SELECT id, tid, parent, created, mode, text, {', '.join(optional)} FROM comments ORDER BY id"  # noqa: S608 - names from the schema
    notified = 0
    for row in db.execute(query):
        cid, tid, parent, created, mode, text = row[:6]
        extra = dict(zip(optional, row[6:], strict=True))
        status = _STATUS.get(int(mode or 1))
        key = str(cid)
        if status is None:
            yield r.Skipped("comment", key, f"unknown Isso mode {mode!r}")
            continue
        email = extra.get("email") or ""
        name = extra.get("author") or ""
        if status == "removed":
            author = r.Author(key="tombstone", name="")
        else:
            author = r.Author(
                key=guest_key(name, email),
                name=name,
                email=email,
                website=extra.get("website") or "",
            )
        text = text or ""
        body = html_to_markdown(text) if looks_like_html(text) else markdown_to_markdown(text)
        modified = extra.get("modified")
        yield r.Comment(
            key=key,
            thread_key=str(tid),
            parent_key=str(parent) if parent is not None else None,
            author=author,
            created_at=epoch(float(created)),
            body=body,
            status=status,
            ip=extra.get("remote_addr") or "",
            edited_at=epoch(float(modified)) if modified else None,
            upvotes=int(extra.get("likes") or 0),
            downvotes=int(extra.get("dislikes") or 0),
            facts={"tombstone_email": True} if status == "removed" and email else {},
        )
        if extra.get("notification") and email and status != "removed":
            notified += 1
            yield r.Subscription(
                key=f"notification:{cid}",
                thread_key=str(tid),
                email=email,
                kind="replies",
                comment_key=key,
                confirmed=False,
            )
    if notified:
        yield r.Note(
            f"{notified} comments asked for mail on replies; Isso never confirmed addresses, "
            "so these subscriptions wait for confirmation"
        )
