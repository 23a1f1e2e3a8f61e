"""Rejoinder's own export: export, import into an empty database, export again: the same file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection

from rejoinder.comments.models import Comment, Commenter, Vote
from rejoinder.comments.posting import post_comment
from rejoinder.comments.voting import vote_on_comment
from rejoinder.inline.models import Anchor, ArticleRevision, Prompt
from rejoinder.moderation.actions import ban_commenter, moderate, undo_action
from rejoinder.moderation.flags import flag_comment
from rejoinder.moderation.models import (
    AuditEntry,
    Ban,
    Flag,
    ModeratorRole,
    PageModeration,
    SiteModeration,
)
from rejoinder.pages.models import Article, Page, Site
from rejoinder.pages.publishing import save_article
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
    Article,
    ArticleRevision,
    Flag,
    SiteModeration,
    PageModeration,
    ModeratorRole,
    AuditEntry,
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
        page=page, author=native, name="Native", body="Posted *here*", moderated=False, ip_hash="12"
    )
    voter = Commenter.objects.create(reader_key="native-voter")
    vote_on_comment(comment_id=comment.pk, voter=voter, value=1, ip_hash="ab", limited=False)
    rate_page(page=page, rater=voter, stars=4, ip_hash="ab", limited=False)
    # an article with two revisions of its text
    article = save_article(
        Article(slug="harbour-wall", headline="The harbour wall", author_name="Desk", body="One.")
    )
    Page.objects.filter(pk=article.page_id).update(site=gazette)  # not the default site
    article.body = "One. Two."
    save_article(article)
    # moderation: the site's rules, a page's own mode, a moderator, flags, actions and an undo
    SiteModeration.objects.exclude(site=gazette).delete()  # made by posting on the default site
    rules = SiteModeration.objects.get_or_create(site=gazette)[0]
    rules.banned_words = "casino\nlottery"
    rules.flags_to_hide = 2
    rules.save()
    PageModeration.objects.create(page=page, mode="pre")
    desk = get_user_model().objects.create_user("desk", "desk@example.org", "pw")
    ModeratorRole.objects.create(user=desk, site=gazette, role="admin")
    flag_comment(comment_id=comment.pk, reader=voter, ip_hash="cd", reason="abuse", note="rude")
    other = Commenter.objects.create(reader_key="native-flagger")
    entry = moderate(comment_ids=[comment.pk], action="remove", moderator=desk, note="rude")[0]
    undo_action(entry_id=entry.pk, moderator=desk)
    flag_comment(comment_id=comment.pk, reader=other, ip_hash="ef", reason="spam")
    ban_commenter(comment_id=comment.pk, moderator=desk, duration=None, reason="again")
    ban_commenter(
        comment_id=comment.pk,
        moderator=desk,
        duration=None,
        by_reader=False,
        by_email=False,
        by_ip=True,
    )


def _empty_database() -> None:
    with connection.cursor() as cursor:
        for model in (*TABLES, get_user_model()):
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
    kinds = {line.split('"type":"', 1)[1].split('"', 1)[0] for line in first.splitlines()}
    assert {"article", "revision", "flag", "rules", "page_rules", "moderator", "audit"} <= kinds


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


def test_articles_moderation_and_moderators_come_back(
    run: Callable[..., Report], gazette: Site, tmp_path: Path
) -> None:
    _fill(run, gazette)
    path = tmp_path / "export.jsonl"
    path.write_text(_export(gazette), encoding="utf-8")
    _empty_database()
    report = run_import(site=gazette, format_name="jsonl", path=path)
    assert report.imported["articles"] == 1
    assert report.imported["article revisions"] == 2
    article = Article.objects.get(slug="harbour-wall")
    assert article.body_html == "<p>One. Two.</p>\n"  # rendered again, not read from the file
    assert list(
        ArticleRevision.objects.filter(page=article.page).order_by("number").values_list("body")
    ) == [("One.",), ("One. Two.",)]
    desk = get_user_model().objects.get(username="desk")
    assert not desk.has_usable_password()  # signs in after a password reset
    assert not desk.is_staff
    assert ModeratorRole.objects.get(user=desk, site=gazette).role == "admin"
    rules = SiteModeration.objects.get(site=gazette)
    assert (rules.banned_list(), rules.flags_to_hide) == (["casino", "lottery"], 2)
    undone = AuditEntry.objects.get(action="remove")
    assert undone.undone_by is not None
    assert undone.moderator == desk
    assert undone.state["flags"] == [Flag.objects.get(reason="abuse").pk]
    assert AuditEntry.objects.filter(ban__isnull=False).count() == 2
    assert Ban.objects.filter(commenter__isnull=True, created_by=desk).count() == 1


def test_a_site_with_pages_keeps_its_own_moderation_rules(
    run: Callable[..., Report], gazette: Site, tmp_path: Path
) -> None:
    _fill(run, gazette)
    path = tmp_path / "export.jsonl"
    path.write_text(_export(gazette), encoding="utf-8")
    other = Site.objects.create(name="Other", domain=gazette.domain)
    Page.objects.create(site=other, uri="/already/")
    SiteModeration.objects.create(site=other, banned_words="own")
    report = run_import(site=other, format_name="jsonl", path=path)
    assert SiteModeration.objects.get(site=other).banned_words == "own"
    assert any("keeps its own moderation rules" in note for note in report.notes)
