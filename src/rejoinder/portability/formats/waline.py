"""Waline's migration export (waline.json): {"type": "waline", "data": {"Comment": […], …}}.

Comments: `objectId` (a number or a string, by storage), `url` the page path, `pid` the
direct parent and `rid` the root, `comment` Markdown, `nick`/`mail`/`link`, a raw `ip`,
`status` approved/waiting/spam (missing in data from Valine: approved), `like`, `sticky`
(true, 1 or "1"), `insertedAt` as ISO text, "YYYY-MM-DD HH:mm:ss" (SQLite storage, read as
UTC) or {"__type": "Date", "iso": …} (LeanCloud). Deleted comments are gone (Waline deletes
a comment with its replies). `Counter` holds page views and reactions, kept as facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rejoinder.portability import records as r
from rejoinder.portability.bodies import markdown_to_markdown
from rejoinder.portability.formats.common import epoch, guest_key, parse_time
from rejoinder.portability.formats.jsondoc import load
from rejoinder.portability.sources import BadFile, Opened

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

_STATES: dict[str, r.Status] = {"approved": "published", "waiting": "pending", "spam": "spam"}


def waline_time(value: Any) -> datetime:
    if isinstance(value, dict):
        value = value.get("iso") or value.get("$date") or ""
    if isinstance(value, int | float):
        return epoch(value / 1000)
    return parse_time(str(value))


def _flag(value: Any) -> bool:
    return value in (True, 1, "1", "true")


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    data = load(opened)
    if not isinstance(data, dict) or data.get("type") != "waline":
        raise BadFile('not a Waline export: its "type" is not "waline"')
    tables = data.get("data") or {}
    users = {str(u.get("objectId")): u for u in tables.get("Users") or [] if isinstance(u, dict)}
    comments = [c for c in tables.get("Comment") or [] if isinstance(c, dict)]
    threads: set[str] = set()
    for c in comments:
        path = str(c.get("url") or "/")
        if path not in threads:
            threads.add(path)
            yield r.Thread(key=path, uri=path)
    for c in comments:
        key = str(c.get("objectId") or "")
        if not key:
            yield r.Skipped("comment", "?", "a comment without objectId")
            continue
        status = _STATES.get(str(c.get("status") or "approved"))
        if status is None:
            yield r.Skipped("comment", key, f"unknown Waline status {c.get('status')!r}")
            continue
        try:
            created = waline_time(c.get("insertedAt") or c.get("createdAt"))
        except ValueError:
            yield r.Skipped("comment", key, f"insertedAt {c.get('insertedAt')!r} is not a time")
            continue
        user_id = str(c.get("user_id") or "")
        user = users.get(user_id, {})
        name = str(c.get("nick") or user.get("display_name") or "")
        email = str(c.get("mail") or user.get("email") or "")
        facts = {
            k: v
            for k, v in {
                "pinned": _flag(c.get("sticky")) or None,
                "root": str(c.get("rid")) if c.get("rid") else None,
                "user_agent": c.get("ua") or None,
            }.items()
            if v
        }
        yield r.Comment(
            key=key,
            thread_key=str(c.get("url") or "/"),
            parent_key=str(c.get("pid")) if c.get("pid") not in (None, "") else None,
            author=r.Author(
                key=f"user:{user_id}" if user_id else guest_key(name, email),
                name=name,
                email=email,
                website=str(c.get("link") or user.get("url") or ""),
                facts={"type": user.get("type")} if user.get("type") else {},
            ),
            created_at=created,
            body=markdown_to_markdown(str(c.get("comment") or "")),
            status=status,
            ip=str(c.get("ip") or ""),
            upvotes=max(0, int(c.get("like") or 0)),
            facts=facts,
        )
    for counter in tables.get("Counter") or []:
        if isinstance(counter, dict) and counter.get("url"):
            yield r.Fact(
                kind="counter",
                key=str(counter["url"]),
                facts={k: v for k, v in counter.items() if k not in ("objectId",)},
            )
