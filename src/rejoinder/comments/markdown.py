"""The one pipeline every comment body goes through (docs/security.md, rules 1 and 2).

Length and character checks first, then Markdown without raw HTML or images, then the nh3
allow-list sanitiser last. The result is stored; nothing truncates it afterwards.
"""

import re

import nh3
from markdown_it import MarkdownIt

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("strikethrough")
    .disable(["image", "heading", "lheading", "html_block", "html_inline"])
)

ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "del",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
LINK_REL = "nofollow ugc noopener noreferrer"

# Control characters other than tab and newlines have no place in a comment and can hide text;
# an unpaired surrogate (from a JSON escape) is not a character at all and cannot be stored.
_FORBIDDEN_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def find_forbidden_character(text: str) -> str | None:
    """Return the first control or bidi-override character in `text`, or None."""
    match = _FORBIDDEN_CHARS.search(text)
    return match.group() if match else None


def render_markdown(source: str) -> str:
    """Render trusted-shape Markdown to sanitised HTML; the caller has checked length."""
    html = _md.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()
