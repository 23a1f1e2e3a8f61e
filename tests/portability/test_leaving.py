"""Exports for publishers who leave: WordPress WXR with wpDiscuz meta, and Disqus's import XML.

Each is imported back with our own importer into a second site and the facts compared, and
checked against what the formats require, written out by hand here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phpserialize
import pytest
from defusedxml import ElementTree

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import edit_comment, post_comment
from rejoinder.pages.models import Page, Site
from rejoinder.portability.exporting import EXPORTERS
from rejoinder.portability.importing import run_import
from rejoinder.portability.report import Report
from rejoinder.ratings.rating import rate_page

WP = "{http://wordpress.org/export/1.2/}"
WP10 = "{http://wordpress.org/export/1.0/}"
DSQ = "{http://www.disqus.com/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
GMT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def _fill(run: Callable[..., Report]) -> Page:
    run("disqus", "disqus.xml")
    run("wxr", "wordpress.xml", "wpdiscuz.sql", timezone="Europe/Berlin")
    page = Page.objects.get(uri="/2019/ferry-timetable/")
    native = Commenter.objects.create(
        reader_key="native-reader", email="here@example.org", display_name="Here"
    )
    comment = post_comment(
        page=page, author=native, name="Here", body="Posted *here* ]]> & <b>", moderated=False
    )
    edit_comment(comment_id=comment.pk, editor=native, body="Edited *here* ]]> & <b>")
    voter = Commenter.objects.create(reader_key="native-voter")
    rate_page(page=page, rater=voter, stars=4, ip_hash="ab", limited=False)
    return page


def _export(site: Site, name: str) -> str:
    out = io.StringIO()
    EXPORTERS[name](site, out)
    return out.getvalue()


def _facts(site: Site) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every comment of a site by (page URI, author, time), with what must survive leaving."""
    rows = Comment.objects.filter(page__site=site).select_related("page", "author", "reply_to")
    out = {}
    for c in rows:
        parent = c.reply_to or c.parent
        # both formats give times to the second
        out[(c.page.uri, c.author_name, c.created_at.replace(microsecond=0).isoformat())] = {
            "status": c.status,
            "email": c.author.email,
            "website": c.author_website,
            "parent": (parent.author_name, parent.created_at.replace(microsecond=0).isoformat())
            if parent
            else None,
            "html": c.body_html,
        }
    return out


@pytest.fixture
def second(gazette: Site) -> Site:
    return Site.objects.create(name="Elsewhere", domain=gazette.domain)


def _import_back(site: Site, text: str, tmp_path: Path) -> Report:
    path = tmp_path / "leaving.xml"
    path.write_text(text, encoding="utf-8")
    return run_import(site=site, format_name="wxr", path=path)


def test_wxr_imports_back_with_every_comment_fact(
    run: Callable[..., Report], gazette: Site, second: Site, tmp_path: Path
) -> None:
    _fill(run)
    report = _import_back(second, _export(gazette, "wxr"), tmp_path)
    assert not report.skipped, report.skipped
    assert not report.orphans
    assert _facts(second) == _facts(gazette)
    for page in Page.objects.filter(site=gazette, comment_count__gt=0):
        there = Page.objects.get(site=second, uri=page.uri)
        assert (there.title, there.is_open, there.comment_count) == (
            page.title,
            page.is_open,
            page.comment_count,
        )
    # tallies, edits, pins and closed comments travel in wpDiscuz's meta
    by_key = {(c.page.uri, c.created_at): c for c in Comment.objects.filter(page__site=second)}
    for c in Comment.objects.filter(page__site=gazette).select_related("page"):
        twin = by_key[(c.page.uri, c.created_at.replace(microsecond=0))]
        assert (twin.upvotes, twin.downvotes) == (c.upvotes, c.downvotes)
        assert twin.edited_at == (c.edited_at.replace(microsecond=0) if c.edited_at else None)
    assert Comment.objects.filter(page__site=gazette, upvotes__gt=0).exists()
    rated = Page.objects.get(site=gazette, uri="/2024/clocks-go-back/")
    twin_page = Page.objects.get(site=second, uri="/2024/clocks-go-back/")
    assert twin_page.rating_count == rated.rating_count > 0
    assert twin_page.rating_sum == rated.rating_sum


def test_wxr_holds_what_wordpress_and_wpdiscuz_read(
    run: Callable[..., Report], gazette: Site
) -> None:
    page = _fill(run)
    root = ElementTree.fromstring(_export(gazette, "wxr").encode())
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext(WP + "wxr_version") == "1.2"
    assert channel.findtext(WP + "base_site_url") == "https://news.example.org"
    items = {item.findtext(WP + "post_id"): item for item in channel.findall("item")}
    item = items[str(page.pk)]
    for name in ("post_date", "post_date_gmt", "post_modified_gmt"):
        assert GMT.match(item.findtext(WP + name) or ""), name
    assert item.findtext("link") == page.url
    assert item.findtext(WP + "post_type") == "post"
    assert item.findtext(WP + "status") == "publish"
    assert item.findtext(WP + "comment_status") == "open"
    meta = {
        m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value")
        for m in item.iter(WP + "postmeta")
    }
    page.refresh_from_db()
    assert meta["wpdiscuz_post_rating_count"] == str(page.rating_count)
    assert float(meta["wpdiscuz_post_rating"]) == round(page.rating_sum / page.rating_count, 1)
    ids: set[str] = set()
    required = (
        "comment_id",
        "comment_author",
        "comment_author_email",
        "comment_author_url",
        "comment_author_IP",
        "comment_date",
        "comment_date_gmt",
        "comment_content",
        "comment_approved",
        "comment_type",
        "comment_parent",
        "comment_user_id",
    )
    approved = set()
    for comment in item.findall(WP + "comment"):
        for name in required:
            assert comment.find(WP + name) is not None, name
        assert comment.findtext(WP + "comment_parent") in ids | {"0"}  # parents first
        ids.add(comment.findtext(WP + "comment_id") or "")
        approved.add(comment.findtext(WP + "comment_approved"))
        cmeta = {
            m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value")
            for m in comment.findall(WP + "commentmeta")
        }
        row = Comment.objects.get(pk=int(comment.findtext(WP + "comment_id") or 0))
        assert cmeta["wpdiscuz_votes"] == str(row.upvotes - row.downvotes)
        votes = phpserialize.loads((cmeta["wpdiscuz_votes_seperate"] or "").encode())
        assert votes == {b"like": row.upvotes, b"dislike": row.downvotes}
        if row.edited_at is not None:
            assert cmeta["wpdiscuz_last_edited_at"] == row.edited_at.strftime("%Y-%m-%d %H:%M:%S")
    assert approved == {"1", "trash", "spam"}
    # the body with `]]>` and markup comes back whole from its split CDATA sections
    edited = Comment.objects.get(author__reader_key="native-reader")
    written = next(
        c for c in item.findall(WP + "comment") if c.findtext(WP + "comment_id") == str(edited.pk)
    )
    assert written.findtext(WP + "comment_content") == edited.body_html.replace("<br>", "<br />")
    assert "]]&gt;" in edited.body_html or "]]>" in edited.body_html


def test_wxr_keeps_pins_closed_comments_and_prompts(
    run: Callable[..., Report], gazette: Site, second: Site, tmp_path: Path
) -> None:
    _fill(run)
    text = _export(gazette, "wxr")
    assert "<wp:comment_type><![CDATA[wpdiscuz_sticky]]></wp:comment_type>" in text
    assert "<wp:meta_key><![CDATA[wpdiscuz_closed]]></wp:meta_key>" in text
    assert "[wpdiscuz-feedback id=" in text
    _import_back(second, text, tmp_path)
    from rejoinder.inline.models import Anchor, Prompt
    from rejoinder.portability.models import SourceLink

    assert (
        Prompt.objects.filter(page__site=second).count()
        == Prompt.objects.filter(page__site=gazette).count()
    )
    kept = SourceLink.objects.filter(site=second, system="wordpress", kind="comment")
    assert any(link.facts.get("pinned") for link in kept)
    assert any(link.facts.get("closed") for link in kept)
    assert (
        Anchor.objects.filter(page__site=second).count()
        == Anchor.objects.filter(page__site=gazette, prompt__isnull=False).count()
    )


def test_disqus_import_file_has_every_required_field_parents_first(
    run: Callable[..., Report], gazette: Site
) -> None:
    _fill(run)
    root = ElementTree.fromstring(_export(gazette, "disqus").encode())
    assert root.tag == "rss"
    channel = root.find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert len(items) == Page.objects.filter(site=gazette, comment_count__gt=0).count() or len(
        items
    ) == len({c.page_id for c in Comment.objects.filter(page__site=gazette)})
    comments = 0
    for item in items:
        for name in ("title", "link"):
            assert item.find(name) is not None, name
        assert (item.findtext("link") or "").startswith("https://news.example.org/")
        assert item.find(CONTENT + "encoded") is not None
        identifier = item.findtext(DSQ + "thread_identifier")
        assert Page.objects.filter(site=gazette, uri=identifier).exists()
        assert GMT.match(item.findtext(WP10 + "post_date_gmt") or "")
        assert item.findtext(WP10 + "comment_status") in ("open", "closed")
        seen: set[str] = set()
        for comment in item.findall(WP10 + "comment"):
            for name in (
                "comment_id",
                "comment_author",
                "comment_author_email",
                "comment_author_url",
                "comment_author_IP",
                "comment_date_gmt",
                "comment_content",
                "comment_approved",
                "comment_parent",
            ):
                assert comment.find(WP10 + name) is not None, name
            assert GMT.match(comment.findtext(WP10 + "comment_date_gmt") or "")
            assert comment.findtext(WP10 + "comment_author_IP") == ""  # never an address
            parent = comment.findtext(WP10 + "comment_parent")
            assert parent == "0" or parent in seen, "a parent comes before its replies"
            seen.add(comment.findtext(WP10 + "comment_id") or "")
            comments += 1
    assert comments == Comment.objects.filter(page__site=gazette).count()


def test_disqus_import_file_imports_back_with_threads_parents_and_states(
    run: Callable[..., Report], gazette: Site, second: Site, tmp_path: Path
) -> None:
    _fill(run)
    report = _import_back(second, _export(gazette, "disqus"), tmp_path)
    assert not report.skipped, report.skipped
    assert _facts(second) == _facts(gazette)
    statuses = set(Comment.objects.filter(page__site=second).values_list("status", flat=True))
    assert statuses == {
        CommentStatus.PUBLISHED,
        CommentStatus.PENDING,
        CommentStatus.SPAM,
        CommentStatus.REMOVED,
    }
    # the thread identifier is the key: a second import of the same file adds nothing
    again = _import_back(second, _export(gazette, "disqus"), tmp_path)
    assert again.imported.get("comments", 0) == 0


def test_the_export_command_writes_both_formats(
    run: Callable[..., Report], gazette: Site, tmp_path: Path
) -> None:
    from django.core.management import call_command

    _fill(run)
    for name in ("wxr", "disqus"):
        target = tmp_path / f"out-{name}.xml"
        call_command(
            "export_discussions",
            "--site",
            gazette.domain,
            "--format",
            name,
            "--output",
            str(target),
        )
        ElementTree.parse(target)  # well-formed
        assert not target.with_name(target.name + ".partial").exists()


def test_a_newline_after_a_self_closed_break_is_no_second_break() -> None:
    from rejoinder.portability.bodies import html_to_markdown

    # as WordPress's wpautop reads its own comments
    assert html_to_markdown("one<br />\ntwo", wpautop=True) == "one\\\ntwo"
    assert html_to_markdown("one<br>\ntwo", wpautop=True) == "one\\\n\\\ntwo"
    assert html_to_markdown("one\ntwo", wpautop=True) == "one\\\ntwo"
