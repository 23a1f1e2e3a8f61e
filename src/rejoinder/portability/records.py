"""The neutral records every format reader yields and the one writer consumes.

A reader turns its format into these, in the order it meets them, with every time already
in UTC and every body already in Rejoinder's stored form (Markdown). Threads come before the
comments on them; anything else (parents, votes, subscriptions) may name objects that come
later or came in an earlier import: the writer resolves them at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Status = Literal["published", "pending", "spam", "removed"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where an object came from before: another system's id, and the facts kept with it."""

    system: str
    id: str
    facts: dict[str, Any]


@dataclass(slots=True)
class Thread:
    """A discussion: an article of the source, which becomes a Page."""

    key: str
    url: str = ""  # the page's public URL when the source has one
    uri: str = ""  # a path or identifier when it has no URL (Isso, Waline, Commento)
    title: str = ""
    closed: bool = False
    created_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Author:
    """Who wrote a comment, as the source knew them.

    `key` identifies the person within the source system (an account id, or name and email
    for guests); comments with the same key belong to one Commenter. `name` is kept exactly
    as written.
    """

    key: str
    name: str = ""
    email: str = ""
    website: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)  # reader_key, created_at


@dataclass(slots=True)
class Comment:
    key: str
    thread_key: str
    parent_key: str | None
    author: Author
    created_at: datetime
    body: str  # Markdown, Rejoinder's stored form
    status: Status = "published"
    ip: str = ""  # a raw address, hashed by the writer; never stored
    ip_hash: str = ""  # an address already hashed (Rejoinder's own export)
    edited_at: datetime | None = None
    upvotes: int = 0  # totals the source kept without per-reader rows
    downvotes: int = 0
    suspected_spam: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    body_html: str | None = None  # filled by the writer's rendering step
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)  # columns of Rejoinder's own export


@dataclass(slots=True)
class Vote:
    key: str
    comment_key: str
    voter: Author
    value: int  # 1, -1, or 0 for a vote the reader withdrew
    created_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Rating:
    key: str
    thread_key: str
    rater: Author
    stars: int
    created_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RatingTotals:
    """A page's rating as the source summed it, when it kept no per-reader rows."""

    thread_key: str
    average: float
    count: int


@dataclass(slots=True)
class Subscription:
    key: str
    thread_key: str
    email: str
    kind: Literal["page", "replies"]
    comment_key: str | None = None  # replies to this comment's author
    confirmed: bool = False
    created_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Prompt:
    """A question the author asked readers about a passage (wpDiscuz inline feedback)."""

    key: str
    thread_key: str
    question: str
    exact: str  # the passage's text
    is_open: bool = True
    facts: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)  # other keys the source uses for it
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Answer:
    """A comment written about a prompt's passage."""

    comment_key: str
    prompt_key: str
    fallback_key: str | None = None  # the prompt to use when `prompt_key` is not known
    native: dict[str, Any] = field(default_factory=dict)  # the anchor's own fields


@dataclass(slots=True)
class Linkback:
    key: str
    thread_key: str
    kind: str  # pingback, trackback
    title: str
    url: str
    excerpt: str
    status: Status
    created_at: datetime
    ip: str = ""
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Block:
    """A commenter the source blocked, until a time or forever (None)."""

    author: Author | None  # None: a ban of an address or email alone
    until: datetime | None
    reason: str = ""
    key: str = ""
    sources: list[Source] = field(default_factory=list)
    native: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Fact:
    """Something of the source Rejoinder has no table for, kept so an export can give it back."""

    kind: str
    key: str
    facts: dict[str, Any]
    system: str = ""  # the system it came from, when not the import's own


@dataclass(slots=True)
class Native:
    """A row only Rejoinder has (an article, a revision, a flag, moderation rules, a
    moderator, an audit entry), as its own export wrote it: `fields` name other rows by
    their export ids."""

    kind: str
    key: str
    fields: dict[str, Any]
    sources: list[Source] = field(default_factory=list)


@dataclass(slots=True)
class Skipped:
    """Something the reader could not turn into a record, with the reason."""

    kind: str
    key: str
    reason: str
    line: int | None = None


@dataclass(slots=True)
class Note:
    """Something the report should say about the file as a whole."""

    text: str


Record = (
    Author
    | Thread
    | Comment
    | Vote
    | Rating
    | RatingTotals
    | Subscription
    | Prompt
    | Answer
    | Linkback
    | Block
    | Fact
    | Native
    | Skipped
    | Note
)
