from typing import Any

from django import template

from rejoinder.moderation.timing import issue_form_stamp

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
