from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from rejoinder.comments.models import Comment
from rejoinder.moderation.timing import issue_form_stamp
from rejoinder.web import links
from rejoinder.widget.avatars import avatar_colour, initials

register = template.Library()


@register.simple_tag
def form_stamp() -> str:
    """Return a signed stamp of now, so posting can tell how long the form was open."""
    return issue_form_stamp()


@register.filter
def get_vote(votes: dict[int, int] | None, comment_id: int) -> int:
    """Return the reader's vote on a comment from a {comment id: value} map (0 when none)."""
    return (votes or {}).get(comment_id, 0)


@register.filter
def get_item(mapping: dict[int, Any] | None, key: int) -> Any:
    """Return mapping[key] from a {comment id: value} map, or None when absent."""
    return (mapping or {}).get(key)


@register.filter
def badge_label(code: str) -> str:
    """Return what a badge says: a known role in the reader's language, else the role itself."""
    labels = {
        "staff": _("Staff"),
        "moderator": _("Moderator"),
        "author": _("Author"),
        "verified": _("Verified"),
        "subscriber": _("Subscriber"),
    }
    return labels.get(code, code)


@register.filter
def replies_link(comment_id: int, after: str | None) -> str:
    """Return the link to a comment's replies after the cursor `after` (from the first: None)."""
    return links.replies_link(comment_id, after)


@register.simple_tag
def avatar(comment: Comment, pictures: dict[int, str] | None = None) -> SafeString:
    """Return the comment author's avatar, hidden from screen readers (the name follows).

    The author's picture when `pictures` ({commenter id: token}, accounts/avatars.py) has one,
    served by our own /avatars/ URL; else the initials.
    """
    token = (pictures or {}).get(comment.author_id)
    if token:
        return format_html(
            '<span class="rj-avatar rj-avatar-{}" aria-hidden="true">'
            '<img src="{}" alt="" width="36" height="36" loading="lazy"></span>',
            avatar_colour(comment.author_id),
            settings.PUBLIC_URL + reverse("widget:avatar", args=[token]),
        )
    return format_html(
        '<span class="rj-avatar rj-avatar-{}" aria-hidden="true">{}</span>',
        avatar_colour(comment.author_id),
        initials(comment.author_name),
    )


@register.filter
def star_fills(average: float | None) -> list[int]:
    """Return how full each of five stars is, in quarters (0-4), to show an average rating."""
    quarters = round((average or 0) * 4)
    return [max(0, min(4, quarters - 4 * star)) for star in range(5)]
