"""Comment bodies from other systems, in Rejoinder's stored form: Markdown.

Disqus and WordPress store HTML; Isso, Commento, Waline and Remark42 store Markdown that may
hold HTML. Both become Markdown that renders, through the one pipeline
(`comments.markdown.render_markdown`), to what the reader saw: paragraphs, line breaks,
emphasis, links, quotes, lists and code. Everything else is dropped as markup and kept as
text; scripts, styles and frames are dropped with their content. The HTML parser decodes
entities once, and every character the text keeps is escaped so that Markdown shows it as
written.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from markdown_it import MarkdownIt

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "center",
    "address",
}
_DROPPED = {"script", "style", "iframe", "object", "embed", "noscript", "template", "head", "title"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area", "param"}
_EMPHASIS = {"em": "*", "i": "*", "cite": "*", "strong": "**", "b": "**"}
_STRIKE = {"del", "s", "strike"}
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ALWAYS = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START = re.compile(r"^(\s*)([-+#=]|\d+[.)])")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_TRUNCATED = ("...", "\u2026")


def escape_text(text: str) -> str:
    """Escape what Markdown would read as markup, so `text` shows exactly as written."""
    return _ENTITY_LIKE.sub(r"\\&", _ALWAYS.sub(r"\\\1", text))


def _escape_line_starts(block: str) -> str:
    return "\n".join(_LINE_START.sub(_escape_start, line) for line in block.split("\n"))


def _escape_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        return f"{match.group(1)}{marker[:-1]}\\{marker[-1]}"
    return f"{match.group(1)}\\{marker}"


def _code_span(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") or not code.strip() else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _code_block(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{code.rstrip(chr(10))}\n{fence}"


def unwrap_link(href: str) -> str:
    """Return the address a Disqus redirect (disq.us/url?url=…:token) stands for."""
    parts = urlsplit(href)
    if parts.hostname in ("disq.us", "disqus.com") and parts.path.rstrip("/") in ("/url", ""):
        target = parse_qs(parts.query).get("url", [""])[0]
        if target.startswith(("http://", "https://")):
            return re.sub(r":[A-Za-z0-9_-]{6,}$", "", target)
    return href


def _link_target(href: str) -> str:
    href = href.strip()
    if any(ch in href for ch in " ()<>") or not href:
        href = href.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
        return f"<{href}>"
    return href


class _Frame:
    """An open inline element (or the block's own text), collecting Markdown."""

    __slots__ = ("attrs", "parts", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.parts: list[str] = []


class _Container:
    """A block container: the document, a blockquote, a list or a list item."""

    __slots__ = ("blocks", "tag")

    def __init__(self, tag: str):
        self.tag = tag
        self.blocks: list[str] = []


_TAG = re.compile(
    r"""<!--.*?(?:-->|$)|<![^>]*>|<\?[^>]*>"""
    r"""|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s*[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>""",
    re.S,
)
_TAG_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class _Converter:
    """Walks HTML's tags and text (a tokenizer on the C regular-expression engine: the
    standard library's HTMLParser was most of an import's time) and writes Markdown."""

    def __init__(self, *, wpautop: bool) -> None:
        self.wpautop = wpautop
        self.containers = [_Container("")]
        self.inline = [_Frame("", {})]
        self.dropping = 0
        self.pre: list[str] | None = None
        self.pre_depth = 0
        self.after_br = False  # wpautop adds no second break for a newline after <br />

    # Blocks ------------------------------------------------------------------------------

    def _flush(self) -> None:
        """End the current paragraph: its inline text becomes a block of the container."""
        while len(self.inline) > 1:
            self._close_inline(self.inline[-1].tag)
        text = "".join(self.inline[0].parts)
        self.inline[0].parts = []
        text = _SPACES.sub(" ", text.replace("\\\n", "\x00")).replace("\x00", "\\\n")
        lines = [line.strip() for line in text.split("\\\n")]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        if lines:
            self.containers[-1].blocks.append(_escape_line_starts("\\\n".join(lines)))

    def _open_container(self, tag: str) -> None:
        self._flush()
        self.containers.append(_Container(tag))

    def _close_container(self, tag: str) -> None:
        if not any(c.tag == tag for c in self.containers[1:]):
            return
        self._flush()
        while self.containers[-1].tag != tag:
            self._close_container(self.containers[-1].tag)
        container = self.containers.pop()
        parent = self.containers[-1]
        if tag == "blockquote":
            body = "\n\n".join(container.blocks)
            if body:
                parent.blocks.append("\n".join(f"> {line}".rstrip() for line in body.split("\n")))
        elif tag == "li":
            parent.blocks.append("\n\n".join(container.blocks))
        elif tag in ("ul", "ol"):
            items = []
            for number, item in enumerate(container.blocks, start=1):
                marker = f"{number}. " if tag == "ol" else "- "
                indent = " " * len(marker)
                lines = (item or "").split("\n")
                items.append(
                    marker
                    + lines[0]
                    + "".join(f"\n{indent}{line}" if line else "\n" for line in lines[1:])
                )
            if items:
                loose = any("\n\n" in item for item in items)
                parent.blocks.append(("\n\n" if loose else "\n").join(items))

    # Inline ------------------------------------------------------------------------------

    def _text(self, text: str) -> None:
        after_br, self.after_br = self.after_br, False
        if self.wpautop and after_br and re.match(r"[ \t]*\n(?![ \t]*\n)", text):
            text = text[text.index("\n") + 1 :]
        if self.wpautop:
            pieces = re.split(r"(\n[ \t]*\n\s*|\n)", text)
            for piece in pieces:
                if piece.startswith("\n") and piece.count("\n") > 1:
                    if len(self.containers) == 1 or self.containers[-1].tag != "li":
                        self._flush()
                    else:
                        self.inline[-1].parts.append("\\\n")
                elif piece == "\n":
                    self.inline[-1].parts.append("\\\n")
                else:
                    self.inline[-1].parts.append(escape_text(piece))
        else:
            self.inline[-1].parts.append(escape_text(text))

    def _close_inline(self, tag: str) -> None:
        if not any(frame.tag == tag for frame in self.inline[1:]):
            return
        while True:
            frame = self.inline.pop()
            self.inline[-1].parts.append(self._render_inline(frame))
            if frame.tag == tag:
                return

    def _render_inline(self, frame: _Frame) -> str:
        inner = "".join(frame.parts)
        tag = frame.tag
        if tag == "a":
            href = unwrap_link(frame.attrs.get("href", "").strip())
            scheme = urlsplit(href).scheme.lower() if ":" in href else ""
            if not href or href.startswith("#") or scheme not in ("", "http", "https", "mailto"):
                return inner
            plain = inner.replace("\\", "")
            if plain.endswith(_TRUNCATED):
                stem = plain.rstrip(".\u2026")
                if stem and href.startswith(stem):
                    plain = inner = href
            if plain == href and re.match(r"^(https?|mailto):[^\s<>]*$", href):
                return f"<{href}>"
            label = inner.strip() or escape_text(href)
            return f"[{label}]({_link_target(href)})"
        marker = _EMPHASIS.get(tag) or ("~~" if tag in _STRIKE else "")
        if not marker:
            return inner
        stripped = inner.strip()
        if not stripped or stripped == "\\":
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{marker}{stripped}{marker}{trail}"

    # Parser callbacks --------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.after_br = False
        if self.dropping:
            if tag in _DROPPED:
                self.dropping += 1
            return
        if tag in _DROPPED:
            self.dropping = 1
            return
        if self.pre is not None:
            if tag == "pre":
                self.pre_depth += 1
            elif tag == "br":
                self.pre.append("\n")
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "pre":
            self._flush()
            self.pre, self.pre_depth = [], 1
        elif tag == "br":
            self.inline[-1].parts.append("\\\n")
        elif tag == "hr":
            self._flush()
            self.containers[-1].blocks.append("---")
        elif tag == "img":
            source = values.get("src", "").strip()
            alt = values.get("alt", "").strip()
            if source.startswith(("http://", "https://")):
                label = escape_text(alt) or "image"
                self.inline[-1].parts.append(f"[{label}]({_link_target(source)})")
            elif alt:
                self._text(alt)
        elif tag in ("blockquote", "ul", "ol", "li"):
            if tag == "li" and self.containers[-1].tag not in ("ul", "ol"):
                self._open_container("ul")
            self._open_container(tag)
        elif tag in _BLOCKS or tag in ("td", "th"):
            if tag in ("td", "th"):
                self.inline[-1].parts.append(" ")
            else:
                self._flush()
        elif tag == "code":
            self.inline.append(_Frame("code", values))
        elif tag in _EMPHASIS or tag in _STRIKE or tag == "a":
            self.inline.append(_Frame(tag, values))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)
        # WordPress's wpautop turns a newline into a break unless it follows `<br />`
        self.after_br = tag == "br" and self.pre is None and not self.dropping

    def handle_endtag(self, tag: str) -> None:
        self.after_br = False
        if self.dropping:
            if tag in _DROPPED:
                self.dropping -= 1
            return
        if self.pre is not None:
            if tag == "pre":
                self.pre_depth -= 1
                if self.pre_depth == 0:
                    code = "".join(self.pre)
                    self.pre = None
                    if code.strip():
                        self.containers[-1].blocks.append(_code_block(code.strip("\n")))
            return
        if tag == "code":
            if any(frame.tag == "code" for frame in self.inline[1:]):
                while self.inline[-1].tag != "code":
                    self._close_inline(self.inline[-1].tag)
                frame = self.inline.pop()
                code = "".join(frame.parts)
                self.inline[-1].parts.append(_code_span(_unescape(code)) if code else "")
        elif tag in ("blockquote", "ul", "ol", "li"):
            self._close_container(tag)
        elif tag in _BLOCKS:
            self._flush()
        elif tag in _EMPHASIS or tag in _STRIKE or tag == "a":
            self._close_inline(tag)

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.pre is not None:
            self.pre.append(data)
        elif self.inline[-1].tag == "code" or any(f.tag == "code" for f in self.inline[1:]):
            self.inline[-1].parts.append(escape_text(data))
        else:
            self._text(data)

    def result(self) -> str:
        if self.pre is not None:
            code, self.pre = "".join(self.pre), None
            if code.strip():
                self.containers[-1].blocks.append(_code_block(code.strip("\n")))
        self._flush()
        while len(self.containers) > 1:
            self._close_container(self.containers[-1].tag)
        return "\n\n".join(block for block in self.containers[0].blocks if block)


_UNESCAPE = re.compile(r"\\([\\`*_\[\]<>~|&])")


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def html_to_markdown(html: str, *, wpautop: bool = False) -> str:
    """Return Markdown that renders as `html` reads.

    With `wpautop`, newlines in the text count as WordPress shows them: a blank line starts
    a paragraph, a single newline breaks the line.
    """
    converter = _Converter(wpautop=wpautop)
    position = 0
    for match in _TAG.finditer(html):
        if match.start() > position:
            converter.handle_data(unescape(html[position : match.start()]))
        position = match.end()
        name = match.group(2)
        if name is None:
            continue  # a comment, declaration or processing instruction
        tag = name.lower()
        if match.group(1):
            converter.handle_endtag(tag)
            continue
        attrs: list[tuple[str, str | None]] = [
            (a.group(1).lower(), unescape(a.group(2) or a.group(3) or a.group(4) or ""))
            for a in _TAG_ATTR.finditer(match.group(3) or "")
        ]
        if match.group(0).endswith("/>"):
            converter.handle_startendtag(tag, attrs)
        else:
            converter.handle_starttag(tag, attrs)
    if position < len(html):
        converter.handle_data(unescape(html[position:]))
    return converter.result()


_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>|<!--")
_md_with_html = MarkdownIt("commonmark", {"html": True}).enable("strikethrough")


def markdown_to_markdown(source: str) -> str:
    """Return Markdown that may hold HTML (Isso, Commento, Waline) in Rejoinder's form.

    Without HTML in it, the source is kept as written. With HTML, it is rendered as its own
    system would (HTML allowed) and the result converted, so tags neither vanish nor show as
    text.
    """
    source = source.replace("\r\n", "\n")
    if not _HTML_TAG.search(source):
        return source.strip()
    return html_to_markdown(_md_with_html.render(source))


def looks_like_html(text: str) -> bool:
    """Tell whether a body that should be Markdown was stored as HTML (Disqus via Isso)."""
    stripped = text.lstrip()
    return stripped.startswith(("<p>", "<p ", "<div", "<br")) and bool(_HTML_TAG.search(stripped))
