"""Disqus's export XML: <category>*, <thread>*, <post>* in one flat list, ids in dsq:id.

Posts name their thread and parent by dsq:id, parents in any order. Bodies are HTML (in
CDATA or escaped: the XML parser gives the same string). Spam, deleted and unapproved posts
are in the file and keep their state; a deleted post with replies stays as a tombstone.
Newer exports have no email and no IP; guests (isAnonymous) have no username.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from rejoinder.portability import records as r
from rejoinder.portability.bodies import html_to_markdown
from rejoinder.portability.formats.common import guest_key, time_or_bad, true
from rejoinder.portability.sources import BadFile, Opened
from rejoinder.portability.xmlstream import depth_of, iter_xml, line_of, text_of

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def _child(element: Element, name: str) -> Element | None:
    return element.find(NS + name)


def _text(element: Element, name: str) -> str:
    return text_of(_child(element, name))


def _ref(element: Element, name: str) -> str | None:
    child = _child(element, name)
    if child is None:
        return None
    return child.get(DSQ_ID) or None


def read(opened: Opened) -> Iterator[r.Record]:
    root: Element | None = None
    forums: set[str] = set()
    for event, element, line in iter_xml(opened, max_depth=2):  # threads and posts
        if root is None:
            root = element
            if element.tag != NS + "disqus":
                raise BadFile(wrong_root(element.tag, "a Disqus export (<disqus>)"), line=line)
            continue
        if event != "end" or depth_of(element) != 2:
            continue
        if element.tag == NS + "thread":
            thread = _thread(element)
            if thread.facts.get("forum"):
                forums.add(thread.facts["forum"])
            yield thread
        elif element.tag == NS + "post":
            yield _post(element)
        root.clear()
    if root is None:
        raise BadFile("the file holds no XML element")
    if forums:
        yield r.Note(f"Disqus forum: {', '.join(sorted(forums))}")


def _thread(element: Element) -> r.Thread:
    line = line_of(element)
    key = element.get(DSQ_ID) or ""
    if not key:
        raise BadFile("a <thread> has no dsq:id", line=line)
    created = _text(element, "createdAt")
    facts = {
        k: v
        for k, v in {
            "identifier": _text(element, "id").strip(),
            "forum": _text(element, "forum").strip(),
            "deleted": true(_text(element, "isDeleted")) or None,
        }.items()
        if v
    }
    identifier = str(facts.get("identifier", ""))
    return r.Thread(
        key=key,
        url=_text(element, "link").strip(),
        uri=identifier,
        title=_text(element, "title").strip(),
        closed=true(_text(element, "isClosed")) or true(_text(element, "isDeleted")),
        created_at=time_or_bad(created, "createdAt", line=line) if created.strip() else None,
        facts=facts,
        line=line,
    )


def _post(element: Element) -> r.Record:
    line = line_of(element)
    key = element.get(DSQ_ID) or ""
    if not key:
        return r.Skipped("comment", "?", "a <post> without dsq:id", line)
    thread_key = _ref(element, "thread")
    if not thread_key:
        return r.Skipped("comment", key, "the post names no thread", line)
    author = _child(element, "author")
    name = _text(author, "name") if author is not None else ""
    email = _text(author, "email").strip() if author is not None else ""
    username = _text(author, "username").strip() if author is not None else ""
    anonymous = true(_text(author, "isAnonymous")) if author is not None else True
    link = _text(author, "link").strip() if author is not None else ""
    author_facts = {
        k: v for k, v in {"username": username, "anonymous": anonymous or None}.items() if v
    }
    person = r.Author(
        key=f"user:{username}" if username and not anonymous else guest_key(name, email),
        name=name,
        email=email,
        website=link,
        facts=author_facts,
    )
    deleted = true(_text(element, "isDeleted"))
    spam = true(_text(element, "isSpam"))
    approved_text = _text(element, "isApproved").strip()
    status: r.Status = "published"
    if deleted:
        status = "removed"
    elif spam:
        status = "spam"
    elif approved_text and not true(approved_text):
        status = "pending"
    created = _text(element, "createdAt")
    if not created.strip():
        return r.Skipped("comment", key, "the post has no createdAt", line)
    facts = {
        k: v
        for k, v in {
            "identifier": _text(element, "id").strip(),
            "spam": (spam and deleted) or None,
            "flagged": true(_text(element, "isFlagged")) or None,
            "highlighted": true(_text(element, "isHighlighted")) or None,
        }.items()
        if v
    }
    return r.Comment(
        key=key,
        thread_key=thread_key,
        parent_key=_ref(element, "parent"),
        author=person,
        created_at=time_or_bad(created, "createdAt", line=line),
        body=html_to_markdown(_text(element, "message")),
        status=status,
        ip=_text(element, "ipAddress").strip(),
        facts=facts,
        line=line,
    )


def wrong_root(tag: str, wanted: str) -> str:
    """Say what the file is, when it is not what the command was told."""
    local = tag.rsplit("}", 1)[-1]
    guesses = {
        "disqus": "a Disqus export (use `rejoinder import disqus`)",
        "rss": "an RSS file, as WordPress exports (WXR) are (use `rejoinder import wxr`)",
    }
    found = guesses.get(local, f"an XML file whose root element is <{local}>")
    return f"this is {found}, not {wanted}"
