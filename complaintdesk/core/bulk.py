"""Set-based inserts for the sweeps.

On PostgreSQL a chunk's rows go in as one ``INSERT … SELECT FROM jsonb_to_recordset(%s)``
statement — no model instances, a single JSON parameter that the server parses and casts in C,
one round trip per table — which is what lets a sweep clear ten thousand due complaints in
about a second. Elsewhere (SQLite) Django's ``bulk_create`` does the same job. Rows are plain
dicts keyed by field name (``*_id`` for foreign keys); JSON fields take dicts, times take
aware datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.db import connection, models


def _default(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def insert_rows(model: type[models.Model], rows: Sequence[dict], *, ignore_conflicts: bool = False) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**row) for row in rows], ignore_conflicts=ignore_conflicts, batch_size=500
        )
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    payload = json.dumps(rows, ensure_ascii=False, default=_default, separators=(",", ":"))
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    record = ", ".join(
        f"{connection.ops.quote_name(n)} {f.db_type(connection)}" for n, f in zip(names, fields, strict=True)
    )
    select = ", ".join(f"r.{connection.ops.quote_name(n)}" for n in names)
    sql = f"INSERT INTO {table} ({quoted}) SELECT {select} FROM jsonb_to_recordset(%s::jsonb) AS r({record})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])
