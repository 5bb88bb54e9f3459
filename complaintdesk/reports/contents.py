"""What a report contains, computed by aggregate queries (and a few short lists of cases that need
a manager's eye). Stored as JSON of machine values; labels are rendered when shown."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from complaintdesk.complaints.choices import OPEN_STATUSES, EscalationRisk
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.models.timeline import BREACH_EVENTS
from complaintdesk.reports import breakdowns as bd
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.models import RECEIVED_DAY
from complaintdesk.sla.calendar import SHANGHAI

ATTENTION_LIMIT = 20
TOP = 10
REPEAT_ATTENTION = 2  # repeat_count ≥ 2: the third complaint (and later ones) about one issue


def _events_in(w: ind.Window, types) -> Q:
    """Complaints with such an event in the period: the events first, through their period index
    (``timeline_period_idx``), then their complaints (an EXISTS per complaint took 350 ms at 10 M)."""
    return Q(pk__in=TimelineEvent.objects.filter(type__in=list(types), created_at__gte=w.start,
                                                 created_at__lt=w.end).values("complaint_id"))


def summary_q(w: ind.Window) -> dict[str, Q]:
    """The five headline counts of a report, as conditions (each drills down to its list)."""
    return {
        "new": w.range("received_at"),
        "closed": w.range("closed_at"),
        # Received before the period ended and not closed by then (a snapshot at the end of the period).
        "still_open": Q(received_at__lt=w.end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=w.end)),
        "breached": _events_in(w, BREACH_EVENTS),
        # escalated_at is the latest escalation (manual, sweep or unsatisfied visit); indexed.
        "escalated": w.range("escalated_at"),
    }


def attention_q(w: ind.Window) -> dict[str, Q]:
    """The cases that need a manager's eye."""
    return {
        "high_risk": Q(status__in=list(OPEN_STATUSES), escalation_risk=EscalationRisk.HIGH, received_at__lt=w.end),
        "repeat": w.range("received_at") & Q(repeat_count__gte=REPEAT_ATTENTION),
        "compensation": Q(compensation_amount__gt=0) & (w.range("approved_at") | w.range("closed_at")),
        "breached": _events_in(w, BREACH_EVENTS),
    }


def _count(scope: ind.Scope, q: Q) -> int:
    return Complaint.objects.filter(scope.q(), q).count()


def _cases(scope: ind.Scope, q: Q) -> dict:
    qs = Complaint.objects.filter(scope.q(), q)
    rows = list(
        qs.order_by("-received_at", "-id").values(
            "pk", "number", "subject", "status", "department__name", "escalation_level", "escalation_risk",
            "repeat_count", "compensation_amount", "received_at",
        )[:ATTENTION_LIMIT]
    )
    for row in rows:
        row["compensation_amount"] = str(row["compensation_amount"])
        row["received_at"] = row["received_at"].astimezone(SHANGHAI).isoformat()
    total = len(rows) if len(rows) < ATTENTION_LIMIT else qs.count()
    return {"total": total, "items": rows}


def _figures(figures: dict[str, ind.Figure]) -> dict:
    return {code: f.as_dict() for code, f in figures.items()}


def _average(days: int, w7: ind.Window, scope: ind.Scope) -> dict:
    """The ``days`` days before the period, pooled: counts and amounts per day (a 日报 compares with
    the 7-day average), rates over the whole span. ``days=1``: the previous period as it was."""
    pooled = ind.compute(w7, scope)
    out = {}
    for code, figure in pooled.items():
        unit = ind.BY_CODE[code].unit
        value = figure.value
        if unit in (ind.COUNT, ind.AMOUNT) and value is not None:
            value = round(value / days, 2)
        out[code] = {"numerator": figure.numerator, "denominator": figure.denominator, "value": value}
    return out


def trend(w: ind.Window, scope: ind.Scope) -> list[list]:
    """Complaints received per local day over the period (at least the last 7 days)."""
    start = min(w.start, w.end - dt.timedelta(days=7))
    span = ind.Window(start, w.end, w.as_of)
    if ind.tally_usable(span):
        rows = ind.tally_sums(span, scope, RECEIVED_DAY, ["intake"], by="day")
        return [[r["day"].isoformat(), r["intake"]] for r in sorted(rows, key=lambda r: r["day"]) if r["intake"]]
    rows = (
        Complaint.objects.filter(scope.q(), received_at__gte=start, received_at__lt=w.end)
        .annotate(day=TruncDate("received_at", tzinfo=SHANGHAI))
        .values("day").annotate(n=Count("pk")).order_by("day")
    )
    return [[r["day"].isoformat(), r["n"]] for r in rows]


def top_causes(w: ind.Window, scope: ind.Scope) -> list[list]:
    """Cause (原因类型/具体原因) of the complaints closed in the period, most frequent first."""
    rows = (
        Complaint.objects.filter(scope.q(), w.range("closed_at")).exclude(cause_detail="")
        .values("cause_type", "cause_detail").annotate(n=Count("pk")).order_by("-n", "cause_detail")[:TOP]
    )
    return [[r["cause_type"], r["cause_detail"], r["n"]] for r in rows]


def build(w: ind.Window, scope: ind.Scope, calendar) -> dict:
    """Everything a report holds (machine values)."""
    days = (w.last_day - w.first_day).days + 1
    # A day is compared with the average of the 7 days before it; a longer period with the
    # period of the same length just before it (上期).
    span = 7 if days == 1 else days
    before = ind.Window(w.start - dt.timedelta(days=span), w.start, w.as_of)
    current = ind.compute(w, scope)
    return {
        "summary": {name: _count(scope, q) for name, q in summary_q(w).items()},
        "indicators": _figures(current),
        "compare_basis": "average_7d" if days == 1 else "previous_period",
        "compare": _average(7 if days == 1 else 1, before, scope),
        "attention": {name: _cases(scope, q) for name, q in attention_q(w).items()},
        "top_categories": [[r.label, r.numerator] for r in bd.breakdown("intake", "category", w, scope)[:TOP]],
        "hot_areas": [[r.label, r.numerator] for r in bd.breakdown("intake", "area", w, scope)
                      if r.key != "none"][:TOP],
        "top_causes": top_causes(w, scope),
        "by_department": [[r.label, r.numerator] for r in bd.breakdown("intake", "department", w, scope)],
        "ageing": [[*bd.AGEING_BUCKETS[int(r.key)], r.numerator] for r in bd.ageing(calendar, w.as_of, scope)],
        "trend": trend(w, scope),
        "days": days,
    }
