"""The one pipeline every comment body goes through (docs/security.md, rules 1 and 2).

Length and character checks first, then Markdown without raw HTML or images, then the nh3
allow-list sanitiser last. The result is stored; nothing truncates it afterwards. `@name`
mentions of the page's commenters (mentions.py) become links in a rule of the Markdown parser,
on its text outside links and code, so the name is never read as markup.
"""

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from rejoinder.comments.mentions import Known, KnownNames, find_mentions

MENTION_CLASS = "rj-mention"


def _link_mentions(state: StateCore) -> None:
    """Split text tokens around mentions of known names into links we build."""
    known: KnownNames | None = state.env.get("mentions")
    if not known:
        return
    found: list[Known] = state.env.setdefault("mentioned", [])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            mentions = find_mentions(token.content, known) if token.type == "text" else []
            if in_link or not mentions:
                children.append(token)
                continue
            at = 0
            for mention in mentions:
                if mention.start > at:
                    children.append(_text(token.content[at : mention.start]))
                link = Token("link_open", "a", 1)
                link.attrs = {"href": mention.known.url, "class": MENTION_CLASS}
                children += [link, _text("@" + mention.known.name), Token("link_close", "a", -1)]
                found.append(mention.known)
                at = mention.end
            if at < len(token.content):
                children.append(_text(token.content[at:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("strikethrough")
    .disable(["image", "heading", "lheading", "html_block", "html_inline"])
)
_md.core.ruler.push("mentions", _link_mentions)

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


def render_markdown(source: str, mentions: KnownNames | None = None) -> str:
    """Render trusted-shape Markdown to sanitised HTML; the caller has checked length.

    `mentions`: the names one can mention on the comment's page (`known_names`), linked.
    """
    html = _md.render(source, {"mentions": mentions} if mentions else {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"a": {MENTION_CLASS}},
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()


def mentioned(source: str, mentions: KnownNames) -> list[Known]:
    """Return whom a comment's Markdown mentions (the links `render_markdown` makes), once each."""
    if not mentions or "@" not in source:
        return []
    env: dict = {"mentions": mentions}
    _md.parse(source, env)
    return list({known.commenter_id: known for known in env.get("mentioned", [])}.values())
