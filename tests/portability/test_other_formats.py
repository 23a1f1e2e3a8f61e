"""Isso, Remark42, Commento and Waline: each format's pitfalls, from the samples."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.limits.addresses import hash_ip
from rejoinder.moderation.models import Ban
from rejoinder.pages.models import Page
from rejoinder.portability.models import SourceLink
from rejoinder.portability.report import Report
from rejoinder.subscriptions.models import Subscription, SubscriptionKind

from .conftest import SAMPLES


def _c(system: str, key: str) -> Comment:
    pk = SourceLink.objects.get(system=system, kind="comment", source_id=key).object_id
    return Comment.objects.get(pk=pk)


@pytest.fixture
def isso_db(tmp_path: Path) -> Path:
    path = tmp_path / "comments.db"
    with sqlite3.connect(path) as db:
        db.executescript((SAMPLES / "isso.sql").read_text())
    return path


def test_isso(run: Callable[..., Report], isso_db: Path) -> None:
    report = run("isso", isso_db)
    first, tomb, reply, pending = (_c("isso", k) for k in "1234")
    assert Page.objects.get(uri="/2024/02/19/harbour-wall/").title == "The harbour wall"
    assert first.created_at == datetime(2024, 2, 19, 13, 0, 0, 123456, tzinfo=UTC)
    assert first.body == "Is the wall *finished*?\n\n> quoting the article"
    assert (first.upvotes, first.downvotes) == (3, 1)
    assert first.ip_hash == hash_ip("203.0.113.0")
    assert tomb.status == CommentStatus.REMOVED
    assert tomb.body == ""
    assert tomb.author.email == ""
    assert tomb.author_name == "Anonymous"
    assert reply.parent_id == tomb.pk
    assert reply.author_name == "Anonymous"
    assert reply.edited_at == datetime(2024, 2, 19, 16, 0, tzinfo=UTC)
    assert pending.status == CommentStatus.PENDING
    assert pending.body == "Imported from **Disqus** & kept"  # HTML stored by Isso's importer
    assert _c("isso", "5").body == "Markdown with *inline HTML* too"
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.kind, subscription.confirmed_at) == (
        "ana@example.org",
        SubscriptionKind.REPLIES,
        None,
    )
    assert report.imported["comments"] == 5


def test_isso_refuses_a_database_that_is_not_isso(
    run: Callable[..., Report], tmp_path: Path
) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER)")
    from rejoinder.portability.sources import BadFile

    with pytest.raises(BadFile, match="no `threads` and `comments` tables"):
        run("isso", path)


@pytest.mark.parametrize("compressed", [True, False])
def test_remark42(run: Callable[..., Report], tmp_path: Path, compressed: bool) -> None:
    source = (SAMPLES / "remark42.jsonl").read_bytes()
    path = tmp_path / ("backup-gazette-20230502.gz" if compressed else "stream.jsonl")
    path.write_bytes(gzip.compress(source, mtime=0) if compressed else source)
    run("remark42", path)
    first = _c("remark42", "4d9c3c2e-0b7a-4a4e-9f0e-1c2d3e4f5a6b")
    soft = _c("remark42", "5e0d4d3f-1c8b-4b5f-8a1f-2d3e4f5a6b7c")
    hard = _c("remark42", "6f1e5e40-2d9c-4c60-9b20-3e4f5a6b7c8d")
    last = _c("remark42", "7a2f6f51-3e0d-4d71-8c31-4f5a6b7c8d9e")
    assert first.created_at == datetime(2023, 5, 1, 8, 0, 0, 123456, tzinfo=UTC)  # +02:00, ns
    assert first.edited_at == datetime(2023, 5, 1, 8, 5, tzinfo=UTC)
    assert first.body == "Hello & welcome, it's **new**"  # orig, not the SmartyPants HTML
    assert (first.upvotes, first.downvotes) == (4, 1)  # from score 3 and controversy
    assert soft.status == hard.status == CommentStatus.REMOVED
    assert soft.author_name == "Tom"
    assert hard.author_name == "Anonymous"
    assert last.parent_id == hard.pk
    assert last.body == "Raw **bold** in HTML only \u2028 separator"
    assert (last.upvotes, last.downvotes) == (0, 2)
    assert not Page.objects.get(uri="/2023/old-pier/").is_open  # read_only
    assert SourceLink.objects.get(kind="comment", source_id=first_key()).facts["pinned"] is True
    bans = {b.commenter.reader_key: b.until for b in Ban.objects.select_related("commenter")}
    assert len(bans) == 2
    assert None in bans.values()
    assert datetime(2025, 6, 1, 10, 0, tzinfo=UTC) in bans.values()
    subscription = Subscription.objects.get()
    assert subscription.email == "lea@example.org"
    assert subscription.confirmed_at is not None


def first_key() -> str:
    return "4d9c3c2e-0b7a-4a4e-9f0e-1c2d3e4f5a6b"


def test_commento(run: Callable[..., Report]) -> None:
    run("commento", "commento.json")
    first, tomb, guest, flagged = (_c("commento", k) for k in ("aa11", "bb22", "cc33", "dd44"))
    assert Page.objects.get().uri == "/2021/market/"
    assert first.author_name == "Pia"
    assert first.author_website == ""
    assert first.created_at == datetime(2021, 11, 6, 22, 27, 46, 633536, tzinfo=UTC)
    assert tomb.status == CommentStatus.REMOVED
    assert tomb.body == ""
    assert guest.parent_id == tomb.pk
    assert guest.status == CommentStatus.PENDING
    assert guest.author_name == "Anonymous"
    assert guest.downvotes == 1
    assert flagged.status == CommentStatus.PENDING
    assert flagged.suspected_spam
    assert flagged.body == "Buy cheap **now**"
    assert SourceLink.objects.filter(kind="commenter").count() == 3  # Pia listed twice


def test_waline(run: Callable[..., Report]) -> None:
    run("waline", "waline.json")
    first, member, deep, legacy, spam = (_c("waline", k) for k in "12345")
    assert first.upvotes == 4
    assert first.ip_hash == hash_ip("192.0.2.44")
    assert member.parent_id == first.pk
    assert deep.parent_id == member.pk
    assert member.author_name == "Member Nine"
    assert member.status == CommentStatus.PENDING
    assert member.created_at == datetime(2024, 6, 1, 11, 0, tzinfo=UTC)  # LeanCloud date
    assert deep.created_at == datetime(2024, 6, 1, 12, 0, tzinfo=UTC)  # SQLite text
    assert legacy.status == CommentStatus.PUBLISHED  # no status: Valine data
    assert spam.status == CommentStatus.SPAM
    assert SourceLink.objects.get(kind="comment", source_id="1").facts["pinned"] is True
    assert SourceLink.objects.get(kind="counter").facts["reaction0"] == 3


def test_commento_file_given_as_waline_is_refused(run: Callable[..., Report]) -> None:
    from rejoinder.portability.sources import BadFile

    with pytest.raises(BadFile, match="not a Waline export"):
        run("waline", "commento.json")
