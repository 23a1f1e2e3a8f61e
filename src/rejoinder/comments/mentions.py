"""`@name` mentions: which readers of a discussion a comment names, and where their link goes.

A mention names someone who has a published comment on the same page, by the display name
shown there: `@Ana`, or in quotes when the name has spaces, `@"Ana Lima"`. Without quotes the
longest known name that follows the `@` wins (`@Ana Lima` names "Ana Lima" when both "Ana" and
"Ana Lima" commented), and a name must end where a word ends. Letter case is ignored. Only
names found among the page's commenters become links, and the link (to their latest comment
on the page) is built here, never taken from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from rejoinder.comments.models import Comment, CommentStatus


@dataclass(frozen=True)
class Known:
    """A name one can mention on a page: its commenter, and their latest comment there."""

    name: str
    commenter_id: int
    comment_id: int

    @property
    def url(self) -> str:
        return f"{settings.PUBLIC_URL}/c/{self.comment_id}/"


@dataclass(frozen=True)
class Mention:
    start: int  # the "@"
    end: int  # just past the name (and its closing quote)
    known: Known


KnownNames = dict[str, Known]  # keyed by the casefolded name
_WORD = re.compile(r"\w")


def known_names(page_id: int) -> KnownNames:
    """Return the names one can mention on a page: its published commenters', latest first.

    When two commenters share a name, the one who wrote last is meant.
    """
    rows = (
        Comment.objects.filter(page_id=page_id, status=CommentStatus.PUBLISHED)
        .values("author_name", "author_id")
        .annotate(latest=Max("pk"))
        .order_by("latest")
    )
    names: KnownNames = {}
    for row in rows:
        name = row["author_name"].strip()
        if name:
            names[name.casefold()] = Known(name, row["author_id"], row["latest"])
    return names


def find_mentions(text: str, known: KnownNames) -> list[Mention]:
    """Return the mentions of known names in plain text, in order, without overlaps."""
    if not known or "@" not in text:
        return []
    by_length = sorted(known.values(), key=lambda k: len(k.name), reverse=True)
    folded = text.casefold()
    # casefold can change lengths (ß → ss); only texts whose folding keeps them are searched
    # without quotes, so every index below means the same character in both.
    aligned = len(folded) == len(text)
    found: list[Mention] = []
    i = text.find("@")
    while i != -1:
        mention = None
        if i == 0 or not (_WORD.match(text[i - 1]) or text[i - 1] == "@"):
            mention = _mention_at(text, folded if aligned else None, i, known, by_length)
        if mention is not None:
            found.append(mention)
            i = text.find("@", mention.end)
        else:
            i = text.find("@", i + 1)
    return found


def _mention_at(
    text: str, folded: str | None, at: int, known: KnownNames, by_length: list[Known]
) -> Mention | None:
    if text.startswith('"', at + 1):
        close = text.find('"', at + 2)
        if close == -1:
            return None
        hit = known.get(" ".join(text[at + 2 : close].split()).casefold())
        return Mention(at, close + 1, hit) if hit else None
    if folded is None:
        return None
    for candidate in by_length:
        end = at + 1 + len(candidate.name)
        if folded.startswith(candidate.name.casefold(), at + 1) and not (
            end < len(text) and _WORD.match(text[end])
        ):
            return Mention(at, end, candidate)
    return None
