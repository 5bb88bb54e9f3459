"""Figures split by one attribute (受理量 by channel, category, SERVQUAL dimension, department,
area and hour; compensation by department and category; breaches by department), the ageing of
open cases in working-day buckets, and the forbidden-phrase figures per agent and department.

Each split is one ``GROUP BY`` query over an indicator's cohort; each row carries the condition
that selects its complaints, so a bar drills down to exactly the complaints it counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractHour
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints.choices import OPEN_STATUSES, Channel, Dimension
from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.org.models import Department, User
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.models import TEXT_DAY, AreaTally
from complaintdesk.sla.calendar import BusinessCalendar, CalendarOutOfRange

BY_LABELS = {
    "channel": gettext_lazy("渠道"),
    "category": gettext_lazy("类别"),
    "dimension": gettext_lazy("服务质量维度"),
    "department": gettext_lazy("责任部门"),
    "area": gettext_lazy("区域(楼栋/地址)"),
    "hour": gettext_lazy("受理时段"),
}
# Which splits each indicator offers on the dashboard.
SPLITS = {
    "intake": ("channel", "category", "dimension", "department", "area", "hour"),
    "compensation": ("department", "category"),
    "breach_rate": ("department",),
}
TOP_AREAS = 15


def group_q(by: str, key) -> Q:
    """The complaints of one group (the drill-down of one bar)."""
    if by == "hour":
        return Q(received_at__hour=int(key))
    if by == "area":
        if key in ("", "none"):
            return Q(address="")
        return Q(address=key) | Q(address__startswith=f"{key} ")
    column = {"channel": "channel", "dimension": "dimension", "category": "category_id",
              "department": "department_id"}[by]
    if key in (None, "", "none"):
        return Q(**{f"{column}__isnull": True}) if column.endswith("_id") else Q(**{column: ""})
    return Q(**{column: int(key) if column.endswith("_id") else key})


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    numerator: int | float
    denominator: int | None
    value: float | int | None


def breakdown(code: str, by: str, w: ind.Window, scope: ind.Scope = ind.ALL) -> list[Row]:
    """One indicator split by ``by``: one GROUP BY query (plus one for the names of categories
    or departments)."""
    indicator = ind.BY_CODE[code]
    if by not in SPLITS.get(code, ()):
        raise ValueError(f"{code} cannot be split by {by}")
    if by == "area" and code == "intake" and ind.tally_usable(w) and scope == ind.ALL:
        raw = _areas_tallied(w)
    elif ind.tally_usable(w) and indicator.cohort in ind.TALLY_COHORT and indicator.pending is None and by != "area":
        raw = _tallied(indicator, by, w, scope)
    else:
        raw = _counted(indicator, by, w, scope)
    names = _names(by)
    out = []
    for g, numerator, denominator in raw:
        if indicator.unit == ind.AMOUNT:
            numerator = ind.money(numerator)
        if not numerator and not denominator:
            continue
        key = "" if g is None else str(g)
        out.append(Row(key or "none", names(g), numerator, denominator,
                       ind.value_of(indicator, numerator, denominator)))
    if by == "hour":
        out.sort(key=lambda row: int(row.key))
    else:
        out.sort(key=lambda row: (-row.numerator, row.label))
    if by == "area":
        out = out[:TOP_AREAS]
    return out


def _counted(indicator: ind.Indicator, by: str, w: ind.Window, scope: ind.Scope) -> list[tuple]:
    """(group, numerator, denominator) counted over the cohort's complaints: one GROUP BY."""
    qs = ind.cohort_queryset(indicator.cohort, w, scope)
    if by == "hour":
        qs = qs.annotate(g=ExtractHour("received_at"))
    elif by == "area":
        qs = qs.annotate(g=ind.area_expression())
    else:
        qs = qs.annotate(g=F({"category": "category_id", "department": "department_id"}.get(by, by)))
    code = indicator.code
    rows = qs.values("g").annotate(**ind.aggregates_for([indicator], w)).order_by()
    return [(r["g"], r[f"{code}__n"], r.get(f"{code}__d")) for r in rows]


def _areas_tallied(w: ind.Window) -> list[tuple]:
    """受理量 by area from the area tallies (the whole centre: a department, category or channel
    filter counts live)."""
    first, last = ind.tally_days(w)
    rows = (AreaTally.objects.filter(day__gte=first, day__lte=last)
            .values("area").annotate(n=Sum("n")).order_by())
    return [(row["area"], row["n"], None) for row in rows]


TALLY_GROUP = {"channel": "channel", "category": "category_id", "department": "department_id"}


def _tallied(indicator: ind.Indicator, by: str, w: ind.Window, scope: ind.Scope) -> list[tuple]:
    """The same triples from the running tallies: a GROUP BY over a few thousand rows, or the
    dimension and hour columns summed."""
    cohort = ind.TALLY_COHORT[indicator.cohort]
    if by in ("dimension", "hour"):
        columns = ([f"dim_{d}" for d in [*Dimension.values, "none"]] if by == "dimension"
                   else [f"h{h:02d}" for h in range(24)])
        row = ind.tally_sums(w, scope, cohort, columns)[0]
        groups = ([*Dimension.values, ""] if by == "dimension" else list(range(24)))
        return [(g, row[c] or 0, None) for g, c in zip(groups, columns, strict=True)]
    column = TALLY_GROUP[by]
    names = ind.tally_columns(indicator)
    rows = ind.tally_sums(w, scope, cohort, names, by=column)
    out = []
    for r in rows:
        numerator, denominator = ind.tally_pair(indicator, r)
        g = r[column]
        out.append((None if g in (0, "") and column != "channel" else g, numerator, denominator))
    return out


def _names(by: str):
    unknown = _("未填写")
    if by == "channel":
        return lambda v: str(Channel(v).label) if v in Channel.values else (v or unknown)
    if by == "dimension":
        return lambda v: str(Dimension(v).label) if v in Dimension.values else unknown
    if by == "hour":
        return lambda v: f"{int(v):02d}:00"
    if by in ("category", "department"):
        model = Category if by == "category" else Department
        names = dict(model.objects.values_list("pk", "name"))
        return lambda v: names.get(v, unknown)
    return lambda v: v or unknown


# -- ageing --------------------------------------------------------------------------------------

AGEING_BUCKETS = ((0, 1), (1, 3), (3, 5), (5, 10), (10, None))


def ageing_cutoffs(calendar: BusinessCalendar, now: dt.datetime) -> dict[int, dt.datetime]:
    """For each bucket edge N: open cases received before the returned instant have been open at
    least N working days. A case's age is the number of working days after its receiving day up
    to today (both local): received on a Friday before 国庆, it is 1 working day old on the first
    working day after the holiday."""
    today = calendar.local(now).date()
    edges = sorted({low for low, _high in AGEING_BUCKETS if low})
    cutoffs: dict[int, dt.datetime] = {}
    day = today
    for edge in edges:
        # Step back (a handful of days) to the latest receiving day that is ``edge`` working days old.
        while True:
            try:
                age = calendar.working_days_between(day, today)
            except CalendarOutOfRange:
                cutoffs[edge] = ind.day_start(day + dt.timedelta(days=1))
                break
            if age >= edge:
                cutoffs[edge] = ind.day_start(day + dt.timedelta(days=1))
                break
            day -= dt.timedelta(days=1)
    return cutoffs


def bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(n)s个工作日以上") % {"n": low}
    return _("%(low)s–%(high)s个工作日") % {"low": low, "high": high}


def ageing_q(index: int, cutoffs: dict[int, dt.datetime]) -> Q:
    low, high = AGEING_BUCKETS[index]
    q = Q(status__in=list(OPEN_STATUSES))
    if low:
        q &= Q(received_at__lt=cutoffs[low])
    if high is not None:
        q &= Q(received_at__gte=cutoffs[high])
    return q


def ageing(calendar: BusinessCalendar, now: dt.datetime, scope: ind.Scope = ind.ALL) -> list[Row]:
    """Open cases now, by working days open: boundaries computed in Python, one count query."""
    cutoffs = ageing_cutoffs(calendar, now)
    aggregates = {f"b{i}": Count("pk", filter=ageing_q(i, cutoffs)) for i in range(len(AGEING_BUCKETS))}
    row = Complaint.objects.filter(scope.q(), status__in=list(OPEN_STATUSES)).aggregate(**aggregates)
    return [
        Row(str(i), bucket_label(low, high), row[f"b{i}"], None, row[f"b{i}"])
        for i, (low, high) in enumerate(AGEING_BUCKETS)
    ]


# -- 服务用语质检 ----------------------------------------------------------------------------------


PHRASE_CODES = ("phrase_flagged", "phrase_blocked", "phrase_overrides")


def phrase_tables(by: str, w: ind.Window, scope: ind.Scope = ind.ALL) -> dict[str, list[Row]]:
    """The 服务用语质检 figures — forbidden phrases flagged while typing, texts blocked, texts let
    through by a supervisor's override — per 1,000 customer-facing texts, per author (``agent``) or
    the author's department: one GROUP BY for all three (plus one for the names)."""
    column = "actor_id" if by == "agent" else "actor__department_id"
    indicators = [ind.BY_CODE[code] for code in PHRASE_CODES]
    if ind.tally_usable(w) and ind.text_tally_usable(scope):
        rows = _phrase_tallied(by, column, w, scope)
    else:
        aggregates = {f"n_{i.code}": Count("pk", filter=i.numerator(w)) for i in indicators}
        aggregates["d"] = Count("pk", filter=indicators[0].denominator(w))  # the same texts for all three
        rows = list(ind.cohort_queryset(ind.TEXTS, w, scope).values(column).annotate(**aggregates).order_by())
    if by == "agent":
        users = User.objects.filter(pk__in=[r[column] for r in rows if r[column]])
        names = {u.pk: u.display_name or u.username for u in users}
    else:
        names = dict(Department.objects.values_list("pk", "name"))
    tables = {}
    for indicator in indicators:
        n = f"n_{indicator.code}"
        out = [
            Row(str(r[column] or "none"), names.get(r[column], _("系统")), r[n], r["d"],
                ind.value_of(indicator, r[n], r["d"]))
            for r in rows
        ]
        out.sort(key=lambda row: (-row.numerator, row.label))
        tables[indicator.code] = out
    return tables


def _phrase_tallied(by: str, column: str, w: ind.Window, scope: ind.Scope) -> list[dict]:
    """The same rows from the text tallies: summed per author, then (``department``) per the
    author's department now, as the counted query joins it."""
    rows = ind.tally_sums(w, scope, TEXT_DAY, ["texts", *PHRASE_CODES], by="actor_id")
    if by == "agent":
        groups = {(r["actor_id"] or None): r for r in rows}
    else:
        department = dict(User.objects.filter(pk__in=[r["actor_id"] for r in rows if r["actor_id"]])
                          .values_list("pk", "department_id"))
        groups: dict = {}
        for r in rows:
            key = department.get(r["actor_id"]) if r["actor_id"] else None
            into = groups.setdefault(key, dict.fromkeys(["texts", *PHRASE_CODES], 0))
            for name in into:
                into[name] += r[name] or 0
    return [
        {column: key, "d": r["texts"] or 0, **{f"n_{code}": r[code] or 0 for code in PHRASE_CODES}}
        for key, r in groups.items()
        if any(r[name] for name in ["texts", *PHRASE_CODES])
    ]


def phrase_by(by: str, w: ind.Window, scope: ind.Scope = ind.ALL, code: str = "phrase_overrides") -> list[Row]:
    """One of :func:`phrase_tables`."""
    if code not in PHRASE_CODES:
        raise ValueError(code)
    return phrase_tables(by, w, scope)[code]


def phrase_group_q(by: str, key: str) -> Q:
    """Condition on the text events of one author (or the author's department)."""
    column = "actor_id" if by == "agent" else "actor__department_id"
    if key in ("", "none"):
        return Q(**{f"{column}__isnull": True})
    return Q(**{column: int(key)})


def drill(code: str, part: str, w: ind.Window, *, by: str = "", key: str = "", calendar=None) -> Q:
    """The complaints behind one figure, bar or table cell (the scope filters are the list's own).

    ``code="ageing"`` with ``key`` = bucket index; ``by`` = a split of :data:`SPLITS` or
    ``agent``/``agent_department`` for the phrase figures.
    """
    from django.db.models import Exists, OuterRef

    if code == "ageing":
        return ageing_q(int(key), ageing_cutoffs(calendar, w.as_of))
    indicator = ind.BY_CODE[code]
    if by in ("agent", "agent_department"):
        chosen = indicator.numerator(w) if part == ind.NUMERATOR else indicator.denominator(w)
        events = ind.customer_texts(w).filter(chosen, phrase_group_q(by, key), complaint=OuterRef("pk"))
        return Exists(events)
    q = ind.drill_q(code, part, w)
    if by:
        if by not in SPLITS.get(code, ()):
            raise ValueError(f"{code} cannot be split by {by}")
        q &= group_q(by, key)
    return q
