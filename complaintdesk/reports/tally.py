"""Running tallies: the dashboard's and the reports' counts kept per day as complaints change.

A complaint *contributes* to two rows of :class:`~complaintdesk.reports.models.Tally`: the row of
the day it was received (受理量 and the rates over received complaints) and, once closed, the row of
the day it was closed (首问解决率, 回访, 满意度, 补偿…), each keyed by its department, category and
channel. The contribution is counted by SQL with the indicators' own conditions
(``indicators.INDICATORS``), so a tally means exactly what the live count means.

Writers wrap a change in ``core.changes.complaints_changing(ids)``; :func:`observer` counts the
contributions of those complaints before and after and adds the difference, in the same
transaction (so a rolled-back action leaves the tallies as they were). Two writers of one
complaint are serialised by its row lock; two writers that touch the same tally row update it with
``col = col + delta`` in key order.

受理量 by area is kept per day × area in :class:`~complaintdesk.reports.models.AreaTally` (for the
whole centre; filtered splits count live).

What is not tallied is read live: the part of a denominator that only the passing of time
changes (a deadline falls due with nobody acting: ``Indicator.pending``), the call-back cohort and
the ageing of open cases.

:func:`rebuild` recounts days from the complaints (after a bulk load, and the nightly check);
:func:`check` compares the stored rows with a recount and says which keys differ.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, IntegerField, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from complaintdesk.complaints.choices import Dimension
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.models.timeline import CUSTOMER_TEXT_EVENTS, LANGUAGE_EVENTS
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.models import (
    AREA_DAY,
    CLOSED_DAY,
    RECEIVED_DAY,
    TALLY_COUNTERS,
    TEXT_COUNTERS,
    TEXT_DAY,
    AreaTally,
    Tally,
    TextTally,
)
from complaintdesk.sla.calendar import SHANGHAI

log = logging.getLogger(__name__)

COHORT_OF = ind.TALLY_COHORT
TALLIED = tuple(i for i in ind.INDICATORS if i.cohort in COHORT_OF)
KEY = ("cohort", "day", "department_id", "category_id", "channel")
TEXT_KEY = ("day", "actor_id", "department_id")
AREA_KEY = ("day", "area")
AREA_COUNTERS = ("n",)
TEXT_TYPES = (*CUSTOMER_TEXT_EVENTS, *LANGUAGE_EVENTS)
Key = tuple  # (cohort, day, department_id, category_id, channel), ("t", day, actor_id, department_id) or ("a", day, area)
# A window for the conditions that do not depend on the period or the instant (the tallied parts).
_ANY = ind.Window(dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
                  dt.datetime(9999, 1, 1, tzinfo=dt.UTC))


# -- what one complaint contributes ---------------------------------------------------------------


def _settled_denominator(indicator: ind.Indicator) -> Q | None:
    if indicator.denominator is None:
        return None
    if indicator.settled is not None:
        return indicator.settled()  # the pending part is read live
    return indicator.denominator(_ANY)


@functools.cache
def aggregates(cohort: str, *, only_closed: bool = False) -> dict:
    """Column name → aggregate, for the complaints of one cohort (the settled parts only). Built
    once per process (every write reads the names): callers must not change the dict."""
    out: dict = {}
    for indicator in TALLIED:
        if COHORT_OF[indicator.cohort] != cohort:
            continue
        den = _settled_denominator(indicator)
        num = indicator.numerator(_ANY)
        if indicator.nested and den is not None:
            num = den & num
        code = indicator.code
        if indicator.unit == ind.AMOUNT:
            out[f"{code}_n"] = Sum(indicator.amount, filter=num)
            out[f"{code}_d"] = Count("pk", filter=num)
        elif den is None:
            out[code] = Count("pk")  # 受理量
        else:
            out[f"{code}_n"] = Count("pk", filter=num)
            out[f"{code}_d"] = Count("pk", filter=den)
    if cohort == RECEIVED_DAY:
        for value in Dimension.values:
            out[f"dim_{value}"] = Count("pk", filter=Q(dimension=value))
        out["dim_none"] = Count("pk", filter=~Q(dimension__in=Dimension.values))
        for hour in range(24):
            out[f"h{hour:02d}"] = Count("pk", filter=Q(received_at__hour=hour))
    if only_closed:
        out = {name: _only(agg, Q(closed_at__isnull=False)) for name, agg in out.items()}
    return out


def _only(aggregate, condition: Q):
    aggregate = aggregate.copy()
    aggregate.filter = condition if aggregate.filter is None else (aggregate.filter & condition)
    return aggregate


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=SHANGHAI)


def _keyed(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        t_dep=Coalesce("department_id", Value(0), output_field=IntegerField()),
        t_cat=Coalesce("category_id", Value(0), output_field=IntegerField()),
    )


def _add(into: dict, key: Key, row: dict, names) -> None:
    counters = into[key]
    for name in names:
        value = row[name]
        if value:
            counters[name] = counters.get(name, 0) + value


def counts(qs: QuerySet, cohorts: Iterable[str] = (RECEIVED_DAY, CLOSED_DAY)) -> dict[Key, dict[str, int]]:
    """The tally rows the complaints of ``qs`` make, one query per cohort."""
    out: dict[Key, dict] = defaultdict(dict)
    for cohort in cohorts:
        field = "received_at" if cohort == RECEIVED_DAY else "closed_at"
        aggs = aggregates(cohort)
        rows = (
            _keyed(qs.filter(**{f"{field}__isnull": False}))
            .annotate(t_day=_day(field))
            .values("t_day", "t_dep", "t_cat", "channel")
            .annotate(**aggs)
            .order_by()
        )
        for row in rows:
            _add(out, (cohort, row["t_day"], row["t_dep"], row["t_cat"], row["channel"]), row, aggs)
    return {key: value for key, value in out.items() if value}


def area_counts(qs: QuerySet) -> dict[Key, dict[str, int]]:
    """The area rows the complaints of ``qs`` make: ``("a", day received, area)`` → ``{"n": …}``."""
    rows = (
        qs.filter(received_at__isnull=False)
        .annotate(t_day=_day("received_at"), t_area=ind.area_expression())
        .values("t_day", "t_area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(AREA_DAY, row["t_day"], row["t_area"] or ""): {"n": row["n"]} for row in rows if row["n"]}


def _complaint_rows(ids: list[int]):
    received, closed = aggregates(RECEIVED_DAY), aggregates(CLOSED_DAY, only_closed=True)
    return (
        _keyed(Complaint.objects.filter(pk__in=ids))
        .annotate(r_day=_day("received_at"), c_day=_day("closed_at"), t_area=ind.area_expression())
        .values("r_day", "c_day", "t_dep", "t_cat", "channel", "t_area")
        .annotate(**received, **{f"c__{name}": agg for name, agg in closed.items()})
        .order_by()
    )


def _text_rows(ids: list[int]):
    return _text_grouped(TimelineEvent.objects.filter(complaint_id__in=ids))


# One complaint at a time (every action, every intake): the two queries are compiled once per
# process and run with the complaint's id. Compiling ~80 filtered aggregates took ~15 ms of Python
# per action (bench/intake.py --compare-tally).
_SENTINEL = -7_654_321_987
_compiled: dict[str, tuple[str, list, int]] = {}


def _one(kind: str, build, pk: int) -> list[dict]:
    if kind not in _compiled:
        sql, params = build([_SENTINEL]).query.sql_with_params()
        params = list(params)
        _compiled[kind] = (sql, params, params.index(_SENTINEL))
    sql, params, at = _compiled[kind]
    params = list(params)
    params[at] = pk
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:  # what the ORM's converters would do (SQLite returns text and floats)
        for name, value in row.items():
            if name.endswith("_day") and isinstance(value, str):
                row[name] = dt.date.fromisoformat(value)
            elif name.endswith("compensation_n") and isinstance(value, float | int):
                row[name] = Decimal(str(value)).quantize(Decimal("0.01"))
    return rows


def contributions(ids: list[int]) -> dict[Key, dict[str, int]]:
    """What the complaints ``ids`` add to the tallies now: one query for both cohorts, one for
    their texts."""
    received, closed = aggregates(RECEIVED_DAY), aggregates(CLOSED_DAY, only_closed=True)
    rows = _one("complaint", _complaint_rows, ids[0]) if len(ids) == 1 else _complaint_rows(ids)
    out: dict[Key, dict] = defaultdict(dict)
    for row in rows:
        rest = (row["t_dep"], row["t_cat"], row["channel"])
        _add(out, (RECEIVED_DAY, row["r_day"], *rest), row, received)
        _add(out, (AREA_DAY, row["r_day"], row["t_area"] or ""), {"n": row["intake"]}, AREA_COUNTERS)
        if row["c_day"] is not None:
            _add(out, (CLOSED_DAY, row["c_day"], *rest),
                 {name: row[f"c__{name}"] for name in closed}, closed)
    text_rows = _one("texts", _text_rows, ids[0]) if len(ids) == 1 else _text_rows(ids)
    out.update(_text_keyed(text_rows))
    return {key: value for key, value in out.items() if value}


@functools.cache
def text_aggregates() -> dict:
    """Column → aggregate for the customer-facing texts and the 服务用语质检 events (built once;
    callers must not change the dict)."""
    flagged = ind.BY_CODE["phrase_flagged"]
    out = {"texts": Count("pk", filter=flagged.denominator(_ANY))}
    for code in TEXT_COUNTERS[1:]:
        out[code] = Count("pk", filter=ind.BY_CODE[code].numerator(_ANY))
    return out


def text_counts(events: QuerySet) -> dict[Key, dict[str, int]]:
    """The text rows the events of ``events`` make: ``("t", day, actor, department)`` → counts (the
    complaint's department)."""
    return _text_keyed(_text_grouped(events))


def _text_grouped(events: QuerySet) -> QuerySet:
    return (
        events.filter(type__in=TEXT_TYPES)
        .annotate(
            t_day=_day("created_at"),
            t_actor=Coalesce("actor_id", Value(0), output_field=IntegerField()),
            t_dep=Coalesce("complaint__department_id", Value(0), output_field=IntegerField()),
        )
        .values("t_day", "t_actor", "t_dep")
        .annotate(**text_aggregates())
        .order_by()
    )


def _text_keyed(rows) -> dict[Key, dict[str, int]]:
    aggs = text_aggregates()
    out: dict[Key, dict] = defaultdict(dict)
    for row in rows:
        _add(out, (TEXT_DAY, row["t_day"], row["t_actor"], row["t_dep"]), row, aggs)
    return {key: value for key, value in out.items() if value}


# -- keeping them -----------------------------------------------------------------------------------


MODELS = (Tally, TextTally, AreaTally)
COUNTERS = {Tally: TALLY_COUNTERS, TextTally: TEXT_COUNTERS, AreaTally: AREA_COUNTERS}
KEY_FIELDS = {Tally: KEY, TextTally: TEXT_KEY, AreaTally: AREA_KEY}
# A key is (prefix, *key fields); a Tally key starts with its cohort, which is its first key field.
PREFIX = {TextTally: TEXT_DAY, AreaTally: AREA_DAY}


def _model(key: Key):
    return {prefix: model for model, prefix in PREFIX.items()}.get(key[0], Tally)


def _key_fields(key: Key) -> dict:
    model = _model(key)
    return dict(zip(KEY_FIELDS[model], key[1:] if model in PREFIX else key, strict=True))


def add(delta: dict[Key, dict[str, int]]) -> None:
    """Add ``delta`` to the stored rows (creating missing ones), in key order."""
    changed = {key: {n: v for n, v in counters.items() if v} for key, counters in delta.items()}
    changed = {key: counters for key, counters in changed.items() if counters}
    if not changed:
        return
    keys = sorted(changed, key=lambda k: tuple(str(part) for part in k))
    for model in MODELS:
        mine = [k for k in keys if _model(k) is model]
        if mine:
            _upsert(model, mine, changed)


def _upsert(model, keys: list[Key], changed: dict[Key, dict]) -> None:
    """One ``INSERT … ON CONFLICT (key) DO UPDATE SET col = col + excluded.col`` for all the rows
    (PostgreSQL and SQLite alike): the rows are created or added to in one statement, in key order."""
    key_columns = list(_key_fields(keys[0]))
    counters = sorted({name for key in keys for name in changed[key]})
    every = list(COUNTERS[model])  # the columns have no database default
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*key_columns, *every]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES {', '.join([row] * len(keys))} "
        f"ON CONFLICT ({', '.join(quote(c) for c in key_columns)}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counters)
    )
    params: list = []
    for key in keys:
        params += list(_key_fields(key).values())
        params += [changed[key].get(name, 0) for name in every]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _difference(after: dict, before: dict) -> dict:
    out: dict = {}
    for key in set(after) | set(before):
        a, b = after.get(key, {}), before.get(key, {})
        diff = {name: a.get(name, 0) - b.get(name, 0) for name in set(a) | set(b)}
        diff = {n: v for n, v in diff.items() if v}
        if diff:
            out[key] = diff
    return out


def observer(ids: list[int], new: bool = False):
    """``core.changes`` observer: the contributions before, and a callable that adds the change.
    Kept whether or not the reads use them (``REPORTS_TALLY``), so turning them on is safe."""
    before = {} if new else contributions(ids)

    def after() -> None:
        add(_difference(contributions(ids), before))

    return after


# -- recounting ----------------------------------------------------------------------------------------


def _bounds(first: dt.date, last: dt.date, field: str) -> Q:
    return Q(**{f"{field}__gte": ind.day_start(first), f"{field}__lt": ind.day_start(last + dt.timedelta(days=1))})


PARTS = {"counts": (Tally,), "texts": (TextTally,), "areas": (AreaTally,)}
ALL_PARTS = tuple(PARTS)


def recount(first: dt.date, last: dt.date, parts: Iterable[str] = ALL_PARTS) -> dict[Key, dict[str, int]]:
    """The rows of the days ``first`` … ``last`` counted from the complaints."""
    out: dict[Key, dict] = {}
    received = Complaint.objects.filter(_bounds(first, last, "received_at"))
    if "counts" in parts:
        out.update(counts(received, [RECEIVED_DAY]))
        out.update(counts(Complaint.objects.filter(_bounds(first, last, "closed_at")), [CLOSED_DAY]))
    if "texts" in parts:
        out.update(text_counts(TimelineEvent.objects.filter(_bounds(first, last, "created_at"))))
    if "areas" in parts:
        out.update(area_counts(received))
    return out


def _key_of(model, row: dict) -> Key:
    values = tuple(row[k] for k in KEY_FIELDS[model])
    return (PREFIX[model], *values) if model in PREFIX else values


def stored(first: dt.date, last: dt.date) -> dict[Key, dict[str, int]]:
    out = {}
    for model in MODELS:
        names = COUNTERS[model]
        for row in model.objects.filter(day__gte=first, day__lte=last).values(*KEY_FIELDS[model], *names):
            counters = {name: row[name] for name in names if row[name]}
            if counters:
                out[_key_of(model, row)] = counters
    return out


def _lock() -> None:
    """Writers wait while days are recounted (PostgreSQL; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = ", ".join(model._meta.db_table for model in MODELS)
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def rebuild(first: dt.date | None = None, last: dt.date | None = None, *, parts: Iterable[str] = ALL_PARTS) -> int:
    """Recount the days ``first`` … ``last`` (default: every day with a complaint); returns the
    number of rows written. Writers wait for it, so nothing is counted twice or lost. ``parts``:
    which tables (a migration that adds one counts only its own)."""
    parts = tuple(parts)
    models = [model for part in parts for model in PARTS[part]]
    with transaction.atomic():
        _lock()
        if first is None or last is None:
            span = _span(models)
            if span is None:
                for model in models:
                    model.objects.all().delete()
                return 0
            first, last = first or span[0], last or span[1]
        rows = recount(first, last, parts)
        for model in models:
            model.objects.filter(day__gte=first, day__lte=last).delete()
            model.objects.bulk_create([model(**_key_fields(k), **v) for k, v in rows.items() if _model(k) is model],
                                      batch_size=1000)
    return len(rows)


def check(first: dt.date, last: dt.date, *, repair: bool = False) -> list[Key]:
    """The keys whose stored counts differ from a recount (and recount those days if ``repair``)."""
    with transaction.atomic():
        _lock()
        expected, actual = recount(first, last), stored(first, last)
        wrong = sorted(_difference(expected, actual), key=str)
    if wrong:
        log.warning("tally: %d rows differ from a recount between %s and %s", len(wrong), first, last)
        if repair:
            rebuild(first, last)
    return wrong


def _span(models: Iterable = MODELS) -> tuple[dt.date, dt.date] | None:
    """The first and last local day with a complaint received or closed, a customer text, or a
    tally row (``None``: nothing on file)."""
    days = [d for model in models for d in model.objects.aggregate(lo=Min("day"), hi=Max("day")).values() if d]
    instants = list(TimelineEvent.objects.filter(type__in=TEXT_TYPES)
                    .aggregate(lo=Min("created_at"), hi=Max("created_at")).values())
    for field in ("received_at", "closed_at"):
        instants += Complaint.objects.aggregate(lo=Min(field), hi=Max(field)).values()
    days += [t.astimezone(SHANGHAI).date() for t in instants if t]
    return (min(days), max(days)) if days else None


def check_all() -> list[Key]:
    """:func:`check` over every day on file (tests; small databases)."""
    span = _span()
    return check(*span) if span else []
