"""Comment counts for article lists, read from the Page's denormalised counter."""

from django.db import connection

from rejoinder.pages.models import Page

# Article lists ask for dozens of pages on every view; this one statement is written out
# because compiling the ORM's `uri__in` query costs more than running it.
_COUNTS = f"SELECT uri, comment_count FROM {Page._meta.db_table} WHERE site_id = %s AND uri IN "  # noqa: S608


def comment_counts(site_id: int, uris: list[str]) -> dict[str, int]:
    """Return {uri: published comments} for each uri; pages without a discussion count 0."""
    wanted = list(dict.fromkeys(u for u in uris if isinstance(u, str)))
    if not wanted:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS + "(" + ", ".join(["%s"] * len(wanted)) + ")", [site_id, *wanted])
        found = dict(cursor.fetchall())
    return {uri: found.get(uri, 0) for uri in wanted}
