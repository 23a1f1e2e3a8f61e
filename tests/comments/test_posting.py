from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import delete_comment, edit_comment, post_comment
from rejoinder.errors import Conflict, Forbidden, InvalidFields, InvalidInput, NotFound
from rejoinder.moderation.actions import moderate
from rejoinder.moderation.models import AuditEntry, ModeratorRole
from rejoinder.pages.models import Page, Site


def _post(page: Page, author: Commenter, body: str = "Hello", **kw: object) -> Comment:
    return post_comment(page=page, author=author, name=kw.pop("name", "Ana"), body=body, **kw)  # type: ignore[arg-type]


def test_a_posted_comment_is_published_rendered_and_counted(page: Page, reader: Commenter) -> None:
    version = page.version
    comment = _post(page, reader, "Some *emphasis*")
    page.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.body_html == "<p>Some <em>emphasis</em></p>"
    assert comment.root_id is None
    assert page.comment_count == 1
    assert page.version > version


def test_the_commenter_keeps_name_email_and_website(page: Page, reader: Commenter) -> None:
    _post(page, reader, name="  Ana   K. ", email="ana@example.org", website="https://ana.example")
    reader.refresh_from_db()
    assert (reader.display_name, reader.email, reader.website) == (
        "Ana K.",
        "ana@example.org",
        "https://ana.example",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "nul \x00 byte"}, "body"),
        ({"name": ""}, "name"),
        ({"name": "n" * 61}, "name"),
        ({"name": '"><img src=x onerror=alert(1)>'}, "name"),
        ({"email": "a@b.c\r\nBcc: x@y.z"}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "ftp://example.org"}, "website"),
        ({"website": 'https://example.com/"><script>alert(1)</script>'}, "website"),
        ({"website": "https://example.com/<img>"}, "website"),
        ({"email": "a" * 65 + "@example.org"}, "email"),
        ({"body": "lone \ud800 surrogate"}, "body"),
        ({"name": "Ana \udc00"}, "name"),
    ],
)
def test_bad_fields_are_refused_with_the_field_named_and_nothing_stored(
    page: Page, reader: Commenter, fields: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _post(page, reader, **{"body": "ok", **fields})
    assert refused.value.field == field
    assert refused.value.message
    assert Comment.objects.count() == 0
    page.refresh_from_db()
    assert page.comment_count == 0


def test_every_bad_field_is_named_at_once_the_first_as_the_message(
    page: Page, reader: Commenter
) -> None:
    with pytest.raises(InvalidFields) as refused:
        _post(page, reader, body="", name="", email="not-an-address", website="ftp://x.org")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("name", "Please give a name to show with your comment."),
        ("email", "That email address is not valid."),
        ("website", "The website must be an http:// or https:// address."),
        ("body", "Write something before posting."),
    ]
    first = refused.value.errors[0]
    assert (refused.value.field, refused.value.message) == (first.field, first.message)
    assert Comment.objects.count() == 0


def test_the_length_message_says_how_long_and_the_limit(page: Page, reader: Commenter) -> None:
    with pytest.raises(InvalidInput, match="5001 characters long; the limit is 5000"):
        _post(page, reader, "x" * 5001)


def test_a_closed_page_refuses_new_comments(page: Page, reader: Commenter) -> None:
    Page.objects.filter(pk=page.pk).update(is_open=False)
    page.refresh_from_db()
    with pytest.raises(Forbidden):
        _post(page, reader)


def test_replies_nest_and_share_the_root(page: Page, make_reader: Callable[[], Commenter]) -> None:
    top = _post(page, make_reader())
    reply = _post(page, make_reader(), parent_id=top.pk)
    deeper = _post(page, make_reader(), parent_id=reply.pk)
    assert (reply.depth, deeper.depth) == (1, 2)
    assert deeper.root_id == top.pk
    assert deeper.parent_id == reply.pk


def test_replies_beyond_the_max_depth_attach_at_it_naming_whom_they_answer(
    page: Page, site: Site, make_reader: Callable[[], Commenter]
) -> None:
    Site.objects.filter(pk=site.pk).update(max_reply_depth=2)
    page.refresh_from_db()
    chain = [_post(page, make_reader(), name="Top")]
    for n in range(2):
        chain.append(_post(page, make_reader(), name=f"Level {n + 1}", parent_id=chain[-1].pk))
    too_deep = _post(page, make_reader(), parent_id=chain[-1].pk)
    assert too_deep.depth == 2
    assert too_deep.parent_id == chain[1].pk
    assert too_deep.reply_to_id == chain[2].pk
    assert too_deep.reply_to_name == "Level 2"


def test_a_reply_to_a_removed_comment_is_refused(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    top = _post(page, make_reader())
    Comment.objects.filter(pk=top.pk).update(status=CommentStatus.REMOVED)
    with pytest.raises(Conflict):
        _post(page, make_reader(), parent_id=top.pk)


def test_a_reply_to_a_comment_on_another_page_is_refused(
    page: Page, site: Site, make_reader: Callable[[], Commenter]
) -> None:
    other = Page.objects.create(site=site, uri="/other/")
    foreign = _post(other, make_reader())
    with pytest.raises(NotFound):
        _post(page, make_reader(), parent_id=foreign.pk)
    with pytest.raises(NotFound):
        _post(page, make_reader(), parent_id=999_999)


def test_the_author_edits_within_the_window_and_it_shows_edited(
    page: Page, reader: Commenter
) -> None:
    comment = _post(page, reader, "First")
    edited = edit_comment(comment_id=comment.pk, editor=reader, body="Second **take**")
    assert edited.body_html == "<p>Second <strong>take</strong></p>"
    assert edited.edited_at is not None


def test_editing_after_the_window_is_refused(page: Page, reader: Commenter) -> None:
    comment = _post(page, reader, "First")
    later = timezone.now() + timedelta(minutes=16)
    with pytest.raises(Forbidden, match="15 minutes"):
        edit_comment(comment_id=comment.pk, editor=reader, body="Too late", now=later)
    comment.refresh_from_db()
    assert comment.body == "First"


def test_nobody_else_can_edit_or_delete(page: Page, make_reader: Callable[[], Commenter]) -> None:
    author, other = make_reader(), make_reader()
    comment = _post(page, author)
    with pytest.raises(Forbidden):
        edit_comment(comment_id=comment.pk, editor=other, body="Hijack")
    with pytest.raises(Forbidden):
        delete_comment(comment_id=comment.pk, requester=other)
    with pytest.raises(Forbidden):
        delete_comment(comment_id=comment.pk, requester=None)
    assert Comment.objects.filter(pk=comment.pk, body="Hello").exists()


def test_deleting_a_comment_without_replies_removes_it(page: Page, reader: Commenter) -> None:
    comment = _post(page, reader)
    assert delete_comment(comment_id=comment.pk, requester=reader) is None
    assert not Comment.objects.filter(pk=comment.pk).exists()
    page.refresh_from_db()
    assert page.comment_count == 0


def test_deleting_a_comment_with_replies_leaves_a_placeholder(
    page: Page, make_reader: Callable[[], Commenter]
) -> None:
    author = make_reader()
    top = _post(page, author, "Secret text")
    _post(page, make_reader(), parent_id=top.pk)
    placeholder = delete_comment(comment_id=top.pk, requester=author)
    assert placeholder is not None
    top.refresh_from_db()
    assert top.status == CommentStatus.REMOVED
    assert top.body == ""
    assert top.body_html == ""
    page.refresh_from_db()
    assert page.comment_count == 1


def test_approving_counts_a_comment_once_and_never_revives_a_removed_one(
    page: Page, reader: Commenter, django_user_model: Any
) -> None:
    """Moderators approve through `moderation.actions.moderate`, the one path that audits."""
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    ModeratorRole.objects.create(user=moderator, site=page.site, role="moderator")
    comment = _post(page, reader)
    moderate(comment_ids=[comment.pk], action="approve", moderator=moderator)
    page.refresh_from_db()
    assert page.comment_count == 1  # already published: reviewed, not counted again
    moderate(comment_ids=[comment.pk], action="remove", moderator=moderator)
    with pytest.raises(Conflict):
        moderate(comment_ids=[comment.pk], action="approve", moderator=moderator)
    page.refresh_from_db()
    assert page.comment_count == 0
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "approve",
        "remove",
    ]
