"""Reading XML exports as a stream, with defusedxml's parser.

No DTD is accepted at all (neither export format has one), so entity bombs and external
entities are refused before they expand. Elements are handed over as they end, with the
line they started on, and the caller clears what it has read: memory stays flat whatever the
size of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from rejoinder.portability.sources import BadFile, Opened

CHUNK = 1 << 16


class _Builder(TreeBuilder):
    def __init__(self, max_depth: int) -> None:
        super().__init__()
        self.events: list[tuple[str, Element, int]] = []
        self.parser: Any = None
        self.depth = 0
        self.max_depth = max_depth

    def start(self, tag: Any, attrs: Any) -> Element:
        element = super().start(tag, attrs)
        self.depth += 1
        if self.depth <= self.max_depth:
            line = self.parser._parser.CurrentLineNumber if self.parser is not None else 0
            element.set("{rejoinder}line", str(line))
            element.set("{rejoinder}depth", str(self.depth))
            self.events.append(("start", element, line))
        return element

    def end(self, tag: Any) -> Element:
        element = super().end(tag)
        if self.depth <= self.max_depth:
            line = int(element.get("{rejoinder}line", "0"))
            self.events.append(("end", element, line))
        self.depth -= 1
        return element


def iter_xml(opened: Opened, *, max_depth: int = 1 << 30) -> Iterator[tuple[str, Element, int]]:
    """Yield ("start" | "end", element, line) for every element of the file down to
    `max_depth` (the root is 1), as parsed; deeper ones are only built into their parents.

    Those elements carry their depth as the attribute `{rejoinder}depth`.
    """
    builder = _Builder(max_depth)
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        while True:
            chunk = opened.stream.read(CHUNK)
            if not chunk:
                break
            parser.feed(chunk)
            if builder.events:
                events, builder.events = builder.events, []
                yield from events
        parser.close()
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":")[0]
        if reason.startswith("no element found"):
            reason = "the XML ends early: the file is truncated"
        raise BadFile(f"not well-formed XML ({reason})", line=line, offset=column) from None
    except DefusedXmlException as exc:
        raise BadFile(_defused_message(exc, parser)) from None
    yield from builder.events


def _defused_message(exc: Exception, parser: Any) -> str:
    line = parser._parser.CurrentLineNumber
    name = type(exc).__name__
    if name == "DTDForbidden":
        what = "a DTD (<!DOCTYPE …>), which can declare entity bombs"
    elif name == "EntitiesForbidden":
        what = "an entity declaration (a possible entity bomb)"
    else:
        what = "a reference to an external resource"
    return f"line {line}: the XML holds {what}; exports never do, so it is refused"


def text_of(element: Element | None) -> str:
    """Return an element's text ("" when absent or empty)."""
    if element is None:
        return ""
    return element.text or ""


def depth_of(element: Element) -> int:
    return int(element.get("{rejoinder}depth", "0"))


def line_of(element: Element) -> int:
    return int(element.get("{rejoinder}line", "0"))
