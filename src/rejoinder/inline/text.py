"""The plain text of an article, and its HTML marked up with where that text lies.

Anchors (see `anchoring.py`) count characters in the article's plain text, so the server and
the reader's browser must agree on that text exactly. The rule, over sanitised article HTML
(`pages.publishing.render_article_markdown`):

- The text is made of *blocks*: every `p`, `li`, `h1`-`h6`, `pre`, `th`, `td`, `dt`, `dd`,
  `caption` and `figcaption` element (a blockquote's paragraphs are its `p` elements). Blocks
  are taken in the document order of their start tags and joined by a blank line ("\\n\\n").
- A block's text is its text nodes concatenated, with every run of HTML whitespace (space, tab,
  CR, LF, form feed; not the no-break space) collapsed to one space and the ends trimmed. A
  `br`, and a block nested inside it (a nested list, a paragraph in a list item), count as
  whitespace there; the nested block's text belongs to the nested block only.
- A `pre` block keeps its text as written, less leading and trailing line breaks.
- Blocks with no text are left out; text outside every block is not part of the text.
- An element marked `data-rj-skip` (our own controls, put into list items when the article
  is shown) is not part of the text, nor is anything inside it. Sanitised article HTML never
  has one; the rule is here so that the page as shown extracts to the same text.

Offsets count Python code points (see the note in `anchoring.py` about UTF-16 in browsers).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from itertools import pairwise

BLOCK_TAGS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "th", "td", "dt", "dd", "caption"}
    | {"figcaption"}
)
BLOCK_SEPARATOR = "\n\n"
MARK_TAG = "mark"
SKIP_ATTRIBUTE = "data-rj-skip"

_VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source", "area"})
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_LINE_BREAKS = "\n\r"


@dataclass(frozen=True)
class Block:
    """One block of the text: `text[start:end]` is its text; `index` counts from 0."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class ArticleText:
    """An article's plain text and the blocks it is made of."""

    text: str
    blocks: tuple[Block, ...]

    def block_at(self, offset: int) -> Block | None:
        """Return the block holding the character at `offset`, or None between blocks."""
        at = bisect_right([block.start for block in self.blocks], offset) - 1
        if at >= 0 and offset < self.blocks[at].end:
            return self.blocks[at]
        return None


@dataclass(frozen=True)
class Span:
    """A stretch of the plain text to mark, with the attributes its `<mark>` elements get."""

    start: int
    end: int
    attrs: dict[str, str] = field(default_factory=dict)


# Tokens of the parsed HTML, kept so that `annotate` can write it back.
_START, _END, _TEXT, _RAW = range(4)


@dataclass
class _Piece:
    """A stretch of one block's raw (uncollapsed) text: a text node or a separator."""

    token: int  # index of the text token, or -1 for a separator
    raw_start: int
    raw_end: int


@dataclass
class _BlockDraft:
    tag: str
    token: int  # index of the start tag's token
    pre: bool
    pieces: list[_Piece] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    length: int = 0

    def add(self, token: int, text: str) -> None:
        self.pieces.append(_Piece(token, self.length, self.length + len(text)))
        self.raw.append(text)
        self.length += len(text)


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[int, str, str]] = []
        self.skipped: set[int] = set()  # start tags marked data-rj-skip

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(name == SKIP_ATTRIBUTE for name, _ in attrs):
            self.skipped.add(len(self.tokens))
        self.tokens.append((_START, tag, self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append((_START, tag, self.get_starttag_text() or f"<{tag}/>"))
        self.tokens.append((_END, tag, ""))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((_END, tag, f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.tokens.append((_TEXT, "", data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append((_RAW, "", f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append((_RAW, "", f"<!{decl}>"))


@dataclass
class _Layout:
    """The parsed HTML with, for each block, where its text lies in raw and in plain text."""

    tokens: list[tuple[int, str, str]]
    drafts: list[_BlockDraft]
    article: ArticleText
    # Per draft: its Block (None if left out), its collapsed text's map back to raw offsets.
    placed: list[tuple[Block | None, _Collapse | None]]


class _Collapse:
    """How a block's raw text maps onto its collapsed text.

    `dropped` lists the raw ranges left out (trimmed ends, all but the first character of each
    inner whitespace run); every other raw character is kept, in order.
    """

    def __init__(self, raw: str, pre: bool) -> None:
        dropped: list[tuple[int, int]] = []
        if pre:
            lead = len(raw) - len(raw.lstrip(_LINE_BREAKS))
            trail = len(raw) - len(raw.rstrip(_LINE_BREAKS))
            if lead:
                dropped.append((0, lead))
            if trail and trail < len(raw):
                dropped.append((len(raw) - trail, len(raw)))
            self.text = raw.strip(_LINE_BREAKS)
        else:
            for run in _HTML_WHITESPACE.finditer(raw):
                start, end = run.span()
                if start == 0 or end == len(raw):
                    dropped.append((start, end))
                elif end - start > 1 or raw[start] != " ":
                    # Keep the first character; it reads as a space.
                    dropped.append((start + 1, end))
            self.text = _HTML_WHITESPACE.sub(" ", raw).strip(" \t\n\r\f")
        if pre and not self.text:
            dropped = [(0, len(raw))]
        self.dropped = dropped
        # kept_before[i]: characters kept before dropped range i.
        self._kept_before: list[int] = []
        self._dropped_before: list[int] = []
        removed = 0
        for start, end in dropped:
            self._kept_before.append(start - removed)
            removed += end - start
            self._dropped_before.append(removed)

    def kept(self, raw_offset: int) -> int:
        """Return how many kept characters precede `raw_offset`."""
        removed = 0
        for start, end in self.dropped:
            if start >= raw_offset:
                break
            removed += min(end, raw_offset) - start
        return raw_offset - removed

    def raw_of(self, offset: int) -> int:
        """Return the raw offset of kept character number `offset` (or the raw end)."""
        at = bisect_right(self._kept_before, offset)
        return offset + (self._dropped_before[at - 1] if at else 0)


def _layout(body_html: str) -> _Layout:
    parser = _Tokenizer()
    parser.feed(body_html)
    parser.close()
    tokens = parser.tokens
    drafts: list[_BlockDraft] = []
    open_blocks: list[_BlockDraft] = []
    open_tags: list[str] = []
    skip_depth: int | None = None  # len(open_tags) outside the data-rj-skip element being skipped
    for number, (kind, tag, data) in enumerate(tokens):
        if kind == _START and (skip_depth is not None or number in parser.skipped):
            if skip_depth is None:
                skip_depth = len(open_tags)
            if tag not in _VOID_TAGS:
                open_tags.append(tag)
            elif skip_depth == len(open_tags):
                skip_depth = None  # a void element marked skip: nothing inside it
        elif kind == _START:
            if tag in BLOCK_TAGS:
                if open_blocks:
                    open_blocks[-1].add(-1, " ")
                pre = tag == "pre" or bool(open_blocks and open_blocks[-1].pre)
                draft = _BlockDraft(tag=tag, token=number, pre=pre)
                drafts.append(draft)
                open_blocks.append(draft)
                open_tags.append(tag)
            elif tag == "br" and open_blocks:
                open_blocks[-1].add(-1, "\n" if open_blocks[-1].pre else " ")
            elif tag not in _VOID_TAGS:
                open_tags.append(tag)
        elif kind == _END:
            if tag in _VOID_TAGS or tag not in open_tags:
                continue
            # Close everything opened since, as browsers do with misnested tags.
            while open_tags:
                closed = open_tags.pop()
                if skip_depth is not None:
                    if len(open_tags) == skip_depth:
                        skip_depth = None
                elif closed in BLOCK_TAGS and open_blocks:
                    open_blocks.pop()
                    if open_blocks:
                        open_blocks[-1].add(-1, " ")
                if closed == tag:
                    break
        elif kind == _TEXT and open_blocks and skip_depth is None:
            open_blocks[-1].add(number, data)

    parts: list[str] = []
    blocks: list[Block] = []
    placed: list[tuple[Block | None, _Collapse | None]] = []
    offset = 0
    for draft in drafts:
        collapse = _Collapse("".join(draft.raw), draft.pre)
        if not collapse.text:
            placed.append((None, None))
            continue
        if blocks:
            offset += len(BLOCK_SEPARATOR)
        block = Block(index=len(blocks), start=offset, end=offset + len(collapse.text))
        blocks.append(block)
        parts.append(collapse.text)
        offset = block.end
        placed.append((block, collapse))
    article = ArticleText(text=BLOCK_SEPARATOR.join(parts), blocks=tuple(blocks))
    return _Layout(tokens=tokens, drafts=drafts, article=article, placed=placed)


def extract_text(body_html: str) -> ArticleText:
    """Return the plain text of sanitised article HTML and its blocks (rule in the module doc)."""
    return _layout(body_html).article


def _attributes(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value, quote=True)}"' for name, value in attrs.items())


def _with_attributes(start_tag: str, attrs: dict[str, str]) -> str:
    closing = "/>" if start_tag.endswith("/>") else ">"
    return start_tag[: -len(closing)].rstrip() + _attributes(attrs) + closing


def annotate(
    body_html: str,
    spans: Sequence[Span],
    *,
    block_attrs: Callable[[Block], dict[str, str]] | None = None,
) -> str:
    """Return the HTML with its blocks numbered and the spans' text wrapped in `<mark>`s.

    Every block element gets `data-rj-block` (its index) and `data-rj-start` (its offset in the
    plain text), plus whatever `block_attrs` returns for it. A span's text is wrapped in one
    `<mark>` per text node it covers, so marks never cross element or block boundaries.
    Overlapping spans split the text at every span boundary; each piece nests one mark per
    span covering it, in the order the spans were given (the first outermost). Whitespace that
    the plain text leaves out is marked with the text around it. Attribute names are the
    caller's (keep them to known names); values are escaped. The result extracts to the same
    `ArticleText` as the input.
    """
    layout = _layout(body_html)
    # For each text token: the block it lies in, and its raw offsets in that block.
    located: dict[int, tuple[Block, _Collapse, int, int]] = {}
    block_tokens: dict[int, Block] = {}
    for draft, (block, collapse) in zip(layout.drafts, layout.placed, strict=True):
        if block is None or collapse is None:
            continue
        block_tokens[draft.token] = block
        for piece in draft.pieces:
            if piece.token >= 0:
                located[piece.token] = (block, collapse, piece.raw_start, piece.raw_end)
    ordered = [span for span in spans if span.end > span.start]
    starts = sorted({span.start for span in ordered} | {span.end for span in ordered})

    out: list[str] = []
    for number, (kind, _tag, data) in enumerate(layout.tokens):
        if kind == _START:
            block = block_tokens.get(number)
            if block is None:
                out.append(data)
                continue
            attrs = {"data-rj-block": str(block.index), "data-rj-start": str(block.start)}
            if block_attrs is not None:
                attrs.update(block_attrs(block))
            out.append(_with_attributes(data, attrs))
        elif kind == _TEXT:
            where = located.get(number)
            if where is None or not ordered:
                out.append(escape(data, quote=False))
            else:
                out.append(_marked(data, where, ordered, starts))
        else:
            out.append(data)
    return "".join(out)


def _marked(
    data: str,
    where: tuple[Block, _Collapse, int, int],
    spans: list[Span],
    boundaries: list[int],
) -> str:
    """Return one text node's HTML with the spans over it marked."""
    block, collapse, raw_start, raw_end = where
    # The node's stretch of plain text; a node of dropped whitespace has none.
    first = block.start + collapse.kept(raw_start)
    last = block.start + collapse.kept(raw_end)
    if first == last:
        return escape(data, quote=False)
    cuts = [0]
    for boundary in boundaries[bisect_right(boundaries, first) :]:
        if boundary >= last:
            break
        cut = collapse.raw_of(boundary - block.start) - raw_start
        if cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(len(data))
    out: list[str] = []
    for left, right in pairwise(cuts):
        # The plain-text offset of the piece's first kept character decides what covers it.
        at = block.start + collapse.kept(raw_start + left)
        covering = [span for span in spans if span.start <= at < span.end]
        text = escape(data[left:right], quote=False)
        if not covering:
            out.append(text)
            continue
        opening = "".join(f"<{MARK_TAG}{_attributes(span.attrs)}>" for span in covering)
        out.append(opening + text + f"</{MARK_TAG}>" * len(covering))
    return "".join(out)
