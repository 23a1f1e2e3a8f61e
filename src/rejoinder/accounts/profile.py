"""A signed-in reader's own page: their name, and everything they wrote on the site."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rejoinder.accounts.models import Account
from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import clean_name
from rejoinder.pages.models import Page

COMMENTS_PER_PAGE = 20

# What the author is told of each comment. A shadowed comment looks published to its author
# (they must not be able to tell), and spam reads as removed.
SHOWN_STATUS = {
    CommentStatus.PUBLISHED: ("published", _("Published")),
    CommentStatus.PENDING: ("pending", _("Awaiting moderation")),
    CommentStatus.REMOVED: ("removed", _("Removed")),
    CommentStatus.SPAM: ("removed", _("Removed")),
}


def rename(account: Account, name: str) -> Account:
    """Change the account's display name, on the account and on every comment it wrote.

    Checked like a name given when posting (InvalidInput, field `name`). The pages showing
    those comments, and the replies that name whom they answer, change version, so cached
    threads and ETags follow.
    """
    name = clean_name(name)
    if name == account.display_name and name == account.commenter.display_name:
        return account
    commenter = account.commenter
    with transaction.atomic():
        account.display_name = name
        account.save(update_fields=["display_name"])
        commenter.display_name = name
        commenter.save(update_fields=["display_name"])
        shown = Q(author=commenter) | Q(reply_to__author=commenter)
        pages = set(Comment.objects.filter(shown).values_list("page_id", flat=True))
        Comment.objects.filter(author=commenter).update(author_name=name)
        Comment.objects.filter(reply_to__author=commenter).update(reply_to_name=name)
        for page_id in sorted(pages):
            Page(pk=page_id).bump()
    return account


@dataclass(frozen=True)
class OwnComment:
    comment: Comment
    status: str  # "published", "pending" or "removed"
    status_label: str

    @property
    def visible(self) -> bool:
        return self.status == "published"


def comments_by(
    commenter: Commenter, *, page_number: int = 1, size: int = COMMENTS_PER_PAGE
) -> tuple[list[OwnComment], bool]:
    """Return one page of the reader's comments on every page, newest first, and whether
    there are more; each with the status its author may know."""
    start = (max(page_number, 1) - 1) * size
    rows = list(
        Comment.objects.filter(author=commenter)
        .select_related("page__site")
        .order_by("-created_at", "-pk")[start : start + size + 1]
    )
    own = []
    for comment in rows[:size]:
        status = CommentStatus.PUBLISHED if comment.published_for_author else comment.status
        code, label = SHOWN_STATUS[CommentStatus(status)]
        own.append(OwnComment(comment, code, str(label)))
    return own, len(rows) > size
