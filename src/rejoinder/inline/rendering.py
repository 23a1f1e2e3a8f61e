"""The article body as readers see it: commented passages highlighted, and at each paragraph a
link to comment on it and the questions its author pinned there.

Everything is rendered on the server, so highlights and controls work without JavaScript. The
markup is the same for every reader (it holds no form, hence no CSRF token), so it is built once
per page version and cached: a new comment, a deletion or an article edit bumps the version.
Controls carry `data-rj-skip`, which text extraction ignores, so they never change the text
passages are anchored to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from rejoinder.inline.anchoring import make_anchor, quotable_span
from rejoinder.inline.reading import PromptView, passages, prompts_for
from rejoinder.inline.text import BLOCK_TAGS, Span, annotate, extract_text
from rejoinder.pages.models import Article, Page

BODY_CACHE_SECONDS = 3600  # keyed by version, so this only bounds memory held by old versions
CONTROL_BLOCKS = frozenset({"p", "li", "pre", "dd"})
"""Blocks that get a "Comment on this paragraph" link (headings and table cells do not)."""


def passage_anchor(start: int, end: int) -> str:
    """Return the element id of the highlight for the passage at start-end (current text)."""
    return f"passage-{start}-{end}"


@dataclass(frozen=True, slots=True)
class QuotedParagraph:
    """A whole paragraph as a passage selector, for the no-JavaScript "comment on this" link."""

    index: int
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def quote_paragraph(article: Article, index: int) -> QuotedParagraph | None:
    """Return the paragraph at block `index` of the article as a quote, or None if there is none."""
    text = extract_text(article.body_html)
    if not 0 <= index < len(text.blocks):
        return None
    block = text.blocks[index]
    if block.end <= block.start or not text.text[block.start : block.end].strip():
        return None
    made = make_anchor(text.text, *quotable_span(text.text, block.start, block.end))
    return QuotedParagraph(
        index=index,
        exact=made.quote.exact,
        prefix=made.quote.prefix,
        suffix=made.quote.suffix,
        start=made.position.start,
        end=made.position.end,
    )


def render_article_body(article: Article) -> SafeString:
    """Return the article's body with highlights and paragraph controls, cached by page version."""
    page = article.page
    # The paragraphs' controls ("Comment on this paragraph") speak the request's language.
    key = f"article-body:{page.pk}:{page.version}:{int(page.is_open)}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = _render(article, page)
        cache.set(key, html, BODY_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - sanitised article HTML plus our own template output


def _render(article: Article, page: Page) -> str:
    spans = []
    counts: dict[str, int] = {}
    for passage in passages(page):
        if passage.start is None or passage.end is None:
            continue
        key = f"{passage.start}-{passage.end}"
        counts[key] = passage.comment_count
        label = ngettext(
            "%(n)d comment on this passage", "%(n)d comments on this passage", counts[key]
        ) % {"n": counts[key]}
        spans.append(
            Span(
                passage.start,
                passage.end,
                {
                    "class": "rj-passage",
                    "id": passage_anchor(passage.start, passage.end),
                    "data-rj-passage": key,
                    "title": label,
                },
            )
        )
    annotated = _one_id_per_passage(annotate(article.body_html, spans), counts)
    prompts: dict[int, list[PromptView]] = {}
    for prompt in prompts_for(page):
        prompts.setdefault(prompt.block_index, []).append(prompt)
    return _insert_controls(annotated, page=page, prompts=prompts)


_PASSAGE_MARK = re.compile(r'<mark\b[^>]*\bdata-rj-passage="(\d+-\d+)"[^>]*>')


def _one_id_per_passage(annotated: str, counts: dict[str, int]) -> str:
    """Keep the id on a passage's first <mark> only, and put its count on the last one.

    `annotate` gives every text node a passage covers its own mark with the same attributes; an
    id must be unique, and the count should show once, at the end of the passage.
    """
    pieces: dict[str, int] = {}
    for match in _PASSAGE_MARK.finditer(annotated):
        pieces[match.group(1)] = pieces.get(match.group(1), 0) + 1
    seen: dict[str, int] = {}

    def rewrite(match: re.Match[str]) -> str:
        key = match.group(1)
        seen[key] = seen.get(key, 0) + 1
        tag = match.group(0)
        if seen[key] > 1:
            tag = tag.replace(f' id="{passage_anchor(*map(int, key.split("-")))}"', "", 1)
        if seen[key] == pieces[key]:
            tag = tag[:-1] + f' data-rj-count="{counts.get(key, 0)}">'
        return tag

    return _PASSAGE_MARK.sub(rewrite, annotated)


class _BlockEnds(HTMLParser):
    """Find where each outermost block closes, and the first numbered block inside it.

    Controls go right after an outermost block: text outside every block is not part of the
    article's text (see `inline.text`), so they never shift a passage, whatever the nesting.
    List items and definitions are the exception (a list may hold nothing but its items): their
    controls go at the end inside them, where `data-rj-skip` keeps them out of the text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.outermost: tuple[str, int] | None = None  # tag, depth in the stack
        self.numbered: list[int] = []
        self.ends: list[tuple[int, int, str, list[int]]] = []  # line, column after; tag, blocks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        index = dict(attrs).get("data-rj-block") or ""
        if tag in BLOCK_TAGS and self.outermost is None:
            self.outermost = (tag, len(self.stack))
            self.numbered = []
        if index.isdigit() and self.outermost is not None:
            self.numbered.append(int(index))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            closed = self.stack.pop()
            if self.outermost is not None and len(self.stack) == self.outermost[1]:
                line, column = self.getpos()
                self.ends.append((line, column, self.outermost[0], self.numbered))
                self.outermost = None
            if closed == tag:
                break


_TABLE_PARTS = frozenset({"td", "th", "caption"})
_LIST_ITEMS = frozenset({"li", "dt", "dd"})
_BETWEEN_TAGS = re.compile(r">\s+<")
_VOID = frozenset({"br", "hr", "img", "wbr", "input", "col", "area", "source", "meta", "link"})


def _insert_controls(annotated: str, *, page: Page, prompts: dict[int, list[PromptView]]) -> str:
    parser = _BlockEnds()
    parser.feed(annotated)
    parser.close()
    line_starts = [0]  # HTMLParser counts lines by "\n" only
    for text_line in annotated.split("\n"):
        line_starts.append(line_starts[-1] + len(text_line) + 1)
    insertions: list[tuple[int, str]] = []
    for line, column, tag, numbered in parser.ends:
        if not numbered or tag in _TABLE_PARTS:
            # Nothing to quote; or markup between table cells would be moved out of the table.
            continue
        here = [prompt for index in numbered for prompt in prompts.get(index, [])]
        link = page.is_open and tag in CONTROL_BLOCKS
        if not link and not here:
            continue
        tools = render_to_string(
            "widget/paragraph_tools.html",
            {"page": page, "index": numbered[0], "prompts": here, "link": link},
        )
        # A list item's inside, before its end tag; any other block's end, after it (inside
        # <pre> or between tags every whitespace character would show).
        end_tag = line_starts[line - 1] + column
        offset = end_tag if tag in _LIST_ITEMS else annotated.index(">", end_tag) + 1
        insertions.append((offset, _BETWEEN_TAGS.sub("><", tools.strip())))
    out = annotated
    for offset, markup in sorted(insertions, reverse=True):
        out = out[:offset] + markup + out[offset:]
    return out
