"""WordPress's export (WXR 1.0, 1.1, 1.2) with wpDiscuz's meta, and its tables as FILE2.

One <item> per post, its comments inside as <wp:comment>, ids unique per site. Times: the
`_gmt` fields are UTC and are used; a zero GMT time (old or plugin-made rows) falls back to
the local time read in the site's zone (`--timezone`, else the offset the post's own two
dates show), the first of the two readings in a fall-back hour. Bodies are WordPress HTML
with plain newlines (a blank line is a paragraph, one newline a line break). Pingbacks and
trackbacks are kept apart. wpDiscuz keeps votes, the closed flag, edits, inline-feedback
links and rating fields in comment meta, the article rating in post meta, and the rest in
its own tables, read from the mysqldump given as the second file (`wpdiscuz_sql`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phpserialize

from rejoinder.portability import records as r
from rejoinder.portability.bodies import html_to_markdown
from rejoinder.portability.formats.common import guest_key
from rejoinder.portability.formats.disqus import wrong_root
from rejoinder.portability.sources import BadFile, Opened
from rejoinder.portability.xmlstream import depth_of, iter_xml, line_of

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
# Disqus's custom import format is WXR with this element naming each thread.
DSQ_IDENTIFIER = "{http://www.disqus.com/}thread_identifier"
_WP_NS = re.compile(r"^\{http://wordpress\.org/export/(1\.\d+)/\}(.+)$")
_ZERO = ("", "0000-00-00 00:00:00")
_SHORTCODE = re.compile(
    r"\[wpdiscuz-feedback\b(?P<attrs>[^\]]*)\](?P<text>.*?)\[/wpdiscuz-feedback\]", re.S
)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))""")
_TAGS = re.compile(r"<[^>]+>")
_NOT_THREADS = {"attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset"}
_STATUS: dict[str, r.Status] = {
    "1": "published",
    "approve": "published",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "removed",
    "post-trashed": "removed",
}
_RATING_FIELD = re.compile(r"^custom_field_[0-9a-f]{13}$")


def wp(element: Element, name: str) -> str:
    """Text of the child `wp:name`, whatever WXR version's namespace it is in."""
    for child in element:
        match = _WP_NS.match(child.tag) if isinstance(child.tag, str) else None
        if match and match.group(2) == name:
            return child.text or ""
    return ""


def wp_children(element: Element, name: str) -> list[Element]:
    found = []
    for child in element:
        match = _WP_NS.match(child.tag) if isinstance(child.tag, str) else None
        if match and match.group(2) == name:
            found.append(child)
    return found


def _meta(element: Element, name: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for entry in wp_children(element, name):
        meta[wp(entry, "meta_key")] = wp(entry, "meta_value")
    return meta


def unserialize(value: str) -> Any:
    """A PHP-serialized value (byte lengths in UTF-8); objects are refused, not built."""
    if value.lstrip().startswith(("O:", "C:")) or re.search(r'(^|[;{])O:\d+:"', value):
        raise ValueError("a serialized PHP object")
    return _plain(phpserialize.loads(value.encode("utf-8"), decode_strings=True))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


class _Clock:
    """Turns WordPress times into UTC."""

    def __init__(self, timezone: str) -> None:
        self.zone: ZoneInfo | None = None
        if timezone:
            try:
                self.zone = ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise BadFile(f"--timezone {timezone!r} is not a known time zone") from None
        self.offsets: Counter[int] = Counter()
        self.ambiguous = 0

    @staticmethod
    def parse(text: str) -> datetime | None:
        text = text.strip()
        if text in _ZERO:
            return None
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None

    def learn(self, local: str, gmt: str) -> None:
        a, b = self.parse(local), self.parse(gmt)
        if a is not None and b is not None:
            self.offsets[round((a - b).total_seconds() / 900) * 900] += 1

    def offset(self) -> timedelta:
        if not self.offsets:
            return timedelta(0)
        return timedelta(seconds=self.offsets.most_common(1)[0][0])

    def utc(self, local: str, gmt: str, hint: timedelta | None = None) -> datetime | None:
        moment = self.parse(gmt)
        if moment is not None:
            return moment.replace(tzinfo=UTC)
        wall = self.parse(local)
        if wall is None:
            return None
        if self.zone is not None:
            first = wall.replace(tzinfo=self.zone, fold=0)
            if first.utcoffset() != wall.replace(tzinfo=self.zone, fold=1).utcoffset():
                self.ambiguous += 1
            return first.astimezone(UTC)
        return (wall - (hint if hint is not None else self.offset())).replace(tzinfo=UTC)

    def unshift(self, shifted: int) -> datetime:
        """A wpDiscuz `current_time("timestamp")` (Unix time plus the site's offset) in UTC."""
        wall = datetime(1970, 1, 1) + timedelta(seconds=shifted)
        if self.zone is not None:
            return wall.replace(tzinfo=self.zone, fold=0).astimezone(UTC)
        return (wall - self.offset()).replace(tzinfo=UTC)


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    clock = _Clock(context.timezone)
    context.shared["clock"] = clock
    comment_times: dict[str, int] = {}
    context.shared["comment_times"] = comment_times
    root: Element | None = None
    channel: Element | None = None
    version = ""
    items = 0
    for event, element, line in iter_xml(opened, max_depth=4):  # items and their comments
        if root is None:
            root = element
            if element.tag != "rss":
                raise BadFile(wrong_root(element.tag, "a WordPress export (WXR)"), line=line)
            continue
        depth = depth_of(element)
        if event == "start":
            if depth == 2 and element.tag == "channel":
                channel = element
            match = _WP_NS.match(element.tag)
            if match and not version:
                version = match.group(1)
            continue
        if depth != 3 or channel is None:
            continue
        if element.tag == "item":
            items += 1
            yield from _item(element, clock, comment_times)
            channel.clear()
        elif _WP_NS.match(element.tag) and element.tag.endswith("}base_site_url"):
            yield r.Note(f"WordPress site: {(element.text or '').strip()}")
    if root is None:
        raise BadFile("the file holds no XML element")
    if not version:
        raise BadFile("this RSS file has no wp: elements: it is not a WordPress export (WXR)")
    if clock.ambiguous:
        yield r.Note(
            f"{clock.ambiguous} comments had only a local time inside a daylight-saving "
            "fall-back hour; the first of its two readings was taken"
        )
    if context.second is not None:
        from rejoinder.portability.formats import wpdiscuz_sql

        yield from wpdiscuz_sql.read(context.second, context)


def _item(item: Element, clock: _Clock, comment_times: dict[str, int]) -> Iterator[r.Record]:
    post_id = wp(item, "post_id").strip() or (item.findtext(DSQ_IDENTIFIER) or "").strip()
    post_type = wp(item, "post_type").strip() or "post"
    comments = wp_children(item, "comment")
    if not post_id or (post_type in _NOT_THREADS and not comments):
        return
    if not comments and post_type not in ("post", "page"):
        return
    clock.learn(wp(item, "post_date"), wp(item, "post_date_gmt"))
    post_offset = None
    local, gmt = clock.parse(wp(item, "post_date")), clock.parse(wp(item, "post_date_gmt"))
    if local is not None and gmt is not None:
        post_offset = local - gmt
    meta = _meta(item, "postmeta")
    facts: dict[str, Any] = {"post_type": post_type, "status": wp(item, "status").strip()}
    for key, value in meta.items():
        if key.startswith(("wpdiscuz", "_wpdiscuz")):
            facts.setdefault("meta", {})[key] = _decoded(value)
    link = (item.findtext("link") or "").strip()
    yield r.Thread(
        key=post_id,
        url=link,
        uri=f"?p={post_id}" if not link else "",
        title=(item.findtext("title") or "").strip(),
        closed=wp(item, "comment_status").strip() == "closed",
        created_at=clock.utc(wp(item, "post_date"), wp(item, "post_date_gmt"), post_offset),
        facts=facts,
        line=line_of(item),
    )
    average, count = (
        meta.get("wpdiscuz_post_rating", ""),
        meta.get("wpdiscuz_post_rating_count", ""),
    )
    try:
        if average.strip() and count.strip() and int(float(count)) > 0:
            yield r.RatingTotals(post_id, float(average), int(float(count)))
    except ValueError:
        yield r.Note(f"post {post_id}: its wpdiscuz_post_rating meta is not a number")
    uids: list[str] = []
    content = item.findtext(CONTENT + "encoded") or ""
    for match in _SHORTCODE.finditer(content):
        attrs = {
            m.group(1): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTR.finditer(match.group("attrs"))
        }
        uid = attrs.get("id", "")
        if not uid:
            continue
        uids.append(uid)
        yield r.Prompt(
            key=f"uid:{post_id}:{uid}",
            thread_key=post_id,
            question=_text_only(attrs.get("question", "")),
            exact=_text_only(match.group("text")),
            is_open=attrs.get("opened", "0") == "1",
            facts={"shortcode": uid},
        )
    for key, value in meta.items():
        if key.startswith("_stcr@_"):
            yield _stcr(post_id, key[len("_stcr@_") :], value, clock, post_offset)
    for comment in comments:
        yield from _comment(comment, post_id, clock, post_offset, uids, comment_times)


def _decoded(value: str) -> Any:
    if re.match(r"^[aidsb]:", value or ""):
        try:
            return unserialize(value)
        except ValueError:
            return value
    return value


def _text_only(html: str) -> str:
    from html import unescape

    return " ".join(unescape(_TAGS.sub(" ", html)).split())


def _stcr(
    post_id: str, email: str, value: str, clock: _Clock, offset: timedelta | None
) -> r.Record:
    date, _sep, status = value.partition("|")
    status = status.strip()
    key = f"stcr:{post_id}:{email.lower()}"
    if not status or status.startswith("-"):
        return r.Skipped(
            "subscription", key, f"Subscribe to Comments Reloaded status {status!r}: suspended"
        )
    return r.Subscription(
        key=key,
        thread_key=post_id,
        email=email,
        kind="replies" if status.startswith("R") else "page",
        confirmed="C" not in status,
        created_at=clock.utc(date, "", offset),
        facts={"stcr_status": status},
    )


def _comment(
    comment: Element,
    post_id: str,
    clock: _Clock,
    offset: timedelta | None,
    uids: list[str],
    comment_times: dict[str, int],
) -> Iterator[r.Record]:
    line = line_of(comment)
    key = wp(comment, "comment_id").strip()
    if not key:
        yield r.Skipped("comment", "?", "a comment without wp:comment_id", line)
        return
    local, gmt = wp(comment, "comment_date"), wp(comment, "comment_date_gmt")
    clock.learn(local, gmt)
    created = clock.utc(local, gmt, offset)
    if created is None:
        yield r.Skipped("comment", key, "the comment has no date", line)
        return
    comment_times[key] = int(created.timestamp())
    approved = wp(comment, "comment_approved").strip()
    status = _STATUS.get(approved)
    kind = wp(comment, "comment_type").strip() or "comment"
    name = wp(comment, "comment_author")
    if kind in ("pingback", "trackback"):
        yield r.Linkback(
            key=key,
            thread_key=post_id,
            kind=kind,
            title=_text_only(name),
            url=wp(comment, "comment_author_url").strip(),
            excerpt=_text_only(wp(comment, "comment_content")),
            status=status or "pending",
            created_at=created,
            ip=wp(comment, "comment_author_IP").strip(),
        )
        return
    if status is None:
        yield r.Skipped("comment", key, f"unknown wp:comment_approved {approved!r}", line)
        return
    meta = _meta(comment, "commentmeta")
    facts: dict[str, Any] = {}
    if approved == "post-trashed":
        facts["post_trashed"] = True
    if kind == "wpdiscuz_sticky":
        facts["pinned"] = True
    elif kind != "comment":
        facts["comment_type"] = kind
    up = down = 0
    separate = meta.pop("wpdiscuz_votes_seperate", "")
    total = meta.pop("wpdiscuz_votes", "")
    if separate:
        try:
            votes = unserialize(separate)
            up, down = int(votes.get("like", 0)), abs(int(votes.get("dislike", 0)))
        except (ValueError, TypeError, AttributeError):
            facts["wpdiscuz_votes_seperate"] = separate
    elif total.strip().lstrip("-").isdigit():
        up, down = max(0, int(total)), max(0, -int(total))
    if meta.pop("wpdiscuz_closed", "") == "1":
        facts["closed"] = True
    edited_at = None
    edited = meta.pop("wpdiscuz_last_edited_at", "")
    if edited:
        parsed = clock.parse(edited)
        edited_at = parsed.replace(tzinfo=UTC) if parsed else None
    form_id = meta.pop("wpdiscuz_feedback_form_id", "").strip()
    ratings = {k: meta.pop(k) for k in list(meta) if _RATING_FIELD.match(k)}
    if ratings:
        facts["rating_fields"] = ratings
    for k, v in meta.items():
        facts.setdefault("meta", {})[k] = _decoded(v)
    user_id = wp(comment, "comment_user_id").strip()
    email = wp(comment, "comment_author_email").strip()
    author = r.Author(
        key=f"user:{user_id}" if user_id not in ("", "0") else guest_key(name, email),
        name=name,
        email=email,
        website=wp(comment, "comment_author_url").strip(),
        facts={"wordpress_user_id": user_id} if user_id not in ("", "0") else {},
    )
    parent = wp(comment, "comment_parent").strip()
    yield r.Comment(
        key=key,
        thread_key=post_id,
        parent_key=parent if parent not in ("", "0") else None,
        author=author,
        created_at=created,
        body=html_to_markdown(wp(comment, "comment_content"), wpautop=True),
        status=status,
        ip=wp(comment, "comment_author_IP").strip(),
        edited_at=edited_at,
        upvotes=up,
        downvotes=down,
        facts=facts,
        line=line,
    )
    if form_id and form_id != "0":
        yield r.Answer(
            comment_key=key,
            prompt_key=f"form:{form_id}",
            fallback_key=f"uid:{post_id}:{uids[0]}" if len(uids) == 1 else None,
        )
