"""WordPress WXR with wpDiscuz meta, and a mysqldump of wpDiscuz's tables as the second file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from rejoinder.comments.models import Comment, CommentStatus, Vote
from rejoinder.inline.models import Anchor, Prompt
from rejoinder.pages.models import Page
from rejoinder.portability.models import Linkback, SourceLink
from rejoinder.portability.report import Report
from rejoinder.ratings.models import Rating
from rejoinder.subscriptions.models import Subscription, SubscriptionKind


def _c(key: str) -> Comment:
    pk = SourceLink.objects.get(system="wordpress", kind="comment", source_id=key).object_id
    return Comment.objects.get(pk=pk)


@pytest.fixture
def imported(run: Callable[..., Report]) -> Report:
    return run("wxr", "wordpress.xml", "wpdiscuz.sql", timezone="Europe/Berlin")


def test_gmt_times_order_replies_across_the_fall_back_hour(imported: Report) -> None:
    parent, reply = _c("11"), _c("12")
    # local 02:40 (summer time) and 02:10 (the repeated hour): the reply is later in UTC
    assert parent.created_at == datetime(2024, 10, 27, 0, 40, tzinfo=UTC)
    assert reply.created_at == datetime(2024, 10, 27, 1, 10, tzinfo=UTC)
    # a zero GMT date falls back to local time in the site's zone
    assert _c("14").created_at == datetime(2024, 10, 26, 10, 0, tzinfo=UTC)
    assert reply.edited_at == datetime(2024, 10, 27, 3, 0, tzinfo=UTC)


def test_zero_gmt_without_a_zone_uses_the_posts_own_offset(run: Callable[..., Report]) -> None:
    run("wxr", "wordpress.xml")
    assert _c("14").created_at == datetime(2024, 10, 26, 10, 0, tzinfo=UTC)


def test_statuses_pingbacks_and_parents(imported: Report) -> None:
    assert _c("14").status == CommentStatus.PENDING
    assert _c("15").status == CommentStatus.REMOVED
    assert _c("16").parent_id == _c("17").pk
    assert not SourceLink.objects.filter(kind="comment", source_id="13").exists()
    pingback = Linkback.objects.get()
    assert (pingback.kind, pingback.url) == ("pingback", "https://blog.example.com/buses/")
    assert pingback.title == "Other Blog » A post about buses"
    page = Page.objects.get(uri="/2024/clocks-go-back/")
    assert page.comment_count == 4  # the pingback is not a comment
    assert not Page.objects.get(uri="/about/").is_open
    assert not Page.objects.filter(uri="/logo/").exists()


def test_names_bodies_and_wordpress_newlines(imported: Report) -> None:
    first = _c("11")
    assert first.author_name == "  Zoë  “Z” <Bell> "
    assert first.author_website == "https://zoe.example.org/?a=1&b=2"
    assert first.body_html == (
        "<p>First line<br>\nsecond line</p>\n<p>A new paragraph with a back\\slash and ]]&gt; "
        "kept, &amp; an entity \u2014 once.</p>"
    )
    assert "script" not in _c("15").body_html


def test_votes_from_the_table_are_the_truth_withdrawn_ones_kept_as_facts(imported: Report) -> None:
    first = _c("11")
    assert (first.upvotes, first.downvotes) == (2, 1)
    assert Vote.objects.filter(comment=first).count() == 3
    withdrawn = SourceLink.objects.get(kind="vote", source_id="vote:4")
    assert withdrawn.object_id is None
    assert withdrawn.facts["withdrawn"] is True
    # wpDiscuz's vote dates are local time counted as if UTC: 03:40 CET is 02:40 UTC
    member = Vote.objects.get(comment=first, voter=_c("12").author)
    assert member.created_at == datetime(2024, 10, 27, 2, 40, tzinfo=UTC)


def test_meta_votes_when_there_is_no_table(run: Callable[..., Report]) -> None:
    run("wxr", "wordpress.xml")
    first = _c("11")
    assert (first.upvotes, first.downvotes) == (2, 1)
    assert not Vote.objects.exists()
    page = Page.objects.get(uri="/2024/clocks-go-back/")
    assert (page.rating_sum, page.rating_count) == (9, 2)  # wpdiscuz_post_rating 4.5 times 2


def test_per_reader_ratings_replace_the_meta_average(imported: Report) -> None:
    page = Page.objects.get(uri="/2024/clocks-go-back/")
    assert sorted(Rating.objects.filter(page=page).values_list("stars", flat=True)) == [3, 4, 5]
    assert (page.rating_sum, page.rating_count) == (12, 3)


def test_subscriptions_keep_their_confirmation(imported: Report) -> None:
    subs = {s.email: s for s in Subscription.objects.all()}
    assert subs["reader@example.org"].confirmed_at == datetime(2024, 10, 27, 6, 0, tzinfo=UTC)
    assert subs["unsure@example.org"].confirmed_at is None
    assert subs["zoe@example.org"].kind == SubscriptionKind.REPLIES
    assert subs["zoe@example.org"].reader_key == _c("11").author.reader_key
    assert subs["alex@example.org"].confirmed_at is not None  # StCR "Y"
    assert subs["pending@example.org"].confirmed_at is None  # StCR "YC"


def test_inline_feedback_becomes_a_prompt_answered_by_its_comments(imported: Report) -> None:
    prompt = Prompt.objects.get()
    assert prompt.question == "Is the new timetable clearer?"
    assert prompt.exact == "The night bus now leaves at 02:30 twice."
    assert prompt.is_open
    assert Anchor.objects.get().comment_id == _c("11").pk


def test_wpdiscuz_facts_are_kept(imported: Report) -> None:
    sticky = SourceLink.objects.get(kind="comment", source_id="12")
    assert sticky.facts["pinned"] is True
    assert sticky.facts["closed"] is True
    assert sticky.facts["meta"] == {"wpdiscuz_last_edited_by": "7"}
    first = SourceLink.objects.get(kind="comment", source_id="11")
    assert first.facts["rating_fields"] == {"custom_field_660f1c2b7a4d1": "5"}
    page = SourceLink.objects.get(kind="page", source_id="482")
    assert page.facts["meta"]["wpdiscuz_rating_count"] == {
        "custom_field_660f1c2b7a4d1": {"4": 1, "5": "2"}
    }
    follow = SourceLink.objects.get(kind="follow")
    assert follow.facts["follower_email"] == "zoe@example.org"
    assert follow.object_id is None


def test_importing_both_files_again_adds_nothing(
    imported: Report, run: Callable[..., Report]
) -> None:
    counts = [m.objects.count() for m in (Comment, Vote, Rating, Subscription, Prompt, Anchor)]
    again = run("wxr", "wordpress.xml", "wpdiscuz.sql", timezone="Europe/Berlin")
    assert [
        m.objects.count() for m in (Comment, Vote, Rating, Subscription, Prompt, Anchor)
    ] == counts
    assert sum(again.imported.values()) == 0
