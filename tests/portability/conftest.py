"""Fixtures for imports: a site with a domain, and the sample exports under samples/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from rejoinder.pages.models import Site
from rejoinder.portability.importing import run_import
from rejoinder.portability.report import Report

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def gazette(db: None) -> Site:
    return Site.objects.create(name="Harbour Gazette", domain="news.example.org")


@pytest.fixture
def run(gazette: Site) -> Callable[..., Report]:
    def _run(format_name: str, name: str | Path, second: str | None = None, **kw: Any) -> Report:
        path = name if isinstance(name, Path) else SAMPLES / name
        return run_import(
            site=kw.pop("site", gazette),
            format_name=format_name,
            path=path,
            second=SAMPLES / second if second else None,
            **kw,
        )

    return _run


def database_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: the database compared before and after a refused import."""
    tables = sorted(connection.introspection.table_names())
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table.startswith("django_") or table == "sqlite_sequence":
                continue
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - names from the schema
            rows[table] = cursor.fetchall()
    return rows
