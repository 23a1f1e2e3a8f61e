"""What the box shows beside a signed-in reader's comments: their badges."""

from __future__ import annotations

from collections.abc import Iterable

from rejoinder.accounts.models import Account

# Shown first, in this order; any other role the publisher grants follows.
KNOWN_BADGES = ("staff", "moderator", "author", "verified", "subscriber")


def badges_by_author(
    commenter_ids: Iterable[int], *, article_author: str = ""
) -> dict[int, list[str]]:
    """Return {commenter id: badges} for the signed-in authors among `commenter_ids`.

    Badges are the roles the publisher's token gave, "verified" when the email was, and
    "author" when the account's name is the byline of the article the page publishes.
    """
    ids = set(commenter_ids)
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = Account.objects.filter(commenter_id__in=ids).values_list(
        "commenter_id", "display_name", "roles", "email_verified"
    )
    for commenter_id, name, roles, verified in rows:
        badges = set(roles or ())
        if verified:
            badges.add("verified")
        if article_author and name == article_author:
            badges.add("author")
        order = {code: i for i, code in enumerate(KNOWN_BADGES)}
        found[commenter_id] = sorted(badges, key=lambda b: (order.get(b, len(order)), b))
    return found
