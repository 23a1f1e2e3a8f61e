"""Commento's (and Comentario's Commento-compatible) JSON export, gzipped or not.

`comments[]` name their page by `domain` + `url` (a path), their parent by `parentHex`
("root" at the top) and their author by `commenterHex`, "anonymous" for guests, who have no
commenter record. `commenters[]` repeats each person once per comment. Bodies are Markdown
(`html` is always empty); `deleted` is always false: Commento marks a deletion by setting the
text to "[deleted]" and the author to anonymous. `link` and `photo` are often "undefined".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rejoinder.portability import records as r
from rejoinder.portability.bodies import markdown_to_markdown
from rejoinder.portability.formats.common import parse_time
from rejoinder.portability.formats.jsondoc import load
from rejoinder.portability.sources import BadFile, Opened

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

_STATES: dict[str, r.Status] = {
    "approved": "published",
    "unapproved": "pending",
    "flagged": "pending",
}


def _clean(value: Any) -> str:
    text = str(value or "").strip()
    return "" if text in ("undefined", "null") else text


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    data = load(opened)
    if not isinstance(data, dict) or "comments" not in data:
        if isinstance(data, dict) and data.get("type") == "waline":
            raise BadFile("this is a Waline export, not Commento's; use `rejoinder import waline`")
        raise BadFile('not a Commento export: no "comments" list')
    if data.get("version") not in (1, None):
        raise BadFile(f"Commento export version {data.get('version')!r}; version 1 is read")
    people: dict[str, dict[str, Any]] = {}
    for person in data.get("commenters") or []:
        people.setdefault(str(person.get("commenterHex")), person)
    threads: set[str] = set()
    for index, c in enumerate(data.get("comments") or []):
        key = str(c.get("commentHex") or "")
        if not key:
            yield r.Skipped("comment", f"#{index}", "a comment without commentHex")
            continue
        domain, path = _clean(c.get("domain")), str(c.get("url") or "/")
        thread = f"{domain}{path}"
        if thread not in threads:
            threads.add(thread)
            yield r.Thread(
                key=thread,
                url=f"https://{domain}{path}" if domain else "",
                uri=path,
                facts={"domain": domain},
            )
        hexid = str(c.get("commenterHex") or "anonymous")
        person = people.get(hexid, {})
        markdown = str(c.get("markdown") or "")
        deleted = markdown == "[deleted]" and hexid == "anonymous"
        state = str(c.get("state") or "approved")
        status = "removed" if deleted else _STATES.get(state)
        if status is None:
            yield r.Skipped("comment", key, f"unknown Commento state {state!r}")
            continue
        try:
            created = parse_time(str(c.get("creationDate", "")))
        except ValueError:
            yield r.Skipped("comment", key, f"creationDate {c.get('creationDate')!r} is not a time")
            continue
        score = int(c.get("score") or 0)
        author_facts = {
            k: v
            for k, v in {
                "provider": _clean(person.get("provider")),
                "moderator": person.get("isModerator") or None,
                "photo": _clean(person.get("photo")),
            }.items()
            if v
        }
        yield r.Comment(
            key=key,
            thread_key=thread,
            parent_key=None if str(c.get("parentHex") or "root") == "root" else str(c["parentHex"]),
            author=r.Author(
                key="anonymous" if hexid == "anonymous" else f"commenter:{hexid}",
                name=_clean(person.get("name")) if hexid != "anonymous" else "",
                email=_clean(person.get("email")),
                website=_clean(person.get("link")),
                facts=author_facts,
            ),
            created_at=created,
            body="" if deleted else markdown_to_markdown(markdown),
            status=status,
            upvotes=max(0, score),
            downvotes=max(0, -score),
            suspected_spam=state == "flagged",
            facts={"state": state} if state != "approved" else {},
        )
