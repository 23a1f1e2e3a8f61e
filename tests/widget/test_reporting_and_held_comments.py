"""Readers report comments; the comment form's spam evidence; one's own held comments in the box."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.moderation.models import Ban, Flag, settings_for
from rejoinder.moderation.queues import queue_counts
from rejoinder.pages.models import Article
from rejoinder.pages.publishing import save_article

FRAGMENT = {"X-Rejoinder-Fragment": "1"}


@pytest.fixture
def article(db: None) -> Article:
    return save_article(
        Article(slug="budget", headline="Budget passes", body="Text.", author_name="Ed")
    )


def _browser() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _form_fields(client: Client, article: Article) -> dict[str, str]:
    """Return the hidden fields the top comment form carries, as the page rendered them."""
    html = client.get(article.get_absolute_url()).content.decode()
    form = re.search(r'<form class="rj-comment-form" id="rj-form-top".*?</form>', html, re.S)
    assert form
    return dict(re.findall(r'<input[^>]*?name="(\w+)"[^>]*?value="([^"]*)"', form.group(0)))


def _post(client: Client, article: Article, body: str = "Hello there.", **extra: str) -> Any:
    fields = _form_fields(client, article)
    data = {**fields, "name": "Ana", "body": body, **extra}
    return client.post(f"/discussion/{article.page.pk}/comments", data)


def _report(client: Client, comment: Comment, **headers: str) -> Any:
    url = f"/discussion/comments/{comment.pk}/report"
    data = {"csrfmiddlewaretoken": _csrf(client, url), "reason": "abuse", "note": "Insults"}
    return client.post(url, data, headers=headers)


def _box(client: Client, article: Article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


# The comment form's spam evidence


def test_the_comment_form_carries_a_hidden_honeypot_and_a_signed_stamp(
    article: Article,
) -> None:
    html = _box(_browser(), article)
    honeypot = re.search(r'<div class="rj-hp" aria-hidden="true">.*?</div>', html, re.S)
    assert honeypot
    field = re.search(r"<input [^>]*name=\"homepage\"[^>]*>", honeypot.group(0))
    assert field
    assert 'tabindex="-1"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)
    assert re.search(r'name="rendered_at" value="\d+:[\w-]+"', html)


def test_a_person_filling_the_form_posts_as_usual_and_the_wait_is_recorded(
    article: Article,
) -> None:
    response = _post(_browser(), article)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.spam_signals is not None
    assert comment.spam_signals["honeypot_filled"] is False
    assert comment.spam_signals["seconds_to_submit"] is not None


def test_a_filled_honeypot_holds_the_comment_as_suspected_spam(article: Article) -> None:
    _post(_browser(), article, "Great article, read more at my site.", homepage="http://x.example")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.suspected_spam
    assert queue_counts(article.page.site)["spam"] == 1


def test_a_forged_stamp_counts_as_no_stamp(article: Article) -> None:
    _post(_browser(), article, rendered_at="1:forged")
    assert Comment.objects.get().spam_signals["seconds_to_submit"] is None  # type: ignore[index]


# Reporting


def test_others_comments_have_a_report_link_and_ones_own_do_not(article: Article) -> None:
    author, other = _browser(), _browser()
    _post(author, article)
    comment = Comment.objects.get()
    link = f'href="/discussion/comments/{comment.pk}/report"'
    assert link in _box(other, article)
    assert link not in _box(author, article)


def test_reporting_without_javascript_thanks_the_reader(article: Article) -> None:
    _post(_browser(), article)
    comment = Comment.objects.get()
    reader = _browser()

    form = reader.get(f"/discussion/comments/{comment.pk}/report").content.decode()
    response = _report(reader, comment)

    assert 'name="reason" value="off-topic"' in form
    assert response.status_code == 302
    assert response["Location"] == f"/discussion/comments/{comment.pk}/report?sent=1"
    assert "rj_reader" in reader.cookies
    assert (
        "Thanks, a moderator will review it." in reader.get(response["Location"]).content.decode()
    )
    flag = Flag.objects.get()
    assert (flag.comment_id, flag.reason, flag.note) == (comment.pk, "abuse", "Insults")


def test_a_second_report_by_the_same_reader_is_refused_clearly(article: Article) -> None:
    _post(_browser(), article)
    comment = Comment.objects.get()
    reader = _browser()
    _report(reader, comment)

    again = _report(reader, comment)
    scripted = _report(reader, comment, **FRAGMENT)

    assert again.status_code == 409
    assert "You have already flagged this comment." in again.content.decode()
    assert scripted.status_code == 409
    assert scripted.json()["detail"] == "You have already flagged this comment."
    assert Flag.objects.count() == 1


def test_reporting_from_the_script_answers_the_thanks_fragment(article: Article) -> None:
    _post(_browser(), article)
    comment = Comment.objects.get()

    response = _report(_browser(), comment, **FRAGMENT)

    assert response.status_code == 200
    assert "Thanks, a moderator will review it." in response.content.decode()
    assert b"<html" not in response.content


def test_a_report_without_a_reason_is_refused(article: Article) -> None:
    _post(_browser(), article)
    comment = Comment.objects.get()
    reader = _browser()
    url = f"/discussion/comments/{comment.pk}/report"
    response = reader.post(url, {"csrfmiddlewaretoken": _csrf(reader, url)})
    assert response.status_code == 422
    assert not Flag.objects.exists()


def test_enough_reports_hide_the_comment_from_the_thread(article: Article) -> None:
    rules = settings_for(article.page.site)
    rules.flags_to_hide = 1
    rules.save()
    _post(_browser(), article, "A comment some find offensive.")
    comment = Comment.objects.get()
    bystander = _browser()
    assert "some find offensive" in _box(bystander, article)

    _report(_browser(), comment)

    assert "some find offensive" not in _box(bystander, article)
    assert queue_counts(article.page.site)["flagged"] == 1
    hidden = bystander.get(f"/discussion/comments/{comment.pk}/report")
    assert hidden.status_code == 404
    assert "some find offensive" not in hidden.content.decode()


# One's own held comments


def test_a_held_comment_shows_to_its_author_with_a_note_and_to_nobody_else(
    article: Article,
) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    author, other = _browser(), _browser()

    _post(author, article, "Waiting for a moderator.")

    held = Comment.objects.get()
    assert held.status == CommentStatus.PENDING
    mine = _box(author, article)
    assert "Waiting for a moderator." in mine
    assert "Awaiting moderation" in mine
    # It cannot be edited while held (only published comments can); it can be deleted.
    assert f"/discussion/comments/{held.pk}/edit" not in mine
    assert f"/discussion/comments/{held.pk}/delete" in mine
    assert "Waiting for a moderator." not in _box(other, article)


def test_a_held_comment_posted_from_the_script_says_it_waits(article: Article) -> None:
    rules = settings_for(article.page.site)
    rules.mode = "pre"
    rules.save()
    client = _browser()
    fields = _form_fields(client, article)
    response = client.post(
        f"/discussion/{article.page.pk}/comments",
        {**fields, "name": "Ana", "body": "Hold me."},
        headers=FRAGMENT,
    )
    assert response.status_code == 201
    assert "Awaiting moderation" in response.content.decode()
    assert "moderator approves it" in response["X-Rejoinder-Notice"].replace("%20", " ")


def test_a_shadow_banned_readers_comment_looks_posted_to_them_alone(article: Article) -> None:
    author, other = _browser(), _browser()
    _post(author, article, "First words.")
    first = Comment.objects.get()
    Ban.objects.create(site=article.page.site, commenter=first.author, shadow=True)

    _post(author, article, "Shadowed words.")

    later = Comment.objects.get(body="Shadowed words.")
    assert later.shadowed
    mine = _box(author, article)
    assert "Shadowed words." in mine
    assert "Awaiting moderation" not in mine
    # Reply and Edit links as on any comment of theirs: nothing gives the ban away.
    assert f'data-rj-reply="{later.pk}"' in mine
    assert f'data-rj-edit="{later.pk}"' in mine
    assert "Shadowed words." not in _box(other, article)


def test_a_held_reply_shows_its_author_under_its_parent_and_nobody_else(
    article: Article,
) -> None:
    someone, author, other = _browser(), _browser(), _browser()
    _post(someone, article, "The parent comment.")
    parent = Comment.objects.get()
    _post(author, article, "Before the ban.")
    Ban.objects.create(
        site=article.page.site,
        commenter=Comment.objects.get(body="Before the ban.").author,
        shadow=True,
    )

    _post(author, article, "A shadowed reply.", parent=str(parent.pk))

    reply = Comment.objects.get(body="A shadowed reply.")
    assert (reply.parent_id, reply.shadowed) == (parent.pk, True)
    mine = _box(author, article)
    own_list = re.search(r'<ol class="rj-own">.*?</ol>', mine, re.S)
    assert own_list is None or "A shadowed reply." not in own_list.group(0)
    # Inside the parent's list item, after the parent's text.
    parent_item = mine[mine.index(f'id="comment-{parent.pk}"') :]
    assert parent_item.index("The parent comment.") < parent_item.index("A shadowed reply.")
    assert mine.count("A shadowed reply.") == 1
    assert "A shadowed reply." not in _box(other, article)
