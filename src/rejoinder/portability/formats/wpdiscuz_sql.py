"""A mysqldump of wpDiscuz's own tables (`wp_wc_*`), read with sqlglot, never executed.

Statements are read one at a time (mysqldump writes each INSERT on one line), tokenized and
parsed by sqlglot's MySQL dialect; only CREATE TABLE (for column order) and INSERT into the
wpDiscuz tables are used, everything else is ignored. Tables, from wpDiscuz 7.6:

* `wc_users_voted`: one row per reader and comment, `vote_type` 1, -1 or 0 (withdrawn);
  `user_id` a WordPress user id or, for guests, md5 of the IP (hashed again here, never
  kept); `date` from `current_time("timestamp")`, the site's local time counted as if UTC,
  except rows the "regenerate vote data" tool rewrote with the comment's own UTC time.
* `wc_users_rated`: per-reader article ratings, same identities and clock.
* `wc_comments_subscription` (sic: `subscribtion_id`, `subscribtion_type`): `post` and
  `all_comment` are page subscriptions, `comment` one comment's replies; `confirm` 0 means
  the reader never followed the confirmation link.
* `wc_feedback_forms`: the inline-feedback questions, whose row id comment meta names.
* `wc_follow_users`: readers following a commenter; Rejoinder has no follows, so they are
  kept as facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import ParseError, TokenError

from rejoinder.portability import records as r
from rejoinder.portability.formats.common import keyed
from rejoinder.portability.sources import BadFile, Opened

if TYPE_CHECKING:
    from rejoinder.portability.context import ReadContext

TABLES = (
    "wc_users_voted",
    "wc_users_rated",
    "wc_comments_subscription",
    "wc_feedback_forms",
    "wc_follow_users",
    "wc_phrases",
    "wc_avatars_cache",
)
# The columns as wpDiscuz creates them, for INSERTs that come without CREATE TABLE.
DEFAULT_COLUMNS = {
    "wc_users_voted": ["id", "user_id", "comment_id", "vote_type", "is_guest", "post_id", "date"],
    "wc_users_rated": ["id", "post_id", "user_id", "user_ip", "rating", "date"],
    "wc_comments_subscription": [
        "id",
        "email",
        "subscribtion_id",
        "post_id",
        "subscribtion_type",
        "activation_key",
        "confirm",
        "subscription_date",
        "imported_from",
    ],
    "wc_feedback_forms": ["id", "post_id", "unique_id", "question", "opened", "content"],
    "wc_follow_users": [
        "id",
        "post_id",
        "user_id",
        "user_email",
        "user_name",
        "follower_id",
        "follower_email",
        "follower_name",
        "activation_key",
        "confirm",
        "follow_timestamp",
        "follow_date",
    ],
}
MAX_STATEMENT = 64 * 1024 * 1024


def statements(opened: Opened) -> Iterator[tuple[int, str, list[Any]]]:
    """Yield (first line, text, tokens) for each statement of the dump, one at a time.

    A statement ends with a line ending in ";" where sqlglot's tokenizer finds no string
    left open; a string spanning lines keeps the statement going.
    """
    dialect = MySQL()
    buffer: list[str] = []
    size = 0
    start = 0
    number = 0
    for raw in opened.stream:
        number += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadFile(
                f"the dump is not UTF-8 ({exc.reason})", line=number, offset=exc.start
            ) from None
        if not buffer:
            if not line.strip() or line.startswith("-- "):
                continue
            start = number
        buffer.append(line)
        size += len(line)
        if size > MAX_STATEMENT:
            raise BadFile("a statement longer than 64 MiB (is a string left open?)", line=start)
        if not line.rstrip().endswith(";"):
            continue
        text = "".join(buffer)
        try:
            tokens = dialect.tokenize(text)
        except TokenError:
            continue  # a string or comment goes on past this line
        buffer, size = [], 0
        yield start, text, tokens
    if buffer and "".join(buffer).strip():
        raise BadFile("the dump ends inside a statement: the file is truncated", line=start)


def read(opened: Opened, context: ReadContext) -> Iterator[r.Record]:
    columns: dict[str, list[str]] = {}
    prefixes: set[str] = set()
    dump_zone: timedelta | None = None
    clock = context.shared.get("clock")
    times: dict[str, int] = context.shared.get("comment_times", {})
    seen = 0
    for line, text, tokens in statements(opened):
        seen += 1
        if all(token.token_type.name == "SEMICOLON" for token in tokens):
            zone = _time_zone(text)
            if zone is not None:
                dump_zone = zone
            continue
        first = tokens[0].text.upper()
        if first not in ("CREATE", "INSERT", "REPLACE"):
            continue
        try:
            statement = MySQL().parser().parse(tokens, text)[0]
        except ParseError as exc:
            error = exc.errors[0] if exc.errors else {}
            raise BadFile(
                f"SQL that does not parse ({error.get('description', exc)})",
                line=line + int(error.get("line", 1)) - 1,
                offset=error.get("col"),
            ) from None
        if isinstance(statement, exp.Create) and statement.kind == "TABLE":
            schema = statement.this
            table = schema.this if isinstance(schema, exp.Schema) else schema
            name, suffix = _ours(table.name)
            if suffix:
                prefixes.add(name[: -len(suffix)])
                columns[suffix] = [
                    c.name for c in schema.expressions if isinstance(c, exp.ColumnDef)
                ]
            continue
        if not isinstance(statement, exp.Insert):
            continue
        target = statement.this
        listed = None
        if isinstance(target, exp.Schema):
            listed = [c.name for c in target.expressions]
            target = target.this
        name, suffix = _ours(target.name)
        if not suffix or suffix in ("wc_phrases", "wc_avatars_cache"):
            continue
        prefixes.add(name[: -len(suffix)])
        if len(prefixes) > 1:
            raise BadFile(
                f"the dump holds wpDiscuz tables of several sites ({', '.join(sorted(prefixes))}); "
                "dump one site's tables",
                line=line,
            )
        names = listed or columns.get(suffix) or DEFAULT_COLUMNS[suffix]
        values = statement.expression
        if not isinstance(values, exp.Values):
            raise BadFile(f"INSERT INTO {name} without VALUES", line=line)
        for row in values.expressions:
            cells = [_value(cell) for cell in row.expressions]
            if len(cells) != len(names):
                raise BadFile(
                    f"a row of {name} has {len(cells)} values for {len(names)} columns", line=line
                )
            record = _record(suffix, dict(zip(names, cells, strict=True)), clock, times, dump_zone)
            if record is not None:
                yield record
    if seen == 0:
        raise BadFile("the second file holds no SQL statement; give a mysqldump of wp_wc_*")


def _ours(name: str) -> tuple[str, str]:
    for suffix in TABLES:
        if name.endswith(suffix):
            return name, suffix
    return name, ""


def _time_zone(text: str) -> timedelta | None:
    """The zone a dump's TIMESTAMP values are in: mysqldump sets TIME_ZONE='+00:00'."""
    inner = text.strip().rstrip(";").strip()
    if not inner.startswith("/*!"):
        return None
    inner = inner[3:].rstrip("*/").lstrip("0123456789").strip()
    if "TIME_ZONE" not in inner.upper():
        return None
    try:
        statement = sqlglot.parse_one(inner, read="mysql")
    except (ParseError, TokenError):
        return None
    for eq in statement.find_all(exp.EQ):
        if eq.this.name.upper() == "TIME_ZONE" and isinstance(eq.expression, exp.Literal):
            value = eq.expression.this
            if value.upper() in ("UTC", "SYSTEM"):
                return timedelta(0) if value.upper() == "UTC" else None
            sign = -1 if value.startswith("-") else 1
            hours, _sep, minutes = value.lstrip("+-").partition(":")
            if hours.isdigit():
                return sign * timedelta(hours=int(hours), minutes=int(minutes or 0))
    return None


def _value(cell: exp.Expression) -> Any:
    if isinstance(cell, exp.Literal):
        return cell.this
    if isinstance(cell, exp.Null):
        return None
    if isinstance(cell, exp.Neg) and isinstance(cell.this, exp.Literal):
        return "-" + str(cell.this.this)
    if isinstance(cell, exp.Introducer):
        return _value(cell.expression)
    if isinstance(cell, exp.HexString):
        return bytes.fromhex(cell.this).decode("utf-8", "replace")
    if isinstance(cell, exp.Boolean):
        return "1" if cell.this else "0"
    return cell.sql(dialect="mysql")


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _voter(user_id: Any, guest: bool, hashed_ip: Any = "") -> r.Author:
    if not guest and _int(user_id):
        return r.Author(key=f"user:{_int(user_id)}")
    identity = str(hashed_ip or user_id or "")
    return r.Author(key=f"ip:{keyed(identity)}", name="")


def _when(value: Any, comment_time: int | None, clock: Any) -> datetime | None:
    stamp = _int(value)
    if stamp <= 0:
        return None
    if comment_time is not None and stamp == comment_time:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=stamp)  # regenerated: UTC
    if clock is not None:
        return clock.unshift(stamp)
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=stamp)


def _record(
    table: str,
    row: dict[str, Any],
    clock: Any,
    times: dict[str, int],
    dump_zone: timedelta | None,
) -> r.Record | None:
    row_id = str(row.get("id", ""))
    if table == "wc_users_voted":
        comment = str(_int(row.get("comment_id")))
        guest = _int(row.get("is_guest")) == 1 or not str(row.get("user_id", "")).isdigit()
        facts: dict[str, Any] = {"vote_type": _int(row.get("vote_type"))}
        if _int(row.get("post_id")) == 0:
            facts["before_wpdiscuz_7"] = True
        return r.Vote(
            key=f"vote:{row_id}",
            comment_key=comment,
            voter=_voter(row.get("user_id"), guest),
            value=max(-1, min(1, _int(row.get("vote_type")))),
            created_at=_when(row.get("date"), times.get(comment), clock),
            facts=facts,
        )
    if table == "wc_users_rated":
        member = _int(row.get("user_id")) != 0
        return r.Rating(
            key=f"rating:{row_id}",
            thread_key=str(_int(row.get("post_id"))),
            rater=_voter(row.get("user_id"), not member, row.get("user_ip")),
            stars=_int(row.get("rating")),
            created_at=_when(row.get("date"), None, clock),
        )
    if table == "wc_comments_subscription":
        kind = str(row.get("subscribtion_type", ""))
        post = str(_int(row.get("post_id")))
        created = None
        stamp = str(row.get("subscription_date") or "")
        if stamp and not stamp.startswith("0000"):
            try:
                wall = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
                if dump_zone is not None:
                    created = (wall - dump_zone).replace(tzinfo=UTC)
                elif clock is not None:
                    created = clock.unshift(int((wall - datetime(1970, 1, 1)).total_seconds()))
            except ValueError:
                created = None
        facts = {"type": kind}
        if row.get("imported_from"):
            facts["imported_from"] = str(row["imported_from"])
        if kind not in ("post", "all_comment", "comment"):
            return r.Skipped(
                "subscription", f"subscription:{row_id}", f"unknown subscribtion_type {kind!r}"
            )
        return r.Subscription(
            key=f"subscription:{row_id}",
            thread_key=post,
            email=str(row.get("email") or ""),
            kind="replies" if kind == "comment" else "page",
            comment_key=str(_int(row.get("subscribtion_id"))) if kind == "comment" else None,
            confirmed=_int(row.get("confirm")) == 1,
            created_at=created,
            facts=facts,
        )
    if table == "wc_feedback_forms":
        from rejoinder.portability.formats.wxr import _text_only

        post = str(_int(row.get("post_id")))
        uid = str(row.get("unique_id") or "")
        return r.Prompt(
            key=f"uid:{post}:{uid}",
            aliases=[f"form:{row_id}"],
            thread_key=post,
            question=str(row.get("question") or ""),
            exact=_text_only(str(row.get("content") or "")),
            is_open=_int(row.get("opened")) == 1,
            facts={"shortcode": uid},
        )
    if table == "wc_follow_users":
        return r.Fact(
            kind="follow",
            key=f"follow:{row_id}",
            facts={
                "post_id": _int(row.get("post_id")),
                "user_id": _int(row.get("user_id")),
                "user_name": row.get("user_name"),
                "user_email": row.get("user_email"),
                "follower_email": row.get("follower_email"),
                "follower_id": _int(row.get("follower_id")),
                "follower_name": row.get("follower_name"),
                "confirmed": _int(row.get("confirm")) == 1,
                "follow_timestamp": _int(row.get("follow_timestamp")),
            },
        )
    return None
