"""Comment counts for article lists, read from the Page's denormalised counter."""

from django.db import connection

from rejoinder.pages.models import Page


def comment_counts(site_id: int, uris: list[str]) -> dict[str, int]:
    """Return {uri: published comments} for each uri; pages without a discussion count 0."""
    return {uri: comments for uri, (comments, _sum, _n) in badge_counts(site_id, uris).items()}


# Article lists ask for dozens of pages on every view; this one statement is written out
# because compiling the ORM's `uri__in` query costs more than running it.
_BADGES = (
    f"SELECT uri, comment_count, rating_sum, rating_count FROM {Page._meta.db_table} "  # noqa: S608
    "WHERE site_id = %s AND uri IN "
)


def badge_counts(site_id: int, uris: list[str]) -> dict[str, tuple[int, int, int]]:
    """Return {uri: (published comments, rating sum, ratings)}; unknown pages are all 0."""
    wanted = list(dict.fromkeys(u for u in uris if isinstance(u, str)))
    if not wanted:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_BADGES + "(" + ", ".join(["%s"] * len(wanted)) + ")", [site_id, *wanted])
        found = {uri: (c, s, n) for uri, c, s, n in cursor.fetchall()}
    return {uri: found.get(uri, (0, 0, 0)) for uri in wanted}
