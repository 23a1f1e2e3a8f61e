"""Writing ratings that come from an export, many at a time; totals set once at the end."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import connection
from django.db.models import Count, Sum

from rejoinder.pages.models import Page
from rejoinder.ratings.models import Rating


def insert_ratings(rows: list[Rating]) -> None:
    """Insert per-reader ratings (1-5 stars; the constraint refuses anything else)."""
    Rating.objects.bulk_create(rows, batch_size=500)


def recount_ratings(page_ids: Iterable[int], totals: Mapping[int, tuple[int, int]]) -> None:
    """Set each page's rating totals from its rating rows, plus `totals` (sum, count) kept
    for pages whose source summed its ratings without keeping who gave them."""
    ids = list(page_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = {
            row["page_id"]: (row["total"] or 0, row["n"])
            for row in Rating.objects.filter(page_id__in=chunk)
            .values("page_id")
            .annotate(total=Sum("stars"), n=Count("pk"))
        }
        updates = []
        for pk in chunk:
            total, n = rows.get(pk, (0, 0))
            extra_total, extra_n = totals.get(pk, (0, 0))
            updates.append([total + extra_total, n + extra_n, pk])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Page._meta.db_table} SET rating_sum = %s, rating_count = %s,"  # noqa: S608
                " version = version + 1 WHERE id = %s",
                updates,
            )


def set_rating_totals(totals: Mapping[int, tuple[int, int]]) -> None:
    """Set pages' rating totals to (sum, count) as an export of Rejoinder's own recorded them."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Page._meta.db_table} SET rating_sum = %s, rating_count = %s,"  # noqa: S608
            " version = version + 1 WHERE id = %s",
            [[total, n, pk] for pk, (total, n) in totals.items()],
        )
