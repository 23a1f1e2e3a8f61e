"""What happened to comments, for the apps that react to it (subscriptions, live updates).

`comments` never imports its listeners: they register here in their `AppConfig.ready()`.
A listener either runs inside the write's transaction (for a durable, cheap record such as a
mail fan-out job, so a crash right after commit loses nothing) or after a successful commit
(for effects outside the database). Listeners inside the transaction must stay constant-time:
they run on every write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction


@dataclass(frozen=True)
class CommentPublished:
    """A comment became visible: posted published, or approved later (`was_held`: it left a
    moderators' queue)."""

    comment_id: int
    page_id: int
    was_held: bool = False


@dataclass(frozen=True)
class CommentHidden:
    """A visible comment stopped being visible: removed, marked spam, or held after flags."""

    comment_id: int
    page_id: int
    status: str


@dataclass(frozen=True)
class CommentHeld:
    """A new comment waits for a moderator (pre-moderation, a rule or the spam filter)."""

    comment_id: int
    page_id: int


@dataclass(frozen=True)
class CommentEdited:
    """A comment's author changed its text."""

    comment_id: int
    page_id: int


@dataclass(frozen=True)
class CommentDeleted:
    """A comment's author deleted it: gone, or a "[removed]" placeholder kept for its replies."""

    comment_id: int
    page_id: int
    was_published: bool


@dataclass(frozen=True)
class CommentVoted:
    """A comment's vote counts changed."""

    comment_id: int
    page_id: int


@dataclass(frozen=True)
class CommentsModerated:
    """A moderator acted on comments of one site (approve, remove, spam, restore)."""

    site_id: int
    comment_ids: tuple[int, ...]
    action: str
    moderator_id: int | None
    moderator_name: str


Event = TypeVar("Event")
_within: dict[type, list[Callable[[Any], None]]] = defaultdict(list)
_after_commit: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


def on(
    event_type: type[Event], handler: Callable[[Event], None], *, within_transaction: bool = False
) -> None:
    """Call `handler` for every event of this type (inside the transaction, or after commit)."""
    registry = _within if within_transaction else _after_commit
    if handler not in registry[event_type]:
        registry[event_type].append(handler)


def emit(event: object) -> None:
    """Announce an event from inside the write that caused it."""
    for handler in _within[type(event)]:
        handler(event)
    for handler in _after_commit[type(event)]:
        transaction.on_commit(partial(handler, event))
