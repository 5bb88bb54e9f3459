"""Choice codes written into the SQL as literals on PostgreSQL, for the columns that partial indexes
are defined on (``status IN ('accepted', …)``, ``type IN (…)``, ``kind = 'callback_promised'``).

With prepared statements (``DB_PREPARED_STATEMENTS``, config/django/base.py) PostgreSQL plans a
statement it has run five times once, generically, without looking at the parameters. A generic
plan cannot use a partial index whose condition a parameter would have to prove: ``status IN ($1,
…, $8)`` might be anything. At 10,000,000 complaints the count of the supervisor's 部门待办 went from
an index-only scan of the open complaints to 2,100,000 entries of another index: 4 ms → 536 ms,
from the sixth request of a worker on (docs/BENCHMARKS.md). A code from the column's own choices is
a constant of the program, not input: written as a literal, it proves the index's condition in
every plan. Anything else (a value not among the choices, an expression, a subquery) is bound as
a parameter as before, and other databases are untouched."""

from __future__ import annotations

import re

from django.db.models.lookups import Exact, In

CODE = re.compile(r"[a-z][a-z0-9_]*")


def _codes(field, values) -> list[str] | None:
    """``values`` as sorted literals if every one is a code among ``field``'s choices, else None."""
    allowed = {str(key) for key, _label in field.flatchoices}
    if not values or not all(isinstance(v, str) and v in allowed and CODE.fullmatch(v) for v in values):
        return None
    return [f"'{v}'" for v in sorted(set(values))]


class LiteralIn(In):
    def process_rhs(self, compiler, connection):
        if connection.vendor == "postgresql" and self.rhs_is_direct_value():
            codes = _codes(self.lhs.output_field, [v for v in self.rhs if v is not None])
            if codes:
                return "(" + ", ".join(codes) + ")", []
        return super().process_rhs(compiler, connection)


class LiteralExact(Exact):
    def process_rhs(self, compiler, connection):
        if connection.vendor == "postgresql" and self.rhs_is_direct_value():
            codes = _codes(self.lhs.output_field, [self.rhs])
            if codes:
                return codes[0], []
        return super().process_rhs(compiler, connection)


def write_codes_as_literals(*fields) -> None:
    """Register the literal ``in`` and ``exact`` lookups on these model field instances."""
    for field in fields:
        if not field.choices:
            raise ValueError(f"{field} has no choices: only choice codes are written as literals")
        field.register_lookup(LiteralIn)
        field.register_lookup(LiteralExact)
