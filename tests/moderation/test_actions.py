"""Moderator actions, flags, the audit log with undo, learning, queues and alerts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from tests.moderation.conftest import assert_counts_right
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from rejoinder.moderation.actions import audit_log, ban_commenter, lift_ban, moderate, undo_action
from rejoinder.moderation.flags import flag_comment
from rejoinder.moderation.learning import site_model
from rejoinder.moderation.models import (
    AuditEntry,
    Ban,
    Flag,
    ModeratorRole,
    SiteModeration,
    SiteSpamModel,
)
from rejoinder.moderation.queues import queue_counts, read_queue
from rejoinder.moderation.roles import is_moderator, moderated_sites
from rejoinder.outbox.models import OutboxMail
from rejoinder.outbox.sending import send_due
from rejoinder.pages.models import Page, Site

Post = Callable[..., Comment]


def _status(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        ("pending", "approve", "published"),
        ("published", "remove", "removed"),
        ("pending", "remove", "removed"),
        ("published", "spam", "spam"),
        ("removed", "restore", "published"),
        ("spam", "restore", "published"),
    ],
)
def test_each_action_changes_status_keeps_counts_and_undo_reverts_it(
    post: Post, page: Page, moderator: Any, start: str, action: str, end: str
) -> None:
    comment = post()
    Comment.objects.filter(pk=comment.pk).update(status=start)
    page.refresh_from_db()
    page.bump(comment_count=-1 if start != "published" else 0)
    assert_counts_right(page)
    version = Page.objects.get(pk=page.pk).version
    (entry,) = moderate(comment_ids=[comment.pk], action=action, moderator=moderator, note="why")  # type: ignore[arg-type]
    assert _status(comment) == end
    assert (entry.previous_status, entry.new_status, entry.action, entry.note) == (
        start,
        end,
        action,
        "why",
    )
    assert entry.moderator == moderator
    assert Page.objects.get(pk=page.pk).version > version
    assert_counts_right(page)
    undo = undo_action(entry_id=entry.pk, moderator=moderator)
    assert _status(comment) == start
    assert undo.action == "undo"
    entry.refresh_from_db()
    assert entry.undone_by == undo
    assert_counts_right(page)
    with pytest.raises(Conflict):
        undo_action(entry_id=entry.pk, moderator=moderator)
    with pytest.raises(Conflict):
        undo_action(entry_id=undo.pk, moderator=moderator)


def test_an_undo_is_refused_when_the_comment_changed_since(post: Post, moderator: Any) -> None:
    comment = post()
    (removed,) = moderate(comment_ids=[comment.pk], action="remove", moderator=moderator)
    moderate(comment_ids=[comment.pk], action="restore", moderator=moderator)
    with pytest.raises(Conflict) as refused:
        undo_action(entry_id=removed.pk, moderator=moderator)
    assert "changed since" in refused.value.message
    assert _status(comment) == "published"


def test_bulk_actions_apply_to_all_or_none(post: Post, page: Page, moderator: Any) -> None:
    a, b, c = post("One."), post("Two."), post("Three.")
    moderate(comment_ids=[c.pk], action="remove", moderator=moderator)
    with pytest.raises(Conflict):
        moderate(comment_ids=[a.pk, b.pk, c.pk], action="remove", moderator=moderator)
    assert [_status(x) for x in (a, b, c)] == ["published", "published", "removed"]
    entries = moderate(comment_ids=[a.pk, b.pk], action="spam", moderator=moderator)
    assert len(entries) == 2
    assert [_status(x) for x in (a, b)] == ["spam", "spam"]
    assert_counts_right(page)
    with pytest.raises(NotFound):
        moderate(comment_ids=[a.pk, 999_999], action="restore", moderator=moderator)
    with pytest.raises(InvalidInput):
        moderate(comment_ids=[a.pk], action="delete", moderator=moderator)
    with pytest.raises(InvalidInput):
        moderate(comment_ids=[], action="approve", moderator=moderator)


def test_only_moderators_of_the_comments_site_may_act(
    post: Post, django_user_model: Any, moderator: Any, site: Site
) -> None:
    comment = post()
    outsider = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    other_site = Site.objects.create(name="Other paper")
    elsewhere = django_user_model.objects.create_user("elsewhere", "e@example.org", "pw")
    ModeratorRole.objects.create(user=elsewhere, site=other_site)
    for user in (outsider, elsewhere):
        with pytest.raises(Forbidden):
            moderate(comment_ids=[comment.pk], action="remove", moderator=user)
        with pytest.raises(Forbidden):
            ban_commenter(comment_id=comment.pk, moderator=user, duration=None)
    assert _status(comment) == "published"
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    assert is_moderator(boss, other_site)
    assert is_moderator(moderator, site)
    assert not is_moderator(moderator, other_site)
    assert moderated_sites(moderator) == [site]
    assert set(moderated_sites(boss)) == {site, other_site}
    assert moderated_sites(outsider) == []


def test_bans_and_lifts_are_logged_and_undoable(
    post: Post, reader: Commenter, moderator: Any
) -> None:
    first = post(author=reader)
    ban = ban_commenter(comment_id=first.pk, moderator=moderator, duration=None, reason="abuse")
    (ban_entry,) = [e for e in audit_log(first.page.site) if e.action == "ban"]
    assert ban_entry.ban == ban
    assert ban_entry.note == "abuse"
    undo_action(entry_id=ban_entry.pk, moderator=moderator)
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert post("Back.", author=reader).status == "published"
    again = ban_commenter(comment_id=first.pk, moderator=moderator, duration=None)
    lift_ban(ban_id=again.pk, moderator=moderator)
    with pytest.raises(Conflict):
        lift_ban(ban_id=again.pk, moderator=moderator)
    lifted = AuditEntry.objects.get(action="lift_ban", ban=again)
    undo_action(entry_id=lifted.pk, moderator=moderator)
    again.refresh_from_db()
    assert again.is_active(timezone.now())
    with pytest.raises(InvalidInput):
        ban_commenter(
            comment_id=first.pk, moderator=moderator, duration=None, by_reader=False, by_email=True
        )
    assert [e.action for e in audit_log(first.page.site)][:3] == ["undo", "lift_ban", "ban"]


def _flag(comment: Comment, reader: Commenter, ip: str, reason: str = "abuse") -> Flag:
    return flag_comment(comment_id=comment.pk, reader=reader, ip_hash=ip, reason=reason)


def test_one_flag_per_reader_and_reasons_are_checked(
    post: Post, reader: Commenter, make_reader: Callable[[], Commenter]
) -> None:
    comment = post()
    flagger = make_reader()
    flag = _flag(comment, flagger, "ip-a")
    assert flag.reason == "abuse"
    assert not flag.resolved
    with pytest.raises(Conflict):
        _flag(comment, flagger, "ip-b", "spam")
    with pytest.raises(InvalidInput):
        _flag(comment, make_reader(), "ip-c", "boring")
    with pytest.raises(Forbidden):
        _flag(comment, comment.author, "ip-d")
    assert Flag.objects.count() == 1


def test_enough_flags_from_distinct_readers_hide_the_comment_for_review(
    post: Post,
    page: Page,
    rules: SiteModeration,
    make_reader: Callable[[], Commenter],
    moderator: Any,
) -> None:
    rules.flags_to_hide = 3
    rules.save()
    comment = post()
    _flag(comment, make_reader(), "ip-1")
    _flag(comment, make_reader(), "ip-2", "spam")
    assert _status(comment) == "published"
    version = Page.objects.get(pk=page.pk).version
    _flag(comment, make_reader(), "ip-3")
    assert _status(comment) == "pending"
    assert comment.moderation_reasons[-1]["code"] == "flagged"
    assert Page.objects.get(pk=page.pk).version > version
    assert_counts_right(page)
    assert queue_counts(page.site) == {"pending": 0, "flagged": 1, "spam": 0, "recent": 1}
    (item,) = read_queue(page.site, "flagged")
    assert item.flags == [("abuse", 2), ("spam", 1)]
    hidden = AuditEntry.objects.get(action="hide_flagged")
    assert hidden.moderator is None
    # Approving brings it back and settles the flags; undoing that hides it again.
    (entry,) = moderate(comment_ids=[comment.pk], action="approve", moderator=moderator)
    assert _status(comment) == "published"
    assert not Flag.objects.filter(resolved=False).exists()
    assert queue_counts(page.site)["flagged"] == 0
    assert_counts_right(page)
    undo_action(entry_id=entry.pk, moderator=moderator)
    assert _status(comment) == "pending"
    assert Flag.objects.filter(resolved=False).count() == 3
    assert_counts_right(page)


def test_rotating_reader_cookies_from_one_ip_count_as_one_flag(
    post: Post, rules: SiteModeration, make_reader: Callable[[], Commenter]
) -> None:
    rules.flags_to_hide = 2
    rules.save()
    comment = post()
    for _ in range(5):
        _flag(comment, make_reader(), "same-ip")
    assert _status(comment) == "published"
    _flag(comment, make_reader(), "another-ip")
    assert _status(comment) == "pending"


def test_flags_are_rate_limited_per_ip(
    post: Post, settings: Any, make_reader: Callable[[], Commenter]
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_FLAG_IP": "2/3600"}
    comments = [post(f"Comment {n}.") for n in range(3)]
    _flag(comments[0], make_reader(), "busy-ip")
    _flag(comments[1], make_reader(), "busy-ip")
    with pytest.raises(RateLimited):
        _flag(comments[2], make_reader(), "busy-ip")
    assert Flag.objects.count() == 2


def test_decisions_teach_the_sites_model_and_undo_takes_the_lesson_back(
    post: Post, site: Site, moderator: Any
) -> None:
    campaign = "Join the crypto signals group for daily gains, ask for Viktor"
    probe = "Crypto signals group with daily gains, ask Viktor today"
    before = site_model(site).score(probe)
    spam = [post(f"{campaign} number {n}.") for n in range(4)]
    entries = moderate(comment_ids=[c.pk for c in spam], action="spam", moderator=moderator)
    learnt = SiteSpamModel.objects.get(site=site)
    assert learnt.decisions == 4
    assert site_model(site).score(probe) > before
    for entry in entries:
        undo_action(entry_id=entry.pk, moderator=moderator)
    learnt.refresh_from_db()
    assert learnt.decisions == 0
    assert site_model(site).score(probe) == pytest.approx(before)
    # Approving (ham) then marking spam leaves one lesson, the later one.
    comment = post("Daily gains are a myth, as the article shows.")
    moderate(comment_ids=[comment.pk], action="approve", moderator=moderator)
    moderate(comment_ids=[comment.pk], action="spam", moderator=moderator)
    learnt.refresh_from_db()
    assert learnt.decisions == 1
    assert comment.spam_lesson.is_spam


def test_other_sites_models_are_untouched(post: Post, site: Site, moderator: Any) -> None:
    other = Site.objects.create(name="Other")
    moderate(comment_ids=[post().pk], action="spam", moderator=moderator)
    assert SiteSpamModel.objects.filter(site=other).count() == 0
    assert site_model(other).docs != site_model(site).docs


def test_queues_show_each_comment_in_context_in_constant_queries(
    post: Post, page: Page, rules: SiteModeration, django_assert_num_queries: Any
) -> None:
    parent = post("The parent comment.")
    rules.mode = "pre"
    rules.save()
    for n in range(3):
        post(f"Held reply {n}.", parent_id=parent.pk, name=f"R{n}")
    with django_assert_num_queries(4):
        items = read_queue(page.site, "pending")
    assert len(items) == 3
    item = items[0]
    assert item.parent == parent
    assert item.page == page
    assert item.reasons == ["Every comment here waits for a moderator."]
    assert item.history.published == 0
    assert item.history.first_seen is not None
    assert item.quote == ""
    assert [
        i.comment.pk for i in read_queue(page.site, "pending", before_id=items[0].comment.pk)
    ] == [i.comment.pk for i in items[1:]]
    with pytest.raises(InvalidInput):
        read_queue(page.site, "nonsense")
    assert queue_counts(page.site)["pending"] == 3
    assert len(read_queue(page.site, "recent")) == 4


def test_a_long_queue_alerts_the_moderators_once_per_window(
    post: Post, rules: SiteModeration, moderator: Any, smtp: SmtpSink
) -> None:
    rules.mode = "pre"
    rules.alert_queue_size = 2
    rules.save()
    post("First held.")
    assert OutboxMail.objects.count() == 0
    post("Second held.")
    post("Third held.")
    mails = list(OutboxMail.objects.all())
    assert [m.to_address for m in mails] == ["mod@example.org"]
    assert "wait for moderation" in mails[0].subject
    send_due()
    (received,) = smtp.received
    assert received.rcpt_tos == ["mod@example.org"]
    assert "/moderation/" in received.message.get_body(("plain",)).get_content()


def test_a_flag_alerts_the_moderators_when_the_site_asks(
    post: Post,
    rules: SiteModeration,
    moderator: Any,
    make_reader: Callable[[], Commenter],
    smtp: SmtpSink,
) -> None:
    comment = post("Something <b>odd</b>.")
    _flag(comment, make_reader(), "ip-1")
    assert OutboxMail.objects.count() == 0
    rules.alert_on_flag = True
    rules.save()
    _flag(comment, make_reader(), "ip-2")
    _flag(comment, make_reader(), "ip-3")
    assert OutboxMail.objects.count() == 1
    send_due()
    (received,) = smtp.received
    text = received.message.get_body(("plain",)).get_content()
    assert "flagged" in text
    assert "Something <b>odd</b>." in text
    assert received.message.get_body(("html",)) is None


def test_shadowed_comments_do_not_alert(
    post: Post, rules: SiteModeration, moderator: Any, reader: Commenter
) -> None:
    rules.alert_queue_size = 1
    rules.save()
    first = post(author=reader)
    ban_commenter(comment_id=first.pk, moderator=moderator, duration=None, shadow=True)
    post("Hidden.", author=reader)
    assert OutboxMail.objects.count() == 0
    assert Ban.objects.get().shadow


def test_approving_a_shadowed_comment_publishes_it(
    post: Post, page: Page, reader: Commenter, moderator: Any
) -> None:
    first = post(author=reader)
    ban_commenter(comment_id=first.pk, moderator=moderator, duration=None, shadow=True)
    hidden = post("Hidden.", author=reader)
    (entry,) = moderate(comment_ids=[hidden.pk], action="approve", moderator=moderator)
    hidden.refresh_from_db()
    assert (hidden.status, hidden.shadowed) == ("published", False)
    assert_counts_right(page)
    undo_action(entry_id=entry.pk, moderator=moderator)
    hidden.refresh_from_db()
    assert (hidden.status, hidden.shadowed) == ("pending", True)
    assert_counts_right(page)


def test_a_deleted_comment_cannot_be_restored(
    page: Page, reader: Commenter, moderator: Any, make_reader: Callable[[], Commenter]
) -> None:
    from rejoinder.comments.posting import delete_comment

    mine = post_comment(page=page, author=reader, name="Ana", body="Mine")
    post_comment(page=page, author=make_reader(), name="Bo", body="Reply", parent_id=mine.pk)
    delete_comment(comment_id=mine.pk, requester=reader)
    with pytest.raises(Conflict):
        moderate(comment_ids=[mine.pk], action="restore", moderator=moderator)


def test_a_moderator_with_an_unusable_address_does_not_stop_readers_posting(
    post: Post, rules: SiteModeration, moderator: Any, django_user_model: Any
) -> None:
    rules.mode = "pre"
    rules.alert_queue_size = 1
    rules.save()
    broken = django_user_model.objects.create_user("typo", "typo@example.org\r\nBcc: x@y.z", "pw")
    ModeratorRole.objects.create(user=broken, site=rules.site, role="moderator")

    held = post("Held, and the queue is long enough to alert.")

    assert held.status == "pending"
    assert [m.to_address for m in OutboxMail.objects.all()] == ["mod@example.org"]
