"""Counters kept in one statement: insert the row with 1, or add one to it, and read it back."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, models


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


@cache
def _upsert(model: type[models.Model], names: tuple[str, ...]) -> str:
    table = model._meta.db_table
    columns = [str(_field(model, name).column) for name in names]
    count = _field(model, "count").column
    return (
        f"INSERT INTO {table} ({', '.join(columns)}, {count}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))}, 1) "
        f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )


def add_one(model: type[models.Model], **key: Any) -> int:
    """Add one to the `count` of the row of `model` with these key fields; return the new count.

    One statement (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`, SQLite 3.35+ and
    PostgreSQL), so concurrent callers never both act on the same stale count. The key fields
    must be exactly those of a unique constraint of the model. Call it inside the transaction
    of the write the count belongs to.
    """
    names = tuple(sorted(key))
    values = [_field(model, name).get_db_prep_value(key[name], connection) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(_upsert(model, names), values)
        (count,) = cursor.fetchone()
    return int(count)
