"""A site's word and link rules, applied to a comment's text.

Words are compared the way `plain_words` reads them, so "V1AGRA", "s.p.a.m", "spaaam" and
a Cyrillic letter in "casino" all match their plain spelling, while word boundaries keep
"class" from matching "ass".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rejoinder.moderation.spam.features import plain_words


def _word_pattern(word: str) -> str:
    # Every letter may repeat: "spam" also finds "spaam" (runs are cut to two when reading).
    return "".join(re.escape(ch) + ("+" if ch.isalpha() else "") for ch in word)


@lru_cache(maxsize=256)
def _compiled(phrases: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for phrase in phrases:
        words = plain_words(phrase)
        if words:
            body = " ".join(_word_pattern(w) for w in words)
            compiled.append((phrase, re.compile(rf"(?<!\S){body}(?!\S)")))
    return compiled


def find_phrase(text: str, phrases: Sequence[str]) -> str | None:
    """Return the first of `phrases` that `text` contains as whole words, or None."""
    if not phrases:
        return None
    reading = " ".join(plain_words(text))
    for phrase, pattern in _compiled(tuple(phrases)):
        if pattern.search(reading):
            return phrase
    return None
