"""The verdict at posting time: modes, word and link rules, bans, shadow bans, the spam filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.moderation.conftest import assert_counts_right

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import edit_comment
from rejoinder.comments.thread import own_hidden_comments, read_thread
from rejoinder.errors import Conflict, Forbidden, InvalidInput
from rejoinder.moderation.actions import ban_commenter, lift_ban
from rejoinder.moderation.models import Ban, PageModeration, SiteModeration
from rejoinder.moderation.queues import queue_counts
from rejoinder.moderation.timing import issue_form_stamp, seconds_since
from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import CommentSort, Page, Site

Post = Callable[..., Comment]


def _codes(comment: Comment) -> list[str]:
    return [r["code"] for r in comment.moderation_reasons]


def test_post_moderation_publishes_at_once_with_a_spam_score(post: Post, page: Page) -> None:
    comment = post()
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.spam_score is not None
    assert 0 <= comment.spam_score < 0.5
    assert comment.moderation_reasons == []
    assert_counts_right(page)


def test_pre_moderation_holds_every_comment_uncounted(
    post: Post, page: Page, rules: SiteModeration
) -> None:
    rules.mode = "pre"
    rules.save()
    version = Page.objects.get(pk=page.pk).version
    comment = post()
    assert comment.status == CommentStatus.PENDING
    assert _codes(comment) == ["premoderation"]
    page.refresh_from_db()
    assert page.comment_count == 0
    assert page.version > version
    assert read_thread(page=page, sort=CommentSort.NEWEST, page_size=None).nodes == []
    assert queue_counts(page.site)["pending"] == 1


def test_a_page_override_holds_comments_on_one_page_only(
    post: Post, page: Page, site: Site
) -> None:
    other = ensure_page(site, "/news/other/", title="Other")
    PageModeration.objects.create(page=page, mode="pre")
    assert post().status == CommentStatus.PENDING
    assert post(page=other).status == CommentStatus.PUBLISHED


def test_first_time_commenters_wait_until_one_comment_is_published(
    post: Post, rules: SiteModeration, reader: Commenter, moderator: Any
) -> None:
    from rejoinder.moderation.actions import moderate

    rules.premoderate_first_time = True
    rules.save()
    first = post(author=reader)
    assert first.status == CommentStatus.PENDING
    assert _codes(first) == ["first_time"]
    moderate(comment_ids=[first.pk], action="approve", moderator=moderator)
    assert post("And a second thought.", author=reader).status == CommentStatus.PUBLISHED


def test_comments_with_links_wait_when_the_site_asks(post: Post, rules: SiteModeration) -> None:
    rules.premoderate_links = True
    rules.save()
    held = post("The report is at https://example.org/report and worth reading.")
    assert held.status == CommentStatus.PENDING
    assert _codes(held) == ["links"]
    assert post("No links here, only an opinion.").status == CommentStatus.PUBLISHED


def test_suspect_words_hold_a_comment_and_say_which(post: Post, rules: SiteModeration) -> None:
    rules.suspect_words = "crypto\nget rich"
    rules.save()
    held = post("You can G3T R1CH with this, trust me.")
    assert held.status == CommentStatus.PENDING
    assert _codes(held) == ["suspect_words"]
    assert "get rich" in held.moderation_reasons[0]["text"]
    rules.premoderate_suspect_words = False
    rules.save()
    assert post("You can get rich with this, trust me.").status == CommentStatus.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "This is SPAM.",
        "this is s.p.a.m really",
        "s p a m",
        "spaaaaam!!",
        "5p4m",
        "sp\u0430m with a Cyrillic a",  # homoglyph
        "\uff53\uff50\uff41\uff4d in full width",
        "sp\u200bam with a zero-width space",
        "what a load of free money",
        "FR33 M0NEY here",
    ],
)
def test_banned_words_are_refused_through_common_disguises(
    post: Post, rules: SiteModeration, page: Page, body: str
) -> None:
    rules.banned_words = "spam\nfree money"
    rules.save()
    with pytest.raises(InvalidInput) as refused:
        post(body)
    assert refused.value.field == "body"
    assert "does not allow" in refused.value.message
    assert Comment.objects.count() == 0
    assert_counts_right(page)


@pytest.mark.parametrize("body", ["A spammer was caught.", "Freedom of money markets", "sp am"])
def test_banned_words_match_whole_words_only(post: Post, rules: SiteModeration, body: str) -> None:
    rules.banned_words = "spam\nfree money\nass"
    rules.save()
    assert post(body + " Also a classic assessment.").status == CommentStatus.PUBLISHED


def test_more_links_than_the_limit_are_refused_with_the_numbers(
    post: Post, rules: SiteModeration
) -> None:
    rules.max_links = 2
    rules.save()
    body = "See https://a.example.org, https://b.example.org and https://c.example.org for more."
    with pytest.raises(InvalidInput) as refused:
        post(body)
    assert "3 links" in refused.value.message
    assert "2 at most" in refused.value.message
    assert Comment.objects.count() == 0


def test_new_commenters_links_wait_until_the_minimum_age(
    post: Post, rules: SiteModeration, make_reader: Callable[[], Commenter]
) -> None:
    rules.link_min_age_hours = 24
    rules.save()
    body = "Source: https://example.org/data for the figures quoted."
    fresh = post(body)
    assert fresh.status == CommentStatus.PENDING
    assert _codes(fresh) == ["new_with_links"]
    veteran = make_reader()
    veteran.save()
    Commenter.objects.filter(pk=veteran.pk).update(created_at=timezone.now() - timedelta(days=2))
    veteran.refresh_from_db()
    assert post(body, author=veteran).status == CommentStatus.PUBLISHED
    assert post("No link from a newcomer.").status == CommentStatus.PUBLISHED


def _ban(comment: Comment, moderator: Any, **kw: Any) -> Ban:
    return ban_commenter(comment_id=comment.pk, moderator=moderator, duration=None, **kw)


def test_a_banned_reader_is_refused_even_under_a_new_name(
    post: Post, reader: Commenter, moderator: Any, page: Page
) -> None:
    first = post(author=reader, name="Troll")
    _ban(first, moderator, by_email=False, reason="abuse")
    with pytest.raises(Forbidden) as refused:
        post("I am someone else now.", author=reader, name="Nice Person")
    assert "no longer comment" in refused.value.message
    assert Comment.objects.count() == 1
    assert_counts_right(page)


def test_a_ban_by_email_refuses_another_reader_key_with_that_address(
    post: Post, moderator: Any
) -> None:
    first = post(email="troll@example.org")
    _ban(first, moderator, by_reader=False)
    with pytest.raises(Forbidden):
        post("Fresh cookie, same address.", email="Troll@Example.org")
    assert post("Someone else entirely.", email="ana@example.org").status == "published"


def test_a_ban_by_ip_refuses_any_reader_from_that_address(post: Post, moderator: Any) -> None:
    first = post(ip_hash="iphash-1")
    _ban(first, moderator, by_reader=False, by_email=False, by_ip=True)
    with pytest.raises(Forbidden):
        post("New reader, same network.", ip_hash="iphash-1")
    assert post("Another network.", ip_hash="iphash-2").status == CommentStatus.PUBLISHED


def test_a_ban_for_a_duration_expires_and_a_lifted_ban_lets_the_reader_back(
    post: Post, reader: Commenter, moderator: Any
) -> None:
    first = post(author=reader)
    ban = ban_commenter(comment_id=first.pk, moderator=moderator, duration=timedelta(hours=2))
    with pytest.raises(Forbidden) as refused:
        post("Still here?", author=reader)
    assert "until" in refused.value.message
    Ban.objects.filter(pk=ban.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert post("Back after the ban.", author=reader).status == CommentStatus.PUBLISHED
    forever = _ban(first, moderator)
    with pytest.raises(Forbidden):
        post("Again?", author=reader)
    lift_ban(ban_id=forever.pk, moderator=moderator)
    assert post("Lifted.", author=reader).status == CommentStatus.PUBLISHED


def test_a_shadow_banned_readers_comments_are_visible_to_them_alone(
    post: Post, reader: Commenter, moderator: Any, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    first = post(author=reader)
    _ban(first, moderator, shadow=True)
    shadowed = post("Nobody will see this.", author=reader, name="New Name")
    assert shadowed.status == CommentStatus.PENDING
    assert shadowed.shadowed
    assert own_hidden_comments(page, reader) == [shadowed]
    assert own_hidden_comments(page, make_reader()) == []
    assert own_hidden_comments(page, None) == []
    shown = [
        c.pk for c in read_thread(page=page, sort=CommentSort.NEWEST, page_size=None).comments()
    ]
    assert shown == [first.pk]
    assert queue_counts(page.site)["pending"] == 0  # not work for moderators
    assert_counts_right(page)


def test_a_shadow_banned_reader_can_edit_and_answer_their_own_shadowed_comment(
    post: Post, reader: Commenter, moderator: Any, make_reader: Callable[[], Commenter]
) -> None:
    """Nothing behaves differently for them, or they would notice the ban."""
    first = post(author=reader)
    _ban(first, moderator, shadow=True)
    shadowed = post("Nobody will see this.", author=reader)

    edited = edit_comment(
        comment_id=shadowed.pk, editor=reader, body="Nobody will see this either."
    )
    reply = post("And a follow-up.", author=reader, parent_id=shadowed.pk)

    assert edited.body == "Nobody will see this either."
    assert (reply.parent_id, reply.shadowed) == (shadowed.pk, True)
    with pytest.raises(Conflict):
        post("Replying to what I cannot see.", author=make_reader(), parent_id=shadowed.pk)


def test_a_held_comment_takes_no_replies_even_from_its_author(
    post: Post, reader: Commenter, rules: SiteModeration
) -> None:
    rules.mode = "pre"
    rules.save()
    held = post(author=reader)
    assert (held.status, held.shadowed) == (CommentStatus.PENDING, False)
    with pytest.raises(Conflict):
        post("Answering myself.", author=reader, parent_id=held.pk)
    with pytest.raises(Forbidden):
        edit_comment(comment_id=held.pk, editor=reader, body="Changed while waiting.")


def test_a_filled_honeypot_holds_the_comment_as_suspected_spam(post: Post, page: Page) -> None:
    comment = post("Nice article, I agree with the author.", honeypot="http://x.example")
    assert comment.status == CommentStatus.PENDING
    assert comment.suspected_spam
    assert comment.spam_score is not None
    assert comment.spam_score >= 0.99
    assert _codes(comment) == ["spam"]
    assert comment.spam_signals is not None
    assert comment.spam_signals["honeypot_filled"] is True
    assert queue_counts(page.site)["spam"] == 1
    assert queue_counts(page.site)["pending"] == 0


def test_a_site_that_rejects_spam_refuses_it_with_a_message(
    post: Post, rules: SiteModeration
) -> None:
    rules.spam_action = "reject"
    rules.save()
    with pytest.raises(Forbidden) as refused:
        post("Nice article, I agree with the author.", honeypot="filled", elapsed_seconds=0.4)
    assert "spam filter" in refused.value.message
    assert Comment.objects.count() == 0


def test_a_lower_threshold_holds_obvious_spam_text(post: Post, rules: SiteModeration) -> None:
    rules.spam_threshold = 0.5
    rules.save()
    spam = post(
        "Earn $5000 per week from home!!! Click here www.easy-cash.xyz WhatsApp +1 555 0100 200"
    )
    assert spam.status == CommentStatus.PENDING
    assert spam.suspected_spam
    assert post().status == CommentStatus.PUBLISHED


def test_unmoderated_posting_skips_every_rule(
    page: Page, reader: Commenter, rules: SiteModeration
) -> None:
    from rejoinder.comments.posting import post_comment

    rules.mode = "pre"
    rules.banned_words = "spam"
    rules.save()
    comment = post_comment(page=page, author=reader, name="Ana", body="spam", moderated=False)
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.spam_score is None


def test_form_stamps_measure_time_and_forged_ones_say_nothing() -> None:
    stamp = issue_form_stamp(now=1_000_000.0)
    assert seconds_since(stamp, now=1_000_012.5) == pytest.approx(12.5)
    assert seconds_since(stamp + "0", now=1_000_012.5) is None
    assert seconds_since("", now=1_000_012.5) is None
    assert seconds_since(stamp, now=999_000.0) is None  # from the future


def test_a_site_created_later_gets_default_rules_on_its_first_comment(
    make_reader: Callable[[], Commenter],
) -> None:
    from rejoinder.comments.posting import post_comment

    site = Site.objects.create(name="Late paper")
    assert not SiteModeration.objects.filter(site=site).exists()
    page = ensure_page(site, "/late/", title="Late")
    comment = post_comment(page=page, author=make_reader(), name="Ana", body="First here.")
    assert comment.status == CommentStatus.PUBLISHED
    assert SiteModeration.objects.get(site=site).mode == "post"


def test_the_verdict_counts_repeats_velocity_and_history_on_the_site_only(
    post: Post, page: Page, reader: Commenter, make_reader: Callable[[], Commenter]
) -> None:
    other_site = Site.objects.create(name="Elsewhere")
    elsewhere = ensure_page(other_site, "/elsewhere/")
    text = "I agree with the council on this one."
    post(text, page=elsewhere, author=make_reader(), ip_hash="ip-1")  # another site: not counted
    first = post(text, author=reader, ip_hash="ip-1")
    post("Something else entirely.", author=make_reader(), ip_hash="ip-1")
    again = post(text, author=reader, ip_hash="ip-2")
    old = post(text, author=make_reader(), ip_hash="ip-3")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    later = post(text, author=make_reader(), ip_hash="ip-1")

    def signals(comment: Comment) -> tuple[int, int, int]:
        s = comment.spam_signals or {}
        return s["repeated"], s["recent_posts"], s["published_before"]

    assert signals(first) == (0, 0, 0)
    # The same text once before (its own author's); one earlier comment by the reader.
    assert signals(again) == (1, 1, 1)
    # Two copies within the hour (not the two-hour-old one); two comments from the same IP.
    assert signals(later) == (2, 2, 0)


def test_a_ban_by_email_matches_whatever_the_letter_case(
    post: Post, moderator: Any, make_reader: Callable[[], Commenter]
) -> None:
    first = post(email="Troll@Example.org")
    _ban(first, moderator, by_reader=False, by_email=True)
    with pytest.raises(Forbidden):
        post("New browser, same address.", author=make_reader(), email="troll@example.ORG")
    assert post("Someone else.", author=make_reader(), email="fine@example.org").pk


def test_counts_stop_where_the_filter_stops_telling_them_apart(
    post: Post, make_reader: Callable[[], Commenter]
) -> None:
    for n in range(13):
        post(f"Flood {n} from one address.", author=make_reader(), ip_hash="busy-ip")
    last = post("Flood 13 from one address.", author=make_reader(), ip_hash="busy-ip")
    assert last.spam_signals is not None
    assert last.spam_signals["recent_posts"] == 11  # the classifier's top velocity bin is "> 10"
