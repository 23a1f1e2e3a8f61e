"""Delete my account: the reader's data goes, replies by others and the counts stay."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.privacy.conftest import EMAIL, NAME, World

from rejoinder.api.models import IdempotentRequest
from rejoinder.comments.identity import find_commenter
from rejoinder.comments.models import Comment, Commenter, CommentStatus, Vote
from rejoinder.limits.models import RateCounter
from rejoinder.live.models import LiveEvent
from rejoinder.moderation.models import Flag
from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Page
from rejoinder.privacy.collection import scope_of_address, scope_of_reader
from rejoinder.privacy.erasure import erase_reader_data
from rejoinder.privacy.models import CommentsChoice, ErasureLog, RequestedBy
from rejoinder.ratings.models import Rating
from rejoinder.subscriptions.models import ConfirmedAddress, Notification, Subscription

TRACES = (NAME, EMAIL, "quilla.example", "quilla-ip")


def _erase(world: World, choice: CommentsChoice) -> ErasureLog:
    return erase_reader_data(scope=scope_of_reader(world.quilla), comments=choice)


def _nothing_of_quilla_is_stored() -> None:
    assert not Commenter.objects.filter(display_name=NAME).exists()
    assert not Commenter.objects.filter(email__iexact=EMAIL).exists()
    assert not Comment.objects.filter(author_name=NAME).exists()
    assert not Comment.objects.filter(reply_to_name=NAME).exists()
    assert not Comment.objects.filter(ip_hash="quilla-ip").exists()
    assert not Subscription.objects.filter(email=EMAIL).exists()
    assert not ConfirmedAddress.objects.filter(email=EMAIL).exists()
    assert not Notification.objects.filter(email=EMAIL).exists()
    assert not OutboxMail.objects.filter(to_address=EMAIL).exists()
    for trace in TRACES:
        assert not OutboxMail.objects.filter(text_body__contains=trace).exists(), trace
        assert not LiveEvent.objects.filter(data__contains=trace).exists(), trace
    assert not ErasureLog.objects.filter(counts__icontains="quilla").exists()


def test_keeping_the_comments_leaves_them_under_deleted_with_replies_and_counts_intact(
    world: World,
) -> None:
    page_before = Page.objects.get(pk=world.page.pk)
    key = world.quilla.reader_key
    log = _erase(world, CommentsChoice.KEEP)

    answered = Comment.objects.get(pk=world.answered.pk)
    assert answered.author_name == "[deleted]"
    assert answered.author_website == ""
    assert answered.ip_hash == ""
    assert answered.body == "Quilla's **first** point"
    assert answered.status == CommentStatus.PUBLISHED
    assert answered.upvotes == 1  # Bo's vote still counts
    reply = Comment.objects.get(pk=world.reply.pk)
    assert reply.parent_id == answered.pk
    assert reply.author_name == "Bo"
    assert reply.downvotes == 1  # Quilla's vote still counts, without her
    own_reply = Comment.objects.get(pk=world.own_reply.pk)
    assert own_reply.reply_to_name in ("", "[deleted]")
    assert not Vote.objects.filter(voter=world.quilla).exists()
    assert Vote.objects.filter(voter=world.bo).count() == 1
    page = Page.objects.get(pk=world.page.pk)
    assert (page.rating_sum, page.rating_count) == (7, 2)
    assert page.comment_count == page_before.comment_count == 4
    assert page.version > page_before.version
    assert Rating.objects.filter(page=page).count() == 1
    assert not Flag.objects.exists()
    assert not RateCounter.objects.filter(bucket__contains=key).exists()
    assert find_commenter(key) is None
    _nothing_of_quilla_is_stored()
    # Bo's things are his.
    assert Subscription.objects.filter(email="bo@example.org").exists()
    assert log.requested_by == RequestedBy.READER
    assert log.comments == CommentsChoice.KEEP
    assert log.counts["comments_kept"] == 3
    assert log.counts["votes"] == 1
    assert log.counts["ratings"] == 1
    assert log.counts["subscriptions"] == 1


def test_removing_the_comments_keeps_the_thread_shape_with_a_placeholder(world: World) -> None:
    log = _erase(world, CommentsChoice.REMOVE)
    answered = Comment.objects.get(pk=world.answered.pk)  # Bo replied: a placeholder
    assert answered.status == CommentStatus.REMOVED
    assert answered.body == answered.body_html == ""
    assert answered.author_name == "[deleted]"
    assert not Comment.objects.filter(pk__in=[world.alone.pk, world.own_reply.pk]).exists()
    reply = Comment.objects.get(pk=world.reply.pk)
    assert (reply.parent_id, reply.status, reply.body) == (answered.pk, "published", "Bo disagrees")
    assert reply.downvotes == 1
    page = Page.objects.get(pk=world.page.pk)
    assert page.comment_count == 1  # Bo's reply, the one visible comment
    assert page.comment_count == Comment.objects.filter(page=page, status="published").count()
    assert (page.rating_sum, page.rating_count) == (7, 2)
    assert log.counts["comments_removed"] == 2
    assert log.counts["placeholders"] == 1
    assert not Comment.objects.filter(body__contains="Quilla").exists()
    _nothing_of_quilla_is_stored()


def test_mail_to_others_quoting_the_reader_goes_and_the_rest_stays(world: World) -> None:
    unrelated = OutboxMail.objects.create(
        to_address="carl@example.org", subject="Hello", text_body="Nothing of hers", message_id="x"
    )
    about = OutboxMail.objects.get(to_address="bo@example.org", kind="notify")
    assert NAME in about.subject
    _erase(world, CommentsChoice.KEEP)
    assert not OutboxMail.objects.filter(pk=about.pk).exists()
    assert OutboxMail.objects.filter(pk=unrelated.pk).exists()


def test_the_erasure_log_holds_counts_and_who_never_the_data(
    world: World, django_user_model: type
) -> None:
    staff = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    log = erase_reader_data(
        scope=scope_of_address(" Quilla@Example.org "),
        comments=CommentsChoice.KEEP,
        staff_user=staff,
    )
    assert (log.requested_by, log.staff_user, log.staff_username) == ("staff", staff, "editor")
    stored = json.dumps(list(ErasureLog.objects.values()), default=str).lower()
    for trace in (*TRACES, world.quilla.reader_key):
        assert trace.lower() not in stored
    assert log.counts["readers"] == 1
    _nothing_of_quilla_is_stored()


def test_erasing_an_address_nobody_used_erases_nothing_and_is_still_logged(db: None) -> None:
    log = erase_reader_data(
        scope=scope_of_address("nobody@example.org"), comments=CommentsChoice.REMOVE
    )
    assert log.counts["readers"] == 0
    assert sum(log.counts.values()) == 0


def test_a_reader_cannot_erase_subscriptions_of_an_address_they_only_typed(
    world: World, make_reader
) -> None:  # type: ignore[no-untyped-def]
    from rejoinder.comments.posting import post_comment

    # Someone else types Bo's address into the comment form, then erases their account.
    impostor = make_reader()
    post_comment(page=world.page, author=impostor, name="Imp", body="Hi", email="bo@example.org")
    erase_reader_data(scope=scope_of_reader(impostor), comments=CommentsChoice.REMOVE)
    assert Subscription.objects.filter(email="bo@example.org").exists()
    assert ConfirmedAddress.objects.filter(email="bo@example.org").exists()


def test_the_idempotency_records_of_the_reader_go(world: World) -> None:
    from rejoinder.api.idempotency import _digest

    IdempotentRequest.objects.create(
        owner=_digest("reader", world.quilla.reader_key),
        key="k",
        method="POST",
        path="/api/v1/comments",
        fingerprint="f",
        body=NAME.encode(),
    )
    log = _erase(world, CommentsChoice.KEEP)
    assert not IdempotentRequest.objects.exists()
    assert log.counts["idempotency_keys"] == 1


@pytest.mark.django_db(transaction=True)
def test_feeds_pages_api_and_the_live_log_show_nothing_of_the_reader_afterwards(
    page: Page, make_reader
) -> None:  # type: ignore[no-untyped-def]
    from tests.privacy.conftest import make_world

    world = make_world(page, make_reader)
    client = Client()
    urls = [
        f"/feeds/pages/{page.pk}/comments.atom",
        "/feeds/comments.atom",
        f"/discussion/{page.pk}/box",
        f"/api/v1/threads?uri={page.uri}",
        f"/c/{world.answered.pk}/",
    ]
    before = {url: client.get(url, follow=True) for url in urls}
    assert all(NAME in r.content.decode() for r in before.values())
    assert LiveEvent.objects.filter(data__contains=NAME).exists()
    etag = before[f"/api/v1/threads?uri={page.uri}"]["ETag"]

    _erase(world, CommentsChoice.KEEP)

    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert NAME not in text, url
        assert "quilla.example" not in text, url
    after = client.get(f"/api/v1/threads?uri={page.uri}", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert "[deleted]" in after.content.decode()
    _nothing_of_quilla_is_stored()
    # Open streams are told to read the box again.
    assert LiveEvent.objects.filter(channel=f"page:{page.pk}", kind="reload").exists()


def test_what_an_import_kept_of_the_reader_goes(world: World) -> None:
    from rejoinder.portability.models import SourceLink

    site = world.page.site
    SourceLink.objects.create(
        site=site, system="wordpress", kind="commenter", source_id=EMAIL, object_id=world.quilla.pk
    )
    SourceLink.objects.create(
        site=site,
        system="wordpress",
        kind="comment",
        source_id="7",
        object_id=world.answered.pk,
        facts={"author_IP": "192.0.2.7"},
    )
    bos = SourceLink.objects.create(
        site=site, system="wordpress", kind="commenter", source_id="bo", object_id=world.bo.pk
    )
    log = _erase(world, CommentsChoice.KEEP)
    assert list(SourceLink.objects.all()) == [bos]
    assert log.counts["import_sources"] == 2


def test_what_the_spam_filter_learned_from_removed_comments_is_taken_back(
    world: World, django_user_model: type
) -> None:
    from rejoinder.moderation.actions import moderate
    from rejoinder.moderation.models import SiteSpamModel, SpamLesson

    moderator = django_user_model.objects.create_superuser("mod", "mod@example.org", "pw")
    moderate(comment_ids=[world.alone.pk], action="spam", moderator=moderator)
    assert SiteSpamModel.objects.get().decisions == 1
    log = _erase(world, CommentsChoice.REMOVE)
    assert not SpamLesson.objects.exists()
    assert SiteSpamModel.objects.get().decisions == 0
    assert log.counts["spam_lessons"] == 1
    assert "Quilla" not in SiteSpamModel.objects.get().model_json


def test_replies_that_name_the_reader_name_deleted_whoever_wrote_them(
    page: Page, make_reader
) -> None:  # type: ignore[no-untyped-def]
    from rejoinder.comments.posting import post_comment

    page.site.max_reply_depth = 1
    page.site.save()
    quilla, bo = make_reader(), make_reader()
    top = post_comment(page=page, author=bo, name="Bo", body="Top")
    hers = post_comment(page=page, author=quilla, name=NAME, body="Hers", parent_id=top.pk)
    # Both answer her depth-1 reply: clamped under `top`, naming whom they answer.
    his = post_comment(page=page, author=bo, name="Bo", body="His", parent_id=hers.pk)
    own = post_comment(page=page, author=quilla, name=NAME, body="Again", parent_id=hers.pk)
    assert {his.reply_to_name, own.reply_to_name} == {NAME}

    erase_reader_data(scope=scope_of_reader(quilla), comments=CommentsChoice.KEEP)

    assert set(
        Comment.objects.filter(pk__in=[his.pk, own.pk]).values_list("reply_to_name", flat=True)
    ) == {"[deleted]"}
    assert not Comment.objects.filter(author_name=NAME).exists()
