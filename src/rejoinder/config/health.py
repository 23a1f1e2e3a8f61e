"""GET /health: whether the database answers and whether writes are refused for lack of space.

For monitors and load balancers. 200 while the database answers, with `status` "ok", or
"degraded" when storage is full (reading works, writing is refused with 503); 503 with
`status` "down" when the database is busy past its timeout or cannot be reached. Never cached.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from rejoinder.config.faults import FULL, database_fault, last_seen, record

# Less free space than this where the SQLite database lives counts as full: SQLite needs
# room for the write-ahead log as well as for new pages.
MIN_FREE_BYTES = 16 * 1024 * 1024


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        fault = database_fault(exc)
        if fault is None:
            raise
        record(fault)
        return {"status": fault.kind, "detail": fault.detail}
    return {"status": "ok"}


def _sqlite_full() -> str | None:
    """Return why the SQLite database cannot grow, or None while it can."""
    with connection.cursor() as cursor:
        counts = []
        for pragma in ("page_count", "max_page_count", "freelist_count"):
            cursor.execute(f"PRAGMA {pragma}")
            counts.append(int(cursor.fetchone()[0]))
    pages, max_pages, free_pages = counts
    if pages >= max_pages and free_pages == 0:
        return "the database has reached its largest allowed size"
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    if not in_memory and shutil.disk_usage(Path(name).parent).free < MIN_FREE_BYTES:
        return "the disk holding the database is full"
    return None


def _storage() -> dict[str, Any]:
    refused = last_seen(FULL)
    reason = _sqlite_full() if connection.vendor == "sqlite" else None
    if reason is None and connection.vendor != "sqlite" and refused is not None:
        reason = "a write was refused for lack of space"
    return {
        "status": "full" if reason else "ok",
        "detail": reason or "",
        "last_refused_at": refused,
    }


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    database = _database()
    answer: dict[str, Any] = {"database": {"vendor": connection.vendor, **database}}
    if database["status"] == "ok":
        answer["storage"] = _storage()
        answer["status"] = "ok" if answer["storage"]["status"] == "ok" else "degraded"
    else:
        answer["status"] = "down"
    answer["checked_at"] = timezone.now().isoformat()
    response = JsonResponse(answer, status=200 if answer["status"] != "down" else 503)
    response["Cache-Control"] = "no-store"
    if answer["status"] == "down":
        response._has_been_logged = True  # type: ignore[attr-defined] # record() logged it
    return response
