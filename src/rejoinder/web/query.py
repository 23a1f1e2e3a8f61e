"""Reading query and form parameters: a usable value or None, whatever the client sent."""

from __future__ import annotations

from rejoinder.comments.thread import decode_cursor
from rejoinder.errors import InvalidInput


def small_int(value: str | None) -> int | None:
    """Return a parameter as a non-negative int, or None unless it is 1-9 ASCII digits."""
    # str.isdigit alone accepts "²", which int() refuses.
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


def valid_cursor(cursor: str | None) -> str | None:
    """Return a thread's paging cursor if it parses, else None (callers that must refuse it
    check for that)."""
    if not cursor:
        return None
    try:
        decode_cursor(cursor)
    except InvalidInput:
        return None
    return cursor
