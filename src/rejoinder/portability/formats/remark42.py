"""Remark42's backup: gzipped JSON lines, a meta line first, then one comment per line.

The meta line lists users that are blocked, verified or have an address for reply mail
(`details.email`, which Remark42 keeps only once confirmed), and read-only posts. Comments:
`text` is sanitised HTML, `orig` the Markdown as typed; `locator.url` is the thread; `pid`
"" is top level; `time` is RFC 3339 with nanoseconds and any offset; `delete` is a soft
delete (author kept) or a hard one (author "deleted"); `score` is ups minus downs and
`controversy` ((ups+downs)^(min/max)) lets the two be found again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rejoinder.portability import records as r
from rejoinder.portability.bodies import html_to_markdown, markdown_to_markdown
from rejoinder.portability.formats.common import parse_time
from rejoinder.portability.sources import BadFile, Opened

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

FOREVER_YEARS = 50


def lines(opened: Opened) -> Iterator[tuple[int, Any]]:
    """Each line of a JSON Lines stream, decoded, with its number."""
    number = 0
    for raw in opened.stream:
        number += 1
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except UnicodeDecodeError as exc:
            raise BadFile(f"not UTF-8 ({exc.reason})", line=number, offset=exc.start) from None
        except json.JSONDecodeError as exc:
            reason = (
                "the line is cut short (a truncated file?)"
                if exc.msg.startswith(("Unterminated", "Expecting"))
                and exc.pos >= len(raw.rstrip()) - 1
                else exc.msg
            )
            raise BadFile(f"not JSON: {reason}", line=number, offset=exc.colno) from None


def split_votes(score: int, controversy: float | None) -> tuple[int, int]:
    """Ups and downs from Remark42's score and controversy, when they can be told apart."""
    if controversy:
        for total in range(abs(score), abs(score) + 20001, 2):
            if total == 0:
                continue
            up, down = (total + score) // 2, (total - score) // 2
            low, high = min(up, down), max(up, down)
            if high and abs(total ** (low / high) - controversy) < 1e-6 * max(1.0, controversy):
                return up, down
    return max(0, score), max(0, -score)


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    stream = lines(opened)
    try:
        number, meta = next(stream)
    except StopIteration:
        raise BadFile("the backup holds no line") from None
    if not isinstance(meta, dict) or "version" not in meta or not {"users", "posts"} & set(meta):
        raise BadFile(
            'the first line is not Remark42\'s meta line ({"version":…,"users":…})', line=number
        )
    if meta.get("version") not in (0, 1):
        raise BadFile(
            f"Remark42 backup version {meta.get('version')!r}; versions 0 and 1 are read",
            line=number,
        )
    read_only = {p.get("url") for p in meta.get("posts") or [] if p.get("read_only")}
    mail: dict[str, str] = {}
    blocks = []
    verified = set()
    for user in meta.get("users") or []:
        uid = str(user.get("id", ""))
        if (user.get("details") or {}).get("email"):
            mail[uid] = user["details"]["email"]
        if user.get("verified"):
            verified.add(uid)
        block = user.get("blocked") or {}
        if block.get("status"):
            blocks.append((uid, block.get("until")))
    threads: set[str] = set()
    pages_of: dict[str, set[str]] = {}
    for number, c in stream:
        if not isinstance(c, dict) or "id" not in c:
            raise BadFile("a comment line without an id", line=number)
        locator = c.get("locator") or {}
        url = str(locator.get("url") or "")
        if url not in threads:
            threads.add(url)
            yield r.Thread(
                key=url,
                url=url,
                title=str(c.get("title") or ""),
                closed=url in read_only,
                facts={"remark42_site": locator.get("site")},
                line=number,
            )
        user = c.get("user") or {}
        uid = str(user.get("id") or "")
        deleted = bool(c.get("delete"))
        hard = deleted and uid == "deleted"
        try:
            created = parse_time(str(c.get("time", "")))
        except ValueError:
            raise BadFile(
                f"comment {c['id']}: time {c.get('time')!r} is not RFC 3339", line=number
            ) from None
        edit = c.get("edit") or {}
        edited = None
        if edit.get("time"):
            try:
                edited = parse_time(str(edit["time"]))
            except ValueError:
                edited = None
        if deleted:
            body = ""
        elif c.get("orig"):
            body = markdown_to_markdown(str(c["orig"]))
        else:
            body = html_to_markdown(str(c.get("text") or ""))
        up, down = split_votes(int(c.get("score") or 0), c.get("controversy"))
        facts = {
            k: v
            for k, v in {
                "pinned": c.get("pin") or None,
                "edit_summary": edit.get("summary") or None,
                "hard_delete": hard or None,
                "imported": c.get("imported") or None,
            }.items()
            if v
        }
        author_facts = {
            k: v
            for k, v in {
                "admin": user.get("admin") or None,
                "verified": uid in verified or None,
                "picture": user.get("picture") or None,
            }.items()
            if v
        }
        if uid and not hard:
            pages_of.setdefault(uid, set()).add(url)
        yield r.Comment(
            key=str(c["id"]),
            thread_key=url,
            parent_key=str(c.get("pid")) if c.get("pid") else None,
            author=r.Author(
                key="deleted" if hard else f"user:{uid}",
                name="" if hard else str(user.get("name") or ""),
                facts=author_facts,
            ),
            created_at=created,
            body=body,
            status="removed" if deleted else "published",
            ip=str(user.get("ip") or ""),
            edited_at=edited,
            upvotes=up,
            downvotes=down,
            facts=facts,
            line=number,
        )
    for uid, until in blocks:
        moment = None
        if until:
            try:
                moment = parse_time(str(until))
            except ValueError:
                moment = None
        if moment is not None and moment.year > datetime.now(UTC).year + FOREVER_YEARS:
            moment = None  # Remark42 writes "forever" as a hundred years from the block
        yield r.Block(
            author=r.Author(key=f"user:{uid}"), until=moment, reason="blocked in Remark42"
        )
    for uid, email in mail.items():
        for url in sorted(pages_of.get(uid, ())):
            yield r.Subscription(
                key=f"email:{uid}:{url}",
                thread_key=url,
                email=email,
                kind="replies",
                confirmed=True,
                facts={"remark42_user": uid},
            )
