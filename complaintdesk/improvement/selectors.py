"""Reads of the improvement app: top causes, recurring problems (热点问题), corrective actions.

Figures are database aggregates over ``received_at`` (indexed). Recurring problems are chosen in
the database — category × address prefix buckets with enough complaints in the period, at most
``MAX_BUCKETS`` buckets and ``MAX_PER_BUCKET`` newest complaints each — and only that bounded set
is clustered by text in Python (``grouping.cluster``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Substr, TruncMonth, TruncWeek
from django.utils import timezone

from complaintdesk.complaints.choices import CauseDetail, CauseType
from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.core import clock
from complaintdesk.improvement import grouping
from complaintdesk.improvement.choices import PENDING_STATUSES, ActionStatus
from complaintdesk.improvement.models import CorrectiveAction

MAX_BUCKETS = 30
MAX_PER_BUCKET = 100
MAX_PROBLEMS = 100  # the largest groups; a page of more helps nobody
_GROUPED_FIELDS = ("id", "number", "status", "subject", "description", "address", "received_at")
AFTER_FIX_LIMIT = 500
EXAMPLES = 3


def recurring_days() -> int:
    return int(getattr(settings, "IMPROVEMENT_RECURRING_DAYS", 30))


def recurring_min_size() -> int:
    return int(getattr(settings, "IMPROVEMENT_RECURRING_MIN_SIZE", 3))


def area_prefix_chars() -> int:
    return int(getattr(settings, "IMPROVEMENT_AREA_PREFIX_CHARS", 4))


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _period(qs: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    if date_from:
        qs = qs.filter(received_at__gte=local_day_start(date_from))
    if date_to:
        qs = qs.filter(received_at__lt=local_day_start(date_to + dt.timedelta(days=1)))
    return qs


# ---------------------------------------------------------------------------------------------
# Top causes (原因类型 / 具体原因 from the handling plan)

CAUSE_GROUPINGS = {"category": ("category_id", "category__name"), "department": ("department_id", "department__name")}


@dataclass
class CauseRow:
    group_id: int | None
    group_name: str
    cause_type: str
    cause_detail: str
    count: int

    @property
    def cause_type_label(self) -> str:
        return CauseType(self.cause_type).label if self.cause_type in CauseType.values else self.cause_type

    @property
    def cause_detail_label(self) -> str:
        return CauseDetail(self.cause_detail).label if self.cause_detail in CauseDetail.values else "—"


def cause_base(*, date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet:
    """Complaints whose handling plan recorded a cause type, received in the period."""
    return _period(Complaint.objects.exclude(cause_type=""), date_from, date_to)


def top_causes(
    *, by: str = "category", date_from: dt.date | None = None, date_to: dt.date | None = None, limit: int = 50
) -> list[CauseRow]:
    """Counts per (category or department, cause type, cause detail), largest first."""
    key, name = CAUSE_GROUPINGS[by]
    rows = (
        cause_base(date_from=date_from, date_to=date_to)
        .values(key, name, "cause_type", "cause_detail")
        .annotate(n=Count("id"))
        .order_by("-n", name, "cause_type", "cause_detail")[:limit]
    )
    return [
        CauseRow(group_id=r[key], group_name=r[name] or "", cause_type=r["cause_type"],
                 cause_detail=r["cause_detail"], count=r["n"])
        for r in rows
    ]


def cause_totals(*, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[CauseRow]:
    rows = (
        cause_base(date_from=date_from, date_to=date_to)
        .values("cause_type", "cause_detail")
        .annotate(n=Count("id"))
        .order_by("-n", "cause_type", "cause_detail")
    )
    return [CauseRow(None, "", r["cause_type"], r["cause_detail"], r["n"]) for r in rows]


@dataclass
class TrendTable:
    periods: list[dt.date]
    details: list[tuple[str, str]]  # (cause_detail value, label)
    cells: dict[tuple[dt.date, str], int]

    def rows(self) -> list[tuple[dt.date, list[int], int]]:
        out = []
        for p in self.periods:
            values = [self.cells.get((p, d), 0) for d, _label in self.details]
            out.append((p, values, sum(values)))
        return out


def cause_trend(
    *, period: str = "month", date_from: dt.date | None = None, date_to: dt.date | None = None
) -> TrendTable:
    """Counts per cause detail per week (Monday) or month, in Asia/Shanghai time."""
    tz = ZoneInfo(settings.TIME_ZONE)
    trunc = TruncWeek("received_at", tzinfo=tz) if period == "week" else TruncMonth("received_at", tzinfo=tz)
    rows = (
        cause_base(date_from=date_from, date_to=date_to)
        .annotate(p=trunc)
        .values("p", "cause_detail")
        .annotate(n=Count("id"))
        .order_by("p", "cause_detail")
    )
    cells: dict[tuple[dt.date, str], int] = {}
    for r in rows:
        start = r["p"].astimezone(tz).date() if isinstance(r["p"], dt.datetime) else r["p"]
        cells[(start, r["cause_detail"])] = cells.get((start, r["cause_detail"]), 0) + r["n"]
    periods = sorted({p for p, _d in cells})
    present = {d for _p, d in cells}
    details = [(value, label) for value, label in CauseDetail.choices if value in present]
    if "" in present:
        details.append(("", "—"))
    return TrendTable(periods=periods, details=details, cells=cells)


# ---------------------------------------------------------------------------------------------
# Recurring problems (热点问题)

_BUILDING = re.compile(r"^\s*(.*?(?:栋|号楼|幢|座))")


def building_of(address: str) -> str:
    """The building part of an address (「阳光花园3栋2单元 1201」 → 「阳光花园3栋」), else its first word."""
    address = (address or "").strip()
    found = _BUILDING.match(address)
    if found:
        return found.group(1)[:40]
    return address.split()[0][:40] if address else ""


def complaint_text(c) -> str:
    return f"{c.subject} {c.description}"


@dataclass(frozen=True)
class GroupedComplaint:
    """The few fields a hot-spot card shows: read as values, no model instances (thousands per page)."""

    pk: int
    number: str
    status: str
    subject: str
    description: str
    address: str
    received_at: dt.datetime


@dataclass
class RecurringProblem:
    category: Category
    area: str
    leader_text: str
    complaints: list[GroupedComplaint]
    open_action: CorrectiveAction | None = field(default=None)

    @property
    def count(self) -> int:
        return len(self.complaints)

    @property
    def examples(self) -> list[GroupedComplaint]:
        return self.complaints[:EXAMPLES]

    @property
    def first_at(self) -> dt.datetime:
        return min(c.received_at for c in self.complaints)

    @property
    def last_at(self) -> dt.datetime:
        return max(c.received_at for c in self.complaints)

    @property
    def ids(self) -> str:
        return ",".join(str(c.pk) for c in self.complaints)


def recurring_problem_list(*, days: int | None = None, min_size: int | None = None) -> list[RecurringProblem]:
    """Groups of at least ``min_size`` similar complaints of one category and building in the last
    ``days`` days, largest first. Three queries whatever the data."""
    days = days or recurring_days()
    min_size = min_size or recurring_min_size()
    since = clock.now() - dt.timedelta(days=days)
    chars = area_prefix_chars()
    window = Complaint.objects.filter(received_at__gte=since, category__isnull=False).annotate(
        prefix=Substr("address", 1, chars)
    )
    buckets = list(
        window.values("category_id", "prefix").annotate(n=Count("id")).filter(n__gte=min_size)
        .order_by("-n", "category_id", "prefix")[:MAX_BUCKETS]
    )
    if not buckets:
        return []
    in_buckets = Q()
    for b in buckets:
        in_buckets |= Q(category_id=b["category_id"], prefix=b["prefix"])
    rows = (
        window.filter(in_buckets)
        .annotate(rank=Window(RowNumber(), partition_by=[F("category_id"), F("prefix")],
                              order_by=[F("received_at").desc(), F("id").desc()]))
        .filter(rank__lte=MAX_PER_BUCKET)
        .order_by("category_id", "prefix", "-received_at", "-id")
        .values_list(*_GROUPED_FIELDS, "category_id", "category__code", "category__name")
    )
    sets: dict[tuple[int, str], list[GroupedComplaint]] = {}
    categories: dict[int, Category] = {}
    for *values, category_id, code, name in rows:
        item = GroupedComplaint(*values)
        if category_id not in categories:
            categories[category_id] = Category(pk=category_id, code=code, name=name)
        sets.setdefault((category_id, building_of(item.address)), []).append(item)
    problems = []
    for (category_id, area), items in sets.items():
        if len(items) < min_size:
            continue
        for found in grouping.cluster(items, text=complaint_text):
            if len(found.members) >= min_size:
                problems.append(RecurringProblem(category=categories[category_id], area=area,
                                                 leader_text=found.leader_text, complaints=found.members))
    problems.sort(key=lambda p: (-p.count, -p.last_at.timestamp()))
    problems = problems[:MAX_PROBLEMS]
    _attach_open_actions(problems)
    return problems


def _attach_open_actions(problems: list[RecurringProblem]) -> None:
    if not problems:
        return
    # Unfinished actions are few; match the (category, building) pairs here rather than in a long OR.
    actions = CorrectiveAction.objects.filter(
        category_id__in={p.category.pk for p in problems},
        area__in={p.area for p in problems},
        status__in=[*PENDING_STATUSES, ActionStatus.DONE],
    ).only("id", "number", "category_id", "area", "status")
    by_key = {(a.category_id, a.area): a for a in actions.order_by("-opened_at", "-id")}
    for p in problems:
        p.open_action = by_key.get((p.category.pk, p.area))


# ---------------------------------------------------------------------------------------------
# Corrective actions (整改单)

def local_today() -> dt.date:
    return timezone.localdate(clock.now())


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(status__in=PENDING_STATUSES, due_date__lt=today or local_today())


def visible_actions(user) -> QuerySet:
    qs = CorrectiveAction.objects.all()
    if not user.is_supervisor_or_above:
        qs = qs.filter(department_id=user.department_id) if user.department_id else qs.none()
    return qs


def corrective_action_list(
    *, user, status: str = "", department_id: int | None = None, overdue: bool = False, search: str = ""
) -> QuerySet:
    qs = visible_actions(user)
    if status == "pending":
        qs = qs.filter(status__in=PENDING_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if overdue:
        qs = qs.filter(overdue_q())
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(title__icontains=search))
    return (
        qs.select_related("department", "category")
        .annotate(n_complaints=Count("complaints"))
        .order_by("-opened_at", "-id")
    )


def corrective_action_counts(*, user=None, department_id: int | None = None) -> dict[str, int]:
    """Open (not yet done), overdue, done (awaiting verification) and verified — one query."""
    qs = visible_actions(user) if user is not None else CorrectiveAction.objects.all()
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.aggregate(
        open=Count("id", filter=Q(status__in=PENDING_STATUSES)),
        overdue=Count("id", filter=overdue_q()),
        done=Count("id", filter=Q(status=ActionStatus.DONE)),
        verified=Count("id", filter=Q(status=ActionStatus.VERIFIED)),
    )


def corrective_action_get(*, user, pk: int) -> CorrectiveAction:
    return (
        visible_actions(user)
        .select_related("department", "category", "opened_by", "completed_by", "verified_by")
        .get(pk=pk)
    )


def corrective_action_events(action: CorrectiveAction) -> QuerySet:
    return action.events.select_related("actor").order_by("created_at", "id")


def corrective_action_complaints(action: CorrectiveAction) -> QuerySet:
    return action.complaints.select_related("category", "department").order_by("-received_at")


def complaints_after_fix(action: CorrectiveAction, *, limit: int = AFTER_FIX_LIMIT) -> list[Complaint]:
    """Complaints matching the action's problem (same category, same building, similar text)
    received after it was completed; empty before completion. The database narrows by category,
    address prefix and time (bounded); the text comparison runs on that small set."""
    if action.completed_at is None or action.category_id is None:
        return []
    qs = Complaint.objects.filter(category_id=action.category_id, received_at__gt=action.completed_at)
    if action.area:
        qs = qs.filter(address__startswith=action.area)
    candidates = qs.only("id", "number", "status", "subject", "description", "address", "received_at").order_by(
        "received_at", "id"
    )[:limit]
    return [
        c for c in candidates
        if building_of(c.address) == action.area
        and (not action.match_text or grouping.matches(complaint_text(c), action.match_text))
    ]
