"""Rejoinder's own export: export, import into an empty database, export again: the same file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from rejoinder.comments.models import Comment, Commenter, Vote
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.inline.models import Anchor, Prompt
from rejoinder.moderation.models import Ban
from rejoinder.pages.models import Page, Site
from rejoinder.portability.exporting import export_jsonl
from rejoinder.portability.importing import run_import
from rejoinder.portability.models import Linkback, SourceLink
from rejoinder.portability.report import Report
from rejoinder.ratings.models import Rating
from rejoinder.ratings.rating import rate_page
from rejoinder.subscriptions.models import Subscription

from .conftest import SAMPLES

TABLES = (
    Comment,
    Commenter,
    Vote,
    Rating,
    Subscription,
    Prompt,
    Anchor,
    Linkback,
    Ban,
    Page,
    SourceLink,
)


def _export(site: Site) -> str:
    out = io.StringIO()
    export_jsonl(site, out)
    return out.getvalue()


def _fill(run: Callable[..., Report], gazette: Site) -> None:
    run("disqus", "disqus.xml")
    run("wxr", "wordpress.xml", "wpdiscuz.sql", timezone="Europe/Berlin")
    page = Page.objects.get(uri="/2019/ferry-timetable/")
    native = Commenter.objects.create(reader_key="native-reader")
    comment = post_comment(
        page=page, author=native, name="Native", body="Posted *here*", moderated=False
    )
    voter = Commenter.objects.create(reader_key="native-voter")
    vote_on_comment(comment_id=comment.pk, voter=voter, value=1, ip_hash="ab", limited=False)
    rate_page(page=page, rater=voter, stars=4, ip_hash="ab", limited=False)


def _empty_database() -> None:
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608


def test_export_import_export_gives_the_same_file(
    run: Callable[..., Report], gazette: Site, tmp_path: Path
) -> None:
    _fill(run, gazette)
    first = _export(gazette)
    counts = {m.__name__: m.objects.count() for m in TABLES if m is not SourceLink}
    _empty_database()
    path = tmp_path / "export.jsonl"
    path.write_text(first, encoding="utf-8")
    report = run_import(site=gazette, format_name="jsonl", path=path)
    assert not report.skipped, report.skipped
    assert {m.__name__: m.objects.count() for m in TABLES if m is not SourceLink} == counts
    second = _export(gazette)
    assert second.splitlines() == first.splitlines()


def test_the_export_holds_sources_statuses_and_what_was_written_here(
    run: Callable[..., Report], gazette: Site
) -> None:
    _fill(run, gazette)
    text = _export(gazette)
    assert '"id":"5000000001","system":"disqus"' in text
    assert '"status":"spam"' in text
    assert '"status":"removed"' in text
    assert '"body":"Posted *here*"' in text
    assert '"type":"fact"' in text
    assert '"kind":"follow"' in text
    assert "203.0.113.7" not in text  # addresses are exported as their hashes only


def test_a_reimported_export_adds_nothing_and_so_does_the_original_export(
    run: Callable[..., Report], gazette: Site, tmp_path: Path
) -> None:
    _fill(run, gazette)
    path = tmp_path / "export.jsonl"
    path.write_text(_export(gazette), encoding="utf-8")
    _empty_database()
    run_import(site=gazette, format_name="jsonl", path=path)
    count = Comment.objects.count()
    again = run_import(site=gazette, format_name="jsonl", path=path)
    assert Comment.objects.count() == count
    assert again.imported.get("comments", 0) == 0
    disqus_again = run("disqus", SAMPLES / "disqus.xml")
    assert Comment.objects.count() == count
    assert disqus_again.imported.get("comments", 0) == 0


def test_the_export_imports_into_the_site_it_came_from_as_already_there(
    run: Callable[..., Report], gazette: Site, tmp_path: Path
) -> None:
    _fill(run, gazette)
    path = tmp_path / "export.jsonl"
    path.write_text(_export(gazette), encoding="utf-8")
    count = Comment.objects.count()
    report = run_import(site=gazette, format_name="jsonl", path=path)
    assert Comment.objects.count() == count
    assert report.already_there["comments"] == count
