"""Disqus export XML: every pitfall of the format, from samples/disqus.xml."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.limits.addresses import hash_ip
from rejoinder.pages.models import Page
from rejoinder.portability.models import SourceLink
from rejoinder.portability.report import Report


def _by_key() -> dict[str, Comment]:
    links = dict(
        SourceLink.objects.filter(system="disqus", kind="comment").values_list(
            "source_id", "object_id"
        )
    )
    comments = Comment.objects.in_bulk(list(links.values()))
    return {key: comments[pk] for key, pk in links.items()}


def test_threads_become_pages_keyed_by_dsq_id_and_merged_by_address(
    run: Callable[..., Report],
) -> None:
    report = run("disqus", "disqus.xml")
    pages = {p.uri: p for p in Page.objects.all()}
    # 7001 (https, utm_ parameters, trailing slash) and 7002 (http, no slash) are one article
    assert set(pages) == {"/2019/ferry-timetable/", "/2020/closed-story/"}
    ferry = pages["/2019/ferry-timetable/"]
    assert ferry.title == "Ferry timetable changes & what they mean"
    assert not pages["/2020/closed-story/"].is_open
    links = dict(SourceLink.objects.filter(kind="page").values_list("source_id", "object_id"))
    assert links["7001"] == links["7002"] == ferry.pk
    assert report.imported["threads"] == 2


def test_replies_find_parents_listed_after_them_and_tombstones_keep_the_tree(
    run: Callable[..., Report],
) -> None:
    run("disqus", "disqus.xml")
    c = _by_key()
    first, tomb, reply, deep = (c["5000000001"], c["5000000002"], c["5000000003"], c["5000000008"])
    assert tomb.status == CommentStatus.REMOVED
    assert tomb.body == ""
    assert tomb.parent_id == first.pk
    assert reply.parent_id == tomb.pk
    assert (reply.root_id, reply.depth) == (first.pk, 2)
    assert (deep.parent_id, deep.depth) == (reply.pk, 3)


def test_spam_and_unapproved_posts_keep_their_state_and_are_not_counted(
    run: Callable[..., Report],
) -> None:
    run("disqus", "disqus.xml")
    c = _by_key()
    assert c["5000000004"].status == CommentStatus.SPAM
    assert c["5000000005"].status == CommentStatus.PENDING
    ferry = Page.objects.get(uri="/2019/ferry-timetable/")
    published = Comment.objects.filter(page=ferry, status=CommentStatus.PUBLISHED).count()
    assert ferry.comment_count == published == 4


def test_authors_names_times_and_addresses(run: Callable[..., Report]) -> None:
    run("disqus", "disqus.xml")
    c = _by_key()
    # fullwidth letters, two spaces: code point for code point
    assert c["5000000003"].author_name == "\uff2d\uff41\uff52\uff54\uff41  \u00d6."
    assert c["5000000002"].author_name == "Anonymous"
    assert c["5000000001"].author.email == "jo@example.org"
    # the same username is one commenter, with or without an email in the post
    assert c["5000000001"].author_id == c["5000000005"].author_id == c["5000000008"].author_id
    assert c["5000000001"].ip_hash == hash_ip("203.0.113.7")
    assert "203.0.113.7" not in str(list(Comment.objects.values_list()))
    assert c["5000000001"].created_at == datetime(2019, 3, 2, 9, 0, tzinfo=UTC)
    assert c["5000000008"].created_at == datetime(2019, 3, 2, 11, 0, tzinfo=UTC)  # no zone: UTC


def test_html_bodies_become_markdown_through_the_one_pipeline(run: Callable[..., Report]) -> None:
    run("disqus", "disqus.xml")
    c = _by_key()
    first = c["5000000001"]
    assert "<script>" not in first.body_html
    assert "alert" not in first.body_html
    assert "&gt;&gt;&gt; x &amp;&amp; y *not emphasis*" in first.body_html
    assert "<strong>paragraph</strong><br>" in first.body_html
    # Disqus shortens link text; the full address comes back
    assert (
        c["5000000003"].body
        == "Agreed, see <https://example.net/a/very/long/path/to/the/timetable.pdf>"
    )
    # entity-escaped instead of CDATA: the same HTML
    assert c["5000000004"].body == "Cheap watches [here](http://spam.example.com/)"


def test_orphans_and_missing_threads_are_reported(run: Callable[..., Report]) -> None:
    report = run("disqus", "disqus.xml")
    assert report.orphans == [{"id": "5000000007", "missing_parent": "4999999999"}]
    orphan = _by_key()["5000000007"]
    assert orphan.parent_id is None
    assert orphan.status == CommentStatus.PUBLISHED
    assert report.skipped == [
        {
            "kind": "comment",
            "id": "5000000006",
            "reason": "its thread '9999' is not in the file",
            "line": 98,
        }
    ]


def test_importing_again_adds_nothing(run: Callable[..., Report]) -> None:
    run("disqus", "disqus.xml")
    before = Comment.objects.count()
    again = run("disqus", "disqus.xml")
    assert Comment.objects.count() == before
    assert again.imported.get("comments", 0) == 0
    assert again.already_there["comments"] == 7


def test_source_facts_are_kept(run: Callable[..., Report]) -> None:
    run("disqus", "disqus.xml")
    link = SourceLink.objects.get(system="disqus", kind="comment", source_id="5000000001")
    assert link.facts == {"identifier": "wp_id=123"}
    person = SourceLink.objects.get(system="disqus", kind="commenter", source_id="user:joreader")
    assert person.facts == {"username": "joreader"}
