"""Initials avatars: a coloured circle with the author's initials, made here from the comment.

No image is fetched for them (a page showing Gravatar's usual URL would publish a hash of
the email); a site may opt in to pictures the server fetches and serves itself
(accounts/avatars.py), with these initials whenever there is none. The colour comes from a keyed hash of the commenter, the row that owns the reader key, so one
author keeps one colour under any display name, and the colour says nothing about the id or
the email, which is never used.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

# discussion.css defines .rj-avatar-0 … .rj-avatar-7; each keeps white initials at 4.5:1 or more.
AVATAR_COLOURS = 8


def initials(name: str) -> str:
    """Return up to two capital initials of a display name: its first and last words' first letters.

    Punctuation and symbols are skipped ("Amal K." gives "AK", "🦊 fox" gives "F"); a name
    without a letter or digit gives "?".
    """
    words = ["".join(c for c in word if c.isalnum()) for word in name.split()]
    words = [word for word in words if word]
    if not words:
        return "?"
    firsts = [words[0][0]] if len(words) == 1 else [words[0][0], words[-1][0]]
    # One letter at most each: "ß".upper() is "SS".
    return "".join(letter.upper()[0] for letter in firsts)


def avatar_colour(author_id: int) -> int:
    """Return the colour (0 to AVATAR_COLOURS - 1) of a commenter's avatar, from a keyed hash."""
    digest = salted_hmac("rejoinder.widget.avatars", str(author_id)).digest()
    return int.from_bytes(digest[:4], "big") % AVATAR_COLOURS
