"""Find a commented passage again after the article's text has been edited.

A passage is anchored the way the W3C Web Annotation model describes it: a `TextQuoteSelector`
(the exact words with a little context either side) and a `TextPositionSelector` (character
offsets), both over the article's plain text. When the text changes, `reanchor` tries in turn

1. the old position, if it still holds the quote ("position");
2. every exact occurrence of the quote, ranked by how much of its old context still stands
   beside it ("quote"), except that occurrences which keep the rest of the passage's own
   sentence come first; whitespace may differ, since readers cannot see it;
3. an approximate match that tolerates small edits in and around the passage ("fuzzy"):
   candidate places come from 5-character pieces of the quote and its context, boundaries from
   aligning a little text around each end, and the verdict from how much of the quote survived
   and how much of its context still surrounds it;

and otherwise reports the anchor "orphaned". Every stage asks for enough evidence (the quote
plus the context that survived, beyond what chance explains) before it places an anchor, and a
selection of whole words is never placed on part of a word: an orphaned comment still shows
its original quote, whereas one pinned to the wrong words misleads every reader. For the same
reason `reanchor_all` also checks placements whose context is not intact against their
neighbours.

Offsets count Python code points. Browsers count UTF-16 code units, which differ for characters
outside the Basic Multilingual Plane (most emoji), so convert where offsets cross that boundary.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import Match, SequenceMatcher
from typing import Literal

MAX_QUOTE_CHARS = 2_000
"""The longest passage that can be anchored; longer selections are refused."""

DEFAULT_CONTEXT_CHARS = 32
"""How much text either side of a passage an anchor keeps as its prefix and suffix."""

Method = Literal["position", "quote", "fuzzy", "orphaned"]

# Occurrences of a recurring quote compared in full; the rest are ranked by a cheap estimate.
_FULLY_COMPARED = 4
# ...and an occurrence counts as a contender when this much old context still touches it.
_TOUCHING_CHARS = 8
# Characters of agreement (quote plus surviving context) needed before anything is placed.
# About six words: a one- or two-word passage is placed only where most of one side of its old
# context survived, which is what tells apart the many "the council" of an article.
_MIN_EVIDENCE = 32
# Unrelated 32-character contexts still share a few characters in place by chance (measured on
# the corpus: 1 on average, 8 at the 99th percentile per side), so context counts as evidence
# only beyond this many characters.
_CONTEXT_NOISE = 6
# Context that is at least half intact settles an exact occurrence without looking further.
_SETTLED_CONTEXT = 0.5
# Between exact occurrences, the winner's context must beat the runner-up's by this many
# characters; closer than that the text gives no reason to prefer one, and one is chosen (the
# nearest) only if the context is nearly intact at all of them: duplicated text.
_MIN_LEAD = 8
_DUPLICATED_CONTEXT = 0.75
# A passage with empty context (it touched the start or end of the text) that still touches
# that edge counts this many characters of agreement on that side.
_EDGE_CHARS = 8
# Fuzzy acceptance, tuned on tests/inline/corpus.py and bench/reanchor.py (seeds 1-30); judge
# a change on tests/inline/held_out.py and seeds from 1001, never tuned on. An edited passage
# is accepted where most of its old characters survive (a typo fixed keeps 85-95% of a word,
# a word inserted keeps all of the passage, a word swapped for another loses most of it), the
# result is similar overall, and a good part of the old context still surrounds it.
_FUZZY_SIMILARITY = 0.75
_FUZZY_RETAINED = 0.85
_FUZZY_CONTEXT = 0.4
# Between two fuzzy matches at different places, the winner must lead by this much score
# unless its context is largely intact.
_FUZZY_LEAD = 0.05
# A passage whose neighbours on both sides are intact is the same slot of the article even when
# its own words changed more (a corrected figure, a reworded phrase).
_SLOT_SIMILARITY = 0.6
_SLOT_CONTEXT = 0.75
# A long passage that is nearly unchanged identifies itself even if it moved with new
# neighbours on both sides (a whole paragraph moved and touched up).
_SELF_EVIDENT_CHARS = 160
_SELF_EVIDENT_SIMILARITY = 0.9

# reanchor_all: settled placements with at least this share of their context intact are
# landmarks that vouch for their neighbours; any other placement must have shifted like the
# landmark before or after it, give or take this many characters plus a tenth of the distance
# to that landmark (edits between them)...
_LANDMARK_CONTEXT = 0.75
_NEIGHBOUR_SLACK = 100
_NEIGHBOUR_SLACK_GROWTH = 0.1
# ...unless it is a passage of at least this length that occurs exactly once.
_UNIQUE_ENOUGH_CHARS = 64

# Fuzzy candidates are found by voting: every 5-character piece of prefix+quote+suffix that
# occurs in the new text votes for an alignment. Pieces that occur everywhere (" the ") carry
# no information and cost the most, so they are skipped.
_GRAM = 5
_MAX_GRAM_POSITIONS = 8
_MAX_PROBES = 400
_MIN_VOTES = 3
_MAX_CANDIDATES = 3
# Passage boundaries are refined by aligning this much of the passage and its context, so the
# work per boundary is bounded whatever the passage length.
_BOUNDARY_CHARS = 24
_BOUNDARY_SLACK = 16

_WHITESPACE = re.compile(r"\s+")
# Where a sentence (or a heading, or a paragraph) ends: its closing punctuation, with any
# closing quotes or brackets, before whitespace or the end; or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s|$)|(?=\n)")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n\s*")


@dataclass(frozen=True, slots=True)
class TextQuoteSelector:
    """The passage's exact text and the text just before and after it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class TextPositionSelector:
    """The passage's character offsets in the text, end excluded."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextAnchor:
    """A passage of a text, described both by its words and by its place.

    A value, not the stored `inline.models.Anchor` of a comment (which also records where the
    passage is in the current revision).
    """

    quote: TextQuoteSelector
    position: TextPositionSelector


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an anchor landed in a new version of the text, and how it was found.

    `position` is None exactly when `method` is "orphaned". `score` runs from 0 to 1: the share
    of the quote and its context found again (1.0 for an untouched passage).
    """

    position: TextPositionSelector | None
    method: Method
    score: float


ORPHANED = Placement(position=None, method="orphaned", score=0.0)


def quotable_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Clip text[start:end] to what can be quoted: at most MAX_QUOTE_CHARS characters.

    A whole paragraph (an author's question, "comment on this paragraph") can be longer than
    a quote may be; its opening words then stand for it, cut at a word break when there is one.
    """
    if end - start <= MAX_QUOTE_CHARS:
        return start, end
    cut = start + MAX_QUOTE_CHARS
    space = text.rfind(" ", start + 1, cut + 1)
    return start, (space if space > start else cut)


def make_anchor(
    text: str, start: int, end: int, *, context: int = DEFAULT_CONTEXT_CHARS
) -> TextAnchor:
    """Describe the selection text[start:end] by its quote, context and position.

    `context` characters either side become the prefix and suffix (fewer at the text's edges).
    Raise ValueError if the selection lies outside the text, is empty or only whitespace, or is
    longer than MAX_QUOTE_CHARS.
    """
    if context < 1:
        # An empty prefix or suffix means "the passage touches the edge of the text".
        raise ValueError(f"context must be at least one character, got {context}")
    if start < 0 or end > len(text):
        raise ValueError(
            f"selection {start}-{end} lies outside the text, which has {len(text)} characters"
        )
    if end <= start:
        raise ValueError(f"selection {start}-{end} is empty")
    if end - start > MAX_QUOTE_CHARS:
        raise ValueError(
            f"selection is {end - start:,} characters long; at most {MAX_QUOTE_CHARS:,} can be quoted"
        )
    exact = text[start:end]
    if not exact.strip():
        raise ValueError("selection contains only whitespace")
    return TextAnchor(
        quote=TextQuoteSelector(
            exact=exact,
            prefix=text[max(0, start - context) : start],
            suffix=text[end : end + context],
        ),
        position=TextPositionSelector(start=start, end=end),
    )


def validate_quote(text: str, exact: str, prefix: str = "", suffix: str = "") -> TextAnchor:
    """Check that a quote sent by a browser occurs in the text, and anchor it there.

    The occurrence whose surroundings best match `prefix` and `suffix` is chosen (the first one
    on a tie). Runs of whitespace match any other run, because a browser's selection collapses
    them the way the page renders them. The returned anchor carries the text's own context,
    not the browser's. Raise ValueError if the text is empty, the quote is empty, too long, or
    does not occur.
    """
    if not text.strip():
        raise ValueError("there is no text to anchor to")
    if not exact.strip():
        raise ValueError("the quote is empty")
    if len(exact) > MAX_QUOTE_CHARS:
        raise ValueError(
            f"the quote is {len(exact):,} characters long; at most {MAX_QUOTE_CHARS:,} can be quoted"
        )
    index = _Text(text)
    spans = index.occurrences(exact)
    if not spans:
        raise ValueError("the quote does not occur in the text")
    quote = TextQuoteSelector(exact=exact, prefix=prefix, suffix=suffix)
    start, end = max(spans, key=lambda span: (index.context(quote, *span).agreeing, -span[0]))
    return make_anchor(text, start, end)


def reanchor(anchor: TextAnchor, new_text: str) -> Placement:
    """Find the anchored passage in a new version of the text.

    See the module docstring for the stages. Never raises for a well-formed anchor: a passage
    that cannot be found with confidence is reported orphaned.
    """
    return _reanchor(anchor, _Text(new_text)).placement


def reanchor_all(anchors: Iterable[TextAnchor], new_text: str) -> list[Placement]:
    """Find many passages in a new version of one text, in the order given.

    Besides sharing the work of indexing the text, the anchors vouch for one another. A
    placement whose old context is not wholly intact (unless it is a long passage found
    exactly once) is kept only if it moved with one of its neighbours: the nearest passages
    before and after it in the old text that were placed without needing such support.
    Otherwise it is orphaned, so reanchor_all may orphan an anchor that reanchor alone would
    place.
    """
    index = _Text(new_text)
    anchors = list(anchors)
    outcomes = [_reanchor(anchor, index) for anchor in anchors]
    landmarks = sorted(
        (anchor.position.start, outcome.placement.position.start - anchor.position.start)
        for anchor, outcome in zip(anchors, outcomes, strict=True)
        if outcome.placement.position is not None
        and outcome.share >= _LANDMARK_CONTEXT
        and not outcome.doubtful
    )
    olds = [old for old, _ in landmarks]
    placements: list[Placement] = []
    for anchor, outcome in zip(anchors, outcomes, strict=True):
        placement = outcome.placement
        if placement.position is not None and outcome.doubtful and landmarks:
            at = bisect_right(olds, anchor.position.start)
            near = landmarks[max(0, at - 1) : at + 1]
            # Text between a passage and a distant landmark may have been edited too.
            distance = min(abs(old - anchor.position.start) for old, _ in near)
            slack = _NEIGHBOUR_SLACK + int(distance * _NEIGHBOUR_SLACK_GROWTH)
            shift = placement.position.start - anchor.position.start
            if all(abs(shift - moved) > slack for _, moved in near):
                placement = ORPHANED
        placements.append(placement)
    return placements


@dataclass(frozen=True, slots=True)
class _Outcome:
    placement: Placement
    # The share of old context found around the placement (1.0 if untouched, 0.0 if orphaned).
    share: float
    # Whether another place could have been chosen: the quote occurs more than once, or the
    # match is only approximate.
    contested: bool
    length: int

    @property
    def doubtful(self) -> bool:
        """Tell whether the placement needs its neighbours' support (see reanchor_all)."""
        # Only an untouched context settles a place: a phrase that recurs, with context that
        # agrees in part, may have been found in another sentence built the same way.
        if self.share >= 1.0:
            return False
        # A long passage that occurs once is its own evidence, however far it moved.
        return self.contested or self.length < _UNIQUE_ENOUGH_CHARS


@dataclass(frozen=True, slots=True)
class _Context:
    """How much of an anchor's old context stands beside a span of the new text."""

    before: int
    after: int
    possible: int
    # The weaker side's agreement as a share of what it could have been; 1.0 if neither side
    # could be checked.
    weakest: float

    @property
    def agreeing(self) -> int:
        return self.before + self.after

    @property
    def evidence(self) -> int:
        """Return the agreeing characters that chance alone would not explain."""
        return max(0, self.agreeing - _CONTEXT_NOISE)

    @property
    def share(self) -> float:
        return self.agreeing / self.possible if self.possible else 0.0


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    # 2·LCS / (len(quote) + len(found)): 1.0 for the same text; unrelated English of equal
    # length scores about 0.4-0.55.
    similarity: float
    # LCS / len(quote): how much of the quote survived, whatever was added to it.
    retained: float
    context: _Context
    score: float


class _Text:
    """One version of the text, with lookup structures built on first use.

    `reanchor_all` shares one instance across anchors; the fuzzy index and the
    whitespace-folded copy are built only if some anchor needs them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._grams: dict[str, list[int]] | None = None
        self._folded: str | None = None
        # For each whitespace run of the original: its index in the folded text (where it is
        # a single space), and its start and end in the original.
        self._run_folded: list[int] = []
        self._run_spans: list[tuple[int, int]] = []

    def occurrences(self, exact: str) -> list[tuple[int, int]]:
        """Return the spans where `exact` occurs, allowing any whitespace for its whitespace."""
        text = self.text
        spans: list[tuple[int, int]] = []
        at = text.find(exact)
        while at != -1:
            spans.append((at, at + len(exact)))
            at = text.find(exact, at + 1)
        if not _WHITESPACE.search(exact):
            return spans
        # A quote with whitespace may also occur with different whitespace (a paragraph
        # re-wrapped, a line break turned into a space), which readers cannot see.
        folded = self.folded()
        needle = _WHITESPACE.sub(" ", exact)
        found = {start for start, _ in spans}
        at = folded.find(needle)
        while at != -1:
            start = self._unfold(at, edge="start")
            if start not in found:
                spans.append((start, self._unfold(at + len(needle), edge="end")))
            at = folded.find(needle, at + 1)
        return spans

    def folded(self) -> str:
        """Return the text with every whitespace run replaced by one space."""
        if self._folded is None:
            pieces: list[str] = []
            last = 0
            length = 0
            for run in _WHITESPACE.finditer(self.text):
                pieces.append(self.text[last : run.start()])
                length += run.start() - last
                self._run_folded.append(length)
                self._run_spans.append(run.span())
                pieces.append(" ")
                length += 1
                last = run.end()
            pieces.append(self.text[last:])
            self._folded = "".join(pieces)
        return self._folded

    def _unfold(self, offset: int, *, edge: Literal["start", "end"]) -> int:
        """Map an offset in the folded text back to the original text."""
        # The last whitespace run at or before the offset decides the shift.
        i = bisect_right(self._run_folded, offset - (1 if edge == "end" else 0)) - 1
        if i < 0:
            return offset
        run_at = self._run_folded[i]
        run_start, run_end = self._run_spans[i]
        if edge == "start" and offset == run_at:
            return run_start
        return run_end + offset - run_at - 1

    def grams(self) -> dict[str, list[int]]:
        """Return the positions of every _GRAM-character piece of the text."""
        if self._grams is None:
            grams: dict[str, list[int]] = {}
            text = self.text
            for at in range(len(text) - _GRAM + 1):
                grams.setdefault(text[at : at + _GRAM], []).append(at)
            self._grams = grams
        return self._grams

    def context(self, quote: TextQuoteSelector, start: int, end: int) -> _Context:
        """Measure how much of the quote's prefix and suffix surround text[start:end]."""
        text = self.text
        shares: list[float] = []
        possible = 0
        before = after = 0
        prefix, suffix = quote.prefix, quote.suffix
        if prefix:
            # Read both contexts away from the passage, so that index 0 touches it.
            before = _agreement(prefix[::-1], text[max(0, start - len(prefix)) : start][::-1])
            possible += len(prefix)
            shares.append(before / len(prefix))
        elif start == 0:
            before = possible = _EDGE_CHARS
            shares.append(1.0)
        if suffix:
            after = _agreement(suffix, text[end : end + len(suffix)])
            possible += len(suffix)
            shares.append(after / len(suffix))
        elif end == len(text):
            after = _EDGE_CHARS
            possible += _EDGE_CHARS
            shares.append(1.0)
        return _Context(
            before=before, after=after, possible=possible, weakest=min(shares, default=1.0)
        )

    def intact(self, quote: TextQuoteSelector, start: int, end: int) -> bool:
        """Tell whether text[start:end] is the quote with its whole old context around it."""
        text = self.text
        prefix, suffix = quote.prefix, quote.suffix
        if text[start:end] != quote.exact:
            return False
        if prefix:
            if start < len(prefix) or text[start - len(prefix) : start] != prefix:
                return False
        elif start != 0:
            return False
        if suffix:
            return text[end : end + len(suffix)] == suffix
        return end == len(text)


def _agreement(old: str, new: str) -> int:
    """Count the characters of old context that still stand beside the passage.

    Both strings start at the passage and read away from it. Only runs of three or more
    characters that sit roughly where they used to count: a " the " that happens to occur
    somewhere in unrelated context is not evidence.
    """
    if old == new:
        return len(old)
    run = _run(old, new)
    if run == len(old):
        return run
    matched = 0
    for a, b, size in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        if size >= 3 and abs(a - b) <= 3 + a // 4:
            matched += size
    return max(run, matched)


def _run(a: str, b: str) -> int:
    """Return the length of the common prefix of a and b."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_length(a: str, b: str) -> int:
    """Return the length of the longest common subsequence of a and b.

    Computed bit-parallel (Allison and Dix, 1986; Hyyrö, 2004): one pass over the shorter
    string with big-integer operations as wide as the longer, so a 2,000-character passage
    costs milliseconds where difflib would take a second.
    """
    if a == b:
        return len(a)
    if not a or not b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    masks: dict[str, int] = {}
    for i, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full
    for char in b:
        matches = row & masks.get(char, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(a) - row.bit_count()


def _reanchor(anchor: TextAnchor, index: _Text) -> _Outcome:
    quote, old = anchor.quote, anchor.position
    length = len(quote.exact)
    if not quote.exact:
        return _Outcome(ORPHANED, share=0.0, contested=False, length=length)
    # The common case after an edit elsewhere: nothing around the passage moved.
    if index.intact(quote, old.start, old.end):
        placement = Placement(position=old, method="position", score=1.0)
        return _Outcome(placement, share=1.0, contested=False, length=length)

    spans = [
        span
        for span in index.occurrences(quote.exact)
        if _keeps_word_edges(quote, index.text, *span)
    ]
    contested = len(spans) > 1
    exact = _best_occurrence(anchor, index, spans)
    if exact is not None and exact.context.share >= _SETTLED_CONTEXT:
        placement = _placement(exact, anchor, index)
        return _Outcome(placement, exact.context.share, contested, length)
    # Exact occurrences were judged above; the fuzzy stage looks for edited text only.
    fuzzy = _best_fuzzy(anchor, index, exclude=set(spans))
    if exact is not None and (
        fuzzy is None
        # An edited match that overlaps the exact words has only swallowed text added
        # next to them; elsewhere, it must be better supported by its context.
        or (fuzzy.start < exact.end and exact.start < fuzzy.end)
        or exact.score >= fuzzy.score
    ):
        placement = _placement(exact, anchor, index)
        return _Outcome(placement, exact.context.share, contested, length)
    if fuzzy is not None:
        placement = _placement(fuzzy, anchor, index, method="fuzzy")
        return _Outcome(placement, fuzzy.context.share, contested=True, length=length)
    return _Outcome(ORPHANED, share=0.0, contested=contested, length=length)


def _keeps_word_edges(quote: TextQuoteSelector, text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] begins and ends on word edges wherever the quote did.

    A reader who selected the word "cent" did not mean the "cent" inside "percentage".
    """
    if not (quote.prefix[-1:].isalnum() and quote.exact[0].isalnum()) and (
        start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    ):
        return False
    return (quote.exact[-1].isalnum() and quote.suffix[:1].isalnum()) or not (
        end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    )


def _placement(
    found: _Found, anchor: TextAnchor, index: _Text, method: Method | None = None
) -> Placement:
    if method is None:
        # "position" means the old offsets still hold the very same characters; an occurrence
        # found elsewhere, or found here only by ignoring whitespace, was found by its quote.
        same = (found.start, found.end) == (anchor.position.start, anchor.position.end)
        held = same and index.text[found.start : found.end] == anchor.quote.exact
        method = "position" if held else "quote"
    return Placement(
        position=TextPositionSelector(start=found.start, end=found.end),
        method=method,
        score=round(found.score, 3),
    )


def _best_occurrence(
    anchor: TextAnchor, index: _Text, spans: list[tuple[int, int]]
) -> _Found | None:
    """Return the exact occurrence best supported by context, if one is clearly best."""
    quote = anchor.quote
    if not spans:
        return None
    old_start = anchor.position.start
    # Occurrences that keep the rest of the passage's own sentence are the likeliest: editors
    # add, cut and move whole sentences, and a repeated phrase elsewhere differs from the
    # passage inside its sentence (another figure, another name) even where text beyond it
    # happens to agree. One such occurrence outranks any whose sentence differs.
    kept = _sentence_kept(quote, index.text, spans)
    if kept:
        spans = kept
    if len(spans) > _FULLY_COMPARED:
        spans = _likely_occurrences(quote, index.text, spans, old_start)
    scored = sorted(
        ((index.context(quote, *span), span) for span in spans),
        key=lambda item: item[0].agreeing,
        reverse=True,
    )
    context, (start, end) = scored[0]
    length = len(quote.exact)
    if length + context.evidence < _MIN_EVIDENCE:
        return None
    rivals = [item for item in scored if context.agreeing - item[0].agreeing < _MIN_LEAD]
    if len(rivals) > 1:
        # Several occurrences about equally well supported. If the context is nearly intact at
        # each, text around the passage was duplicated and the copy nearest the old place is
        # the natural choice; otherwise choosing would be a guess.
        if min(rival.share for rival, _ in rivals) < _DUPLICATED_CONTEXT:
            return None
        # A copy whose context differs from the old one is not the same text; only among
        # copies with equally intact context is nearness what decides.
        copies = [item for item in rivals if item[0].agreeing == context.agreeing]
        context, (start, end) = min(copies, key=lambda item: abs(item[1][0] - old_start))
    score = (length + context.agreeing) / (length + context.possible)
    return _Found(start=start, end=end, similarity=1.0, retained=1.0, context=context, score=score)


def _sentence_kept(
    quote: TextQuoteSelector, text: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Return the occurrences still beside the old context that lies in the passage's sentence.

    Only when that context, with the quote, is long enough to tell places apart (see
    _MIN_EVIDENCE); otherwise, or if no occurrence keeps it, return an empty list.
    """
    before = _sentence_part_before(quote.prefix)
    after = _sentence_part_after(quote.exact, quote.suffix)
    if not before and not after:
        return []
    if len(before) + len(quote.exact) + len(after) < _MIN_EVIDENCE:
        return []
    needle = before + quote.exact + after
    wanted = set(spans)
    kept: list[tuple[int, int]] = []
    at = text.find(needle)
    while at != -1:
        span = (at + len(before), at + len(before) + len(quote.exact))
        if span in wanted:
            kept.append(span)
        at = text.find(needle, at + 1)
    return kept


def _sentence_part_before(prefix: str) -> str:
    """Return the end of the prefix that belongs to the passage's sentence."""
    starts = [found.end() for found in _SENTENCE_BREAK.finditer(prefix)]
    return prefix[starts[-1] :] if starts else prefix


def _sentence_part_after(exact: str, suffix: str) -> str:
    """Return the start of the suffix that belongs to the passage's sentence."""
    # The passage may itself end its sentence ("... on Friday."), so look from inside it.
    tail = exact[-3:]
    for found in _SENTENCE_END.finditer(tail + suffix):
        if found.end() >= len(tail):
            return suffix[: found.end() - len(tail)]
    return suffix


def _likely_occurrences(
    quote: TextQuoteSelector, text: str, spans: list[tuple[int, int]], old_start: int
) -> list[tuple[int, int]]:
    """Pick the occurrences of a recurring quote worth comparing in full.

    Those still touched by a few characters of old context on either side are found by
    searching for the quote extended by that context, at the speed of str.find; the longest
    unbroken context wins among them. The occurrence nearest the old place is always kept.
    """
    exact, prefix, suffix = quote.exact, quote.prefix, quote.suffix
    touching: set[int] = set()
    for needle, offset, edge in (
        (prefix[-_TOUCHING_CHARS:] + exact, len(prefix[-_TOUCHING_CHARS:]), bool(prefix)),
        (exact + suffix[:_TOUCHING_CHARS], 0, bool(suffix)),
    ):
        if not edge:
            continue
        at = text.find(needle)
        while at != -1:
            touching.add(at + offset)
            at = text.find(needle, at + 1)
    if not prefix and text.startswith(exact):
        touching.add(0)
    if not suffix and text.endswith(exact):
        touching.add(len(text) - len(exact))

    def unbroken(span: tuple[int, int]) -> int:
        start, end = span
        before = text[max(0, start - len(prefix)) : start]
        return _run(prefix[::-1], before[::-1]) + _run(suffix, text[end : end + len(suffix)])

    likely = sorted((span for span in spans if span[0] in touching), key=unbroken, reverse=True)
    likely = likely[: _FULLY_COMPARED - 1]
    nearest = min(spans, key=lambda span: abs(span[0] - old_start))
    if nearest not in likely:
        likely.append(nearest)
    return likely


def _best_fuzzy(anchor: TextAnchor, index: _Text, exclude: set[tuple[int, int]]) -> _Found | None:
    """Return the best approximate match that passes the acceptance rules, if one is clearly best."""
    quote = anchor.quote
    old_start = anchor.position.start
    found: dict[tuple[int, int], _Found] = {}
    for low, high in _candidate_regions(quote, index):
        candidate = _fit(quote, index, low, high)
        if candidate is None or (candidate.start, candidate.end) in exclude:
            continue
        if _acceptable(candidate, len(quote.exact)):
            found[candidate.start, candidate.end] = candidate
    ranked = sorted(
        found.values(), key=lambda f: (f.score, -abs(f.start - old_start)), reverse=True
    )
    if not ranked:
        return None
    best = ranked[0]
    for other in ranked[1:]:
        apart = other.end <= best.start or best.end <= other.start
        if (
            apart
            and best.score - other.score < _FUZZY_LEAD
            and best.context.share < _SETTLED_CONTEXT
        ):
            # Two different places fit about equally and neither has its context: a guess.
            return None
    return best


def _acceptable(found: _Found, length: int) -> bool:
    similarity, context = found.similarity, found.context
    evidence = similarity * length + context.evidence
    return (
        (
            similarity >= _FUZZY_SIMILARITY
            and found.retained >= _FUZZY_RETAINED
            and context.share >= _FUZZY_CONTEXT
            and evidence >= _MIN_EVIDENCE
        )
        or (
            similarity >= _SLOT_SIMILARITY
            and context.possible > 0
            and context.weakest >= _SLOT_CONTEXT
            and evidence >= _MIN_EVIDENCE
        )
        or (length >= _SELF_EVIDENT_CHARS and similarity >= _SELF_EVIDENT_SIMILARITY)
    )


def _candidate_regions(quote: TextQuoteSelector, index: _Text) -> list[tuple[int, int]]:
    """Return ranges of likely new start offsets for the quote, best supported first.

    Each piece of prefix+exact+suffix found in the new text votes for the start its position
    implies. Votes that agree within the length change an edit could cause form a region.
    """
    query = quote.prefix + quote.exact + quote.suffix
    shift = len(quote.prefix)
    grams = index.grams()
    step = max(1, (len(query) - _GRAM + 1) // _MAX_PROBES)
    votes: Counter[int] = Counter()
    for at in range(0, len(query) - _GRAM + 1, step):
        positions = grams.get(query[at : at + _GRAM])
        if positions and len(positions) <= _MAX_GRAM_POSITIONS:
            votes.update([position - at + shift for position in positions])
    # Votes pile up on a few starts where the text matches, so work on distinct starts.
    starts = sorted(votes)
    weights = [votes[start] for start in starts]
    band = _BOUNDARY_SLACK + len(quote.exact) // 4
    regions: list[tuple[int, int]] = []
    while starts and len(regions) < _MAX_CANDIDATES:
        # The heaviest window of width `band` over the sorted starts (two pointers).
        best_weight, best_first, best_last = 0, 0, 0
        weight, first = 0, 0
        for last, start in enumerate(starts):
            weight += weights[last]
            while start - starts[first] > band:
                weight -= weights[first]
                first += 1
            if weight > best_weight:
                best_weight, best_first, best_last = weight, first, last
        if best_weight < _MIN_VOTES:
            break
        regions.append((starts[best_first], starts[best_last]))
        del starts[best_first : best_last + 1]
        del weights[best_first : best_last + 1]
    return regions


def _fit(quote: TextQuoteSelector, index: _Text, low: int, high: int) -> _Found | None:
    """Place the quote's boundaries near starts low..high and measure the match."""
    text = index.text
    exact = quote.exact
    head = quote.prefix[-_BOUNDARY_CHARS:]
    tail = quote.suffix[:_BOUNDARY_CHARS]
    start = _boundary(head + exact[:_BOUNDARY_CHARS], len(head), text, low, high, edge="start")
    end = _boundary(
        exact[-_BOUNDARY_CHARS:] + tail,
        min(len(exact), _BOUNDARY_CHARS),
        text,
        low + len(exact),
        high + len(exact),
        edge="end",
    )
    if start is None or end is None:
        return None
    # Where a changed stretch straddles a boundary, its split is a guess; tidy it the way the
    # reader selected: no stray whitespace, and no half words if the selection had none.
    if not (quote.prefix[-1:].isalnum() and exact[0].isalnum()):
        start = _snap_to_word_edge(text, start, prefer_back=True)
    if not (exact[-1].isalnum() and quote.suffix[:1].isalnum()):
        end = _snap_to_word_edge(text, end, prefer_back=False)
    while start < end and text[start].isspace() and not exact[0].isspace():
        start += 1
    while end > start and text[end - 1].isspace() and not exact[-1].isspace():
        end -= 1
    if end <= start or end - start > 2 * len(exact) + _BOUNDARY_SLACK:
        return None
    common = _common_length(exact, text[start:end])
    similarity = 2 * common / (len(exact) + end - start)
    context = index.context(quote, start, end)
    score = (similarity * len(exact) + context.agreeing) / (len(exact) + context.possible)
    return _Found(
        start=start,
        end=end,
        similarity=similarity,
        retained=common / len(exact),
        context=context,
        score=score,
    )


def _snap_to_word_edge(text: str, offset: int, *, prefer_back: bool) -> int:
    """Move an offset that falls inside a word to the nearer edge of that word."""
    if not (0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()):
        return offset
    back = offset
    while back > 0 and text[back - 1].isalnum():
        back -= 1
    forward = offset
    while forward < len(text) and text[forward].isalnum():
        forward += 1
    if offset - back < forward - offset or (offset - back == forward - offset and prefer_back):
        return back
    return forward


def _boundary(
    pattern: str,
    cut: int,
    text: str,
    low: int,
    high: int,
    *,
    edge: Literal["start", "end"],
) -> int | None:
    """Find where offset `cut` of `pattern` falls in the text, expected between low and high.

    The pattern is a passage boundary with some text either side; it is aligned with a window
    of the text around the expected place, and the cut is carried across the alignment. Where
    the cut falls in a changed stretch, it is placed proportionally; where text was inserted
    exactly at the cut, the insertion is left outside the passage.
    """
    window_start = max(0, low - cut - _BOUNDARY_SLACK)
    window = text[window_start : high + len(pattern) - cut + _BOUNDARY_SLACK]
    if not window:
        return None
    blocks = SequenceMatcher(None, pattern, window, autojunk=False).get_matching_blocks()
    before: tuple[int, int] | None = None
    after: tuple[int, int] | None = None
    for i, (a, b, size) in enumerate(blocks):
        if size == 0:
            break
        if a < cut < a + size:
            return window_start + _slide_insertion(pattern, cut, window, blocks, i, edge)
        if a + size <= cut:
            before = (a + size, b + size)
        else:
            after = (a, b)
            break
    if before is None:
        if after is None:
            return None
        offset = max(0, after[1] - (after[0] - cut))
    elif after is None:
        offset = min(len(window), before[1] + cut - before[0])
    elif before[0] == after[0]:
        # Pure insertion at the boundary: keep the passage tight.
        offset = after[1] if edge == "start" else before[1]
    else:
        gap_pattern = after[0] - before[0]
        gap_window = after[1] - before[1]
        offset = before[1] + round(gap_window * (cut - before[0]) / gap_pattern)
    return window_start + offset


def _slide_insertion(
    pattern: str,
    cut: int,
    window: str,
    blocks: list[Match],
    i: int,
    edge: Literal["start", "end"],
) -> int:
    """Carry the cut across block i, which spans it, to its offset in the window.

    Text inserted next to a passage often repeats the characters at its edge: a sentence added
    after "... weather permitting." also ends in a full stop, and the alignment may keep the
    passage's stop with the new sentence's. If the inserted text can slide to the cut, it is a
    pure insertion at the boundary, and is left outside the passage like any other.
    """
    a, b, size = blocks[i]
    if edge == "end" and i > 0:
        before_a, before_b, before_size = blocks[i - 1]
        inserted = window[before_b + before_size : b]
        if before_a + before_size == a and inserted.startswith(pattern[a:cut]):
            return before_b + before_size + cut - a
    if edge == "start" and i + 1 < len(blocks):
        after_a, after_b, after_size = blocks[i + 1]
        inserted = window[b + size : after_b]
        if after_size and a + size == after_a and inserted.endswith(pattern[cut : a + size]):
            return after_b - (a + size - cut)
    return b + cut - a
