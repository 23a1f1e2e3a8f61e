"""Writing comments: post, edit, delete. Every surface (form, API, importer, CLI) calls these."""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.comments.events import (
    CommentDeleted,
    CommentEdited,
    CommentHeld,
    CommentHidden,
    CommentPublished,
    emit,
)
from rejoinder.comments.identity import is_signed_in
from rejoinder.comments.markdown import find_forbidden_character, render_markdown
from rejoinder.comments.mentions import KnownNames, known_names
from rejoinder.comments.models import Comment, Commenter, CommentStatus, body_digest
from rejoinder.comments.policy import Submission, Verdict, moderation_policy
from rejoinder.email_address import clean_email_address
from rejoinder.errors import Conflict, Forbidden, InvalidFields, InvalidInput, NotFound
from rejoinder.pages.models import GuestComments, Page

_url_validator = URLValidator(schemes=["http", "https"])
# Quotes, backtick, angle brackets, backslash, any whitespace, C0/C1 controls, surrogates.
_UNSAFE_IN_URL = re.compile(r"""["'`<>\\\s\x00-\x1f\x7f-\x9f\ud800-\udfff]""")


def clean_name(name: str) -> str:
    """Check a display name: present, one line, bounded."""
    name = " ".join((name or "").split())
    limit = settings.REJOINDER["NAME_MAX_LENGTH"]
    if not name:
        raise InvalidInput(_("Please give a name to show with your comment."), field="name")
    if len(name) > limit:
        raise InvalidInput(
            _("Your name is %(n)d characters long; the limit is %(limit)d.")
            % {"n": len(name), "limit": limit},
            field="name",
        )
    if find_forbidden_character(name):
        raise InvalidInput(_("Your name contains control characters."), field="name")
    if "<" in name or ">" in name:
        raise InvalidInput(_("Names cannot contain the characters < or >."), field="name")
    return name


def clean_email(email: str) -> str:
    """Check an optional email address (RFC 5321 limits, nothing that could inject mail headers).

    Returns it as the commenter typed it, trimmed; the outbox puts the domain in ASCII.
    """
    email = (email or "").strip()
    if email:
        clean_email_address(email, field="email")
    return email


def clean_website(website: str) -> str:
    """Check an optional website: an http(s) URL without quotes, brackets, spaces or controls.

    URLValidator lets `https://example.com/"><script>` through (its path is anything without
    whitespace); a website is only ever an address, so characters that could close an HTML
    attribute or start a tag are refused rather than stored and escaped at every use.
    """
    website = (website or "").strip()
    if not website:
        return ""
    if len(website) > 300:
        raise InvalidInput(
            _("The website address is too long (300 characters at most)."), field="website"
        )
    if _UNSAFE_IN_URL.search(website):
        raise InvalidInput(
            _(
                "The website address cannot contain quotes, angle brackets, backslashes, spaces "
                "or control characters."
            ),
            field="website",
        )
    try:
        _url_validator(website)
    except ValidationError:
        raise InvalidInput(
            _("The website must be an http:// or https:// address."), field="website"
        ) from None
    return website


def clean_body(body: str) -> str:
    """Check a comment's Markdown source: not empty, within the length limit, printable."""
    body = (body or "").replace("\r\n", "\n").strip()
    limit = settings.REJOINDER["COMMENT_MAX_LENGTH"]
    if not body:
        raise InvalidInput(_("Write something before posting."), field="body")
    if len(body) > limit:
        raise InvalidInput(
            _("Your comment is %(n)d characters long; the limit is %(limit)d. Please shorten it.")
            % {"n": len(body), "limit": limit},
            field="body",
        )
    if find_forbidden_character(body):
        raise InvalidInput(_("Your comment contains control characters."), field="body")
    return body


def clean_comment_fields(
    *, name: str, email: str, website: str, body: str
) -> tuple[str, str, str, str]:
    """Check the fields a commenter writes; return them cleaned (name, email, website, body).

    Every field is checked, so a form can mark all its mistakes at once: a refusal raises one
    InvalidFields listing them in this order (the first is the one a single message names).
    """
    checks = (
        (clean_name, name),
        (clean_email, email),
        (clean_website, website),
        (clean_body, body),
    )
    cleaned: list[str] = []
    errors: list[InvalidInput] = []
    for clean, value in checks:
        try:
            cleaned.append(clean(value))
        except InvalidInput as exc:
            errors.append(exc)
    if errors:
        raise InvalidFields(errors)
    name, email, website, body = cleaned
    return name, email, website, body


def _place_reply(
    page: Page, parent_id: int | None, author: Commenter
) -> tuple[Comment | None, Comment | None, int]:
    """Return (parent, reply_to, depth) for a new comment, clamping to the site's max depth.

    Only published comments take replies, except that shadow-banned authors may answer their
    own shadowed ones (as they would if they were published).
    """
    if parent_id is None:
        return None, None, 0
    parent = Comment.objects.filter(pk=parent_id, page=page).first()
    if parent is None:
        raise NotFound(
            _("The comment you are replying to does not exist on this page."), field="parent"
        )
    own = author.pk is not None and parent.author_id == author.pk
    if not (parent.status == CommentStatus.PUBLISHED or (own and parent.published_for_author)):
        raise Conflict(
            _("The comment you are replying to has been removed; replies are closed."),
            field="parent",
        )
    max_depth = page.site.max_reply_depth
    answered = parent
    while parent.depth >= max_depth and parent.parent_id is not None:
        parent = Comment.objects.get(pk=parent.parent_id)
    reply_to = answered if answered.pk != parent.pk else None
    return parent, reply_to, parent.depth + 1


def _check_guest_policy(page: Page, email: str) -> None:
    """Refuse a guest's comment the site's policy does not take (Site.guest_comments)."""
    policy = page.site.guest_comments
    if policy == GuestComments.SIGN_IN:
        raise Forbidden(_("Sign in to comment on this site."), field="sign_in")
    if policy == GuestComments.EMAIL and not email:
        raise InvalidInput(
            _("Give your email address to comment on this site; it is never shown."),
            field="email",
        )


def post_comment(
    *,
    page: Page,
    author: Commenter,
    name: str,
    body: str,
    email: str = "",
    website: str = "",
    parent_id: int | None = None,
    ip_hash: str = "",
    created_at: datetime | None = None,
    moderated: bool = True,
    honeypot: str = "",
    elapsed_seconds: float | None = None,
) -> Comment:
    """Validate, render and store a new comment, asking moderation for its status.

    Runs in one transaction: the page's counters and version change with the insert, so a
    2xx means the comment and its counts are committed together. `moderated=False` is for
    the publisher's own tools (imports, the demo): the comment is published without a verdict.
    `honeypot` (a form field people leave empty) and `elapsed_seconds` (form rendered to
    submitted) are evidence for the spam filter. A refusing verdict raises its RejoinderError
    and stores nothing.
    """
    signed_in = is_signed_in(author)
    if signed_in:
        name = author.display_name  # the account's name, as the publisher vouched for it
    name, email, website, body = clean_comment_fields(
        name=name, email=email, website=website, body=body
    )
    if moderated and not signed_in:
        _check_guest_policy(page, email)
    body_html = render_markdown(body, _mentionable(page.pk, body))
    if not page.is_open:
        raise Forbidden(_("This page is closed to new comments."))
    with transaction.atomic():
        parent, reply_to, depth = _place_reply(page, parent_id, author)
        verdict = (
            moderation_policy().judge(
                Submission(
                    page=page,
                    author=author,
                    body=body,
                    ip_hash=ip_hash,
                    name=name,
                    email=email,
                    honeypot=honeypot,
                    elapsed_seconds=elapsed_seconds,
                )
            )
            if moderated
            else Verdict(CommentStatus.PUBLISHED)
        )
        if author.pk is None:
            author.display_name, author.email, author.website = name, email, website
            author.save()
        elif (author.display_name, author.email, author.website) != (name, email, website):
            author.display_name, author.email, author.website = name, email, website
            author.save(update_fields=["display_name", "email", "website"])
        comment = Comment(
            page=page,
            author=author,
            author_name=name,
            author_website=website,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            reply_to=reply_to,
            reply_to_name=reply_to.author_name if reply_to else "",
            depth=depth,
            body=body,
            body_html=body_html,
            body_digest=body_digest(body),
            status=verdict.status,
            ip_hash=ip_hash,
            created_at=created_at or timezone.now(),
            moderation_reasons=[{"code": r.code, "text": r.text} for r in verdict.reasons],
            spam_score=verdict.spam_score,
            suspected_spam=verdict.suspected_spam,
            shadowed=verdict.shadowed,
            spam_signals=verdict.signals,
        )
        comment.save()
        published = comment.status == CommentStatus.PUBLISHED
        page.bump(comment_count=1 if published else 0)
        if published:
            emit(CommentPublished(comment_id=comment.pk, page_id=page.pk))
        elif comment.status == CommentStatus.PENDING and not comment.shadowed:
            emit(CommentHeld(comment_id=comment.pk, page_id=page.pk))
    return comment


def _mentionable(page_id: int | None, body: str) -> KnownNames | None:
    """The names a body may mention: read only when it has an "@" at all."""
    return known_names(page_id) if page_id and "@" in body else None


def get_own_comment(*, comment_id: int, requester: Commenter | None) -> Comment:
    """Return a comment its requester wrote; anyone else is refused."""
    comment = Comment.objects.select_related("page__site").filter(pk=comment_id).first()
    if comment is None or comment.status in (CommentStatus.REMOVED, CommentStatus.SPAM):
        raise NotFound(_("That comment does not exist or has been removed."))
    if requester is None or comment.author_id != requester.pk:
        raise Forbidden(_("Only the author can change this comment."))
    return comment


def edit_comment(
    *, comment_id: int, editor: Commenter | None, body: str, now: datetime | None = None
) -> Comment:
    """Replace a comment's text, within the site's edit window, by its author only."""
    comment = get_own_comment(comment_id=comment_id, requester=editor)
    now = now or timezone.now()
    window = comment.page.site.edit_window_minutes
    if not comment.is_editable(now, window):
        raise Forbidden(
            ngettext(
                "Comments can be edited for %(minutes)d minute after posting; that time is over.",
                "Comments can be edited for %(minutes)d minutes after posting; that time is over.",
                window,
            )
            % {"minutes": window}
        )
    body = clean_body(body)
    comment.body = body
    comment.body_html = render_markdown(body, _mentionable(comment.page_id, body))
    comment.body_digest = body_digest(body)
    comment.edited_at = now
    with transaction.atomic():
        comment.save(update_fields=["body", "body_html", "body_digest", "edited_at"])
        comment.page.bump()
        if comment.status == CommentStatus.PUBLISHED:
            emit(CommentEdited(comment_id=comment.pk, page_id=comment.page_id))
    return comment


def delete_comment(*, comment_id: int, requester: Commenter | None) -> Comment | None:
    """Delete the requester's own comment (see `remove_comment`)."""
    comment = get_own_comment(comment_id=comment_id, requester=requester)
    with transaction.atomic():
        return remove_comment(comment)


def remove_comment(comment: Comment) -> Comment | None:
    """Delete a comment, whatever its status, for its author.

    A comment with replies becomes a "[removed]" placeholder so the replies keep their context;
    one without replies is deleted outright. Returns the placeholder, or None when deleted.
    The one way a comment goes at its author's wish: deleting one, or erasing their data.
    Call inside a transaction.
    """
    was_published = comment.status == CommentStatus.PUBLISHED
    comment_pk, page_pk = comment.pk, comment.page_id
    if comment.children.exists():
        comment.status = CommentStatus.REMOVED
        comment.body = comment.body_html = comment.body_digest = ""
        comment.save(update_fields=["status", "body", "body_html", "body_digest"])
        result: Comment | None = comment
    else:
        comment.delete()
        result = None
    comment.page.bump(comment_count=-1 if was_published else 0)
    emit(CommentDeleted(comment_id=comment_pk, page_id=page_pk, was_published=was_published))
    return result


def change_status(
    comment: Comment,
    status: CommentStatus,
    *,
    shadowed: bool | None = None,
    suspected_spam: bool | None = None,
    moderation_reasons: list[dict[str, str]] | None = None,
) -> CommentStatus:
    """Move a comment to `status` and return the status it had.

    The one place a stored comment's status changes: the page's published count and version
    follow, and listeners hear `CommentPublished` when it becomes visible and `CommentHidden`
    when it stops being visible. Call inside a transaction, with the row locked
    (`select_for_update`). The other fields change along when given; a comment that is no
    longer pending is never shadowed.
    """
    previous = CommentStatus(comment.status)
    comment.status = status
    if shadowed is not None:
        comment.shadowed = shadowed
    if status != CommentStatus.PENDING:
        comment.shadowed = False
    if suspected_spam is not None:
        comment.suspected_spam = suspected_spam
    if moderation_reasons is not None:
        comment.moderation_reasons = moderation_reasons
    comment.save(update_fields=["status", "shadowed", "suspected_spam", "moderation_reasons"])
    was_visible = previous == CommentStatus.PUBLISHED
    visible = status == CommentStatus.PUBLISHED
    comment.page.bump(comment_count=int(visible) - int(was_visible))
    if visible and not was_visible:
        held = previous == CommentStatus.PENDING
        emit(CommentPublished(comment_id=comment.pk, page_id=comment.page_id, was_held=held))
    elif was_visible and not visible:
        emit(CommentHidden(comment_id=comment.pk, page_id=comment.page_id, status=status))
    return previous
