"""The indicators (指标), each defined once: what is counted, over which complaints, and which
timestamp puts a complaint in a period. ``docs/indicators.md`` is the same list for people.

An indicator is a numerator and a denominator, both sets of complaints described by ``Q``
conditions over indexed columns (or ``Exists`` on indexed event rows), so that

* :func:`compute` counts them with one aggregate query per *cohort* (the timestamp that puts a
  complaint in the period: received, closed, a call-back promise, a customer-facing text), and
* :func:`drill_q` gives the queue list exactly the complaints behind a figure — the same
  conditions, so the list count equals the figure.

Nothing here loads complaints into Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    EXEMPTIONS,
    ClosureReason,
    ContactKind,
    Dimension,
    EscalationLevel,
    EventType,
)
from complaintdesk.complaints.models import Category, Complaint, ContactLog, TimelineEvent
from complaintdesk.complaints.models.timeline import CUSTOMER_TEXT_EVENTS, LANGUAGE_EVENTS
from complaintdesk.core import clock
from complaintdesk.reports.models import CLOSED_DAY, RECEIVED_DAY, TEXT_DAY, Tally, TextTally
from complaintdesk.sla.calendar import SHANGHAI
from complaintdesk.sla.models import AlertStage, DeadlineAlert, DeadlineKind

# Cohorts: the timestamp that puts a complaint (or a text) in a period.
RECEIVED, CLOSED, CALLBACK, TEXTS = "received", "closed", "callback", "texts"
# Units: how the value is made from numerator and denominator.
RATE, COUNT, AMOUNT, PER_MILLE = "rate", "count", "amount", "per_mille"

SATISFIED_SCORE = 4  # 5-point scale: 4 满意, 5 非常满意
NOT_VISITED_CLOSURES = (ClosureReason.INVALID, *EXEMPTIONS)


@dataclass(frozen=True)
class Window:
    """A period ``[start, end)`` and the instant the figures are taken (deadlines not yet due at
    ``as_of`` are not counted as missed)."""

    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime

    @classmethod
    def days(cls, first: dt.date, last: dt.date, *, as_of: dt.datetime) -> Window:
        """Whole local (Asia/Shanghai) days ``first`` … ``last`` inclusive."""
        if last < first:
            raise ValueError("the period ends before it starts")
        return cls(day_start(first), day_start(last + dt.timedelta(days=1)), as_of)

    @property
    def first_day(self) -> dt.date:
        return self.start.astimezone(SHANGHAI).date()

    @property
    def last_day(self) -> dt.date:
        return (self.end.astimezone(SHANGHAI) - dt.timedelta(microseconds=1)).date()

    @property
    def due_end(self) -> dt.datetime:
        """Deadlines and promises count once they are due: before ``as_of`` and in the period."""
        return min(self.end, self.as_of)

    def range(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lt": self.end})


def area_expression():
    """The area of a complaint: its address up to the first space (intake stores "<building/address>
    <room>")."""
    space = StrIndex("address", Value(" "))
    return Case(
        When(address__contains=" ", then=Substr("address", 1, space - 1)),
        default=F("address"),
        output_field=CharField(),
    )


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Scope:
    """The dashboard's filters; the queue list applies the same ones (``complaint_list``)."""

    department_id: int | None = None
    category: str = ""
    channel: str = ""

    def q(self, prefix: str = "") -> Q:
        q = Q()
        if self.department_id:
            q &= Q(**{f"{prefix}department_id": self.department_id})
        if self.category:
            q &= Q(**{f"{prefix}category__code": self.category})
        if self.channel:
            q &= Q(**{f"{prefix}channel": self.channel})
        return q


ALL = Scope()

QFn = Callable[[Window], Q]


def _all(w: Window) -> Q:
    return Q()


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    cohort: str
    numerator: QFn
    denominator: QFn | None = None  # None: a plain count (or amount); the value is the numerator
    unit: str = RATE
    amount: str | None = None  # the summed column for AMOUNT
    section: str = "quality"
    # The numerator is a subset of the denominator (False for a rate per 1,000 of other things).
    nested: bool = True
    # The part of the denominator that the passing of time alone changes (a deadline falls due
    # with nobody acting); the running tallies count the rest and add this part when read.
    pending: QFn | None = None
    settled: Callable[[], Q] | None = None  # then denominator = settled() | pending(w)
    params: dict = field(default_factory=dict)


# -- cohorts ------------------------------------------------------------------------------------


def _promises_due(w: Window) -> Q:
    return Exists(
        ContactLog.objects.filter(
            complaint=OuterRef("pk"),
            kind=ContactKind.CALLBACK_PROMISED,
            promised_for__gte=w.start,
            promised_for__lt=w.due_end,
        )
    )


def _promise_missed(w: Window) -> Q:
    # The call-back sweep writes one breach alert per missed promise, due_at = the promised time.
    return Exists(
        DeadlineAlert.objects.filter(
            complaint=OuterRef("pk"),
            deadline=DeadlineKind.CALLBACK,
            stage=AlertStage.BREACH,
            due_at__gte=w.start,
            due_at__lt=w.due_end,
        )
    )


def cohort_q(cohort: str, w: Window) -> Q:
    """Which complaints a cohort holds for a window (complaint-level; TEXTS: complaints with a
    customer-facing text in the window)."""
    if cohort == RECEIVED:
        return w.range("received_at")
    if cohort == CLOSED:
        return w.range("closed_at")
    if cohort == CALLBACK:
        return _promises_due(w)
    if cohort == TEXTS:
        return Exists(customer_texts(w).filter(complaint=OuterRef("pk")))
    raise ValueError(cohort)


def customer_texts(w: Window) -> QuerySet[TimelineEvent]:
    return TimelineEvent.objects.filter(w.range("created_at"), type__in=[*CUSTOMER_TEXT_EVENTS, *LANGUAGE_EVENTS])


# -- the indicators ------------------------------------------------------------------------------


def _answer_settled() -> Q:
    """Answered: decided whenever it happened (the part of 24小时答复及时率's denominator that only
    an action changes, and so can be tallied)."""
    return Q(first_answer_due_at__isnull=False, first_answered_at__isnull=False)


def _answer_pending(w: Window) -> Q:
    """Not answered and already due at ``as_of``: decided by the passing of time alone."""
    return Q(first_answer_due_at__lt=w.as_of, first_answered_at__isnull=True)


def _answer_decided(w: Window) -> Q:
    return _answer_settled() | _answer_pending(w)


def _implement_settled() -> Q:
    return Q(implement_due_at__isnull=False, implemented_at__isnull=False)


def _implement_pending(w: Window) -> Q:
    return Q(implement_due_at__lt=w.as_of, implemented_at__isnull=True)


def _implement_decided(w: Window) -> Q:
    return _implement_settled() | _implement_pending(w)


def _valid_closed(w: Window) -> Q:
    return ~Q(closure_reason=ClosureReason.INVALID)


def _dimension_indicator(dimension: Dimension) -> Indicator:
    key = dimension.value
    return Indicator(
        f"satisfaction_{key}",
        _("满意率·%(dimension)s") % {"dimension": dimension.label},
        CLOSED,
        denominator=lambda w: Q(satisfaction_dimensions__has_key=key),
        numerator=lambda w: Q(**{f"satisfaction_dimensions__{key}__gte": SATISFIED_SCORE}),
        section="satisfaction",
        params={"dimension": key},
    )


def _escalated(level: EscalationLevel) -> Indicator:
    return Indicator(
        f"escalation_l{level.value}",
        _("升级率·至%(level)s") % {"level": level.label},
        RECEIVED,
        denominator=_all,
        numerator=lambda w: Q(escalation_level__gte=level.value),
        section="escalation",
    )


INDICATORS: tuple[Indicator, ...] = (
    Indicator("intake", _("受理量"), RECEIVED, numerator=_all, unit=COUNT, section="volume"),
    Indicator(
        "reply_24h", _("24小时答复及时率"), RECEIVED,
        denominator=_answer_decided,
        numerator=lambda w: Q(first_answered_at__lte=F("first_answer_due_at")),
        pending=_answer_pending,
        settled=_answer_settled,
        section="timeliness",
    ),
    Indicator(
        "complete_5wd", _("5个工作日办结及时率"), RECEIVED,
        denominator=_implement_decided,
        numerator=lambda w: Q(implemented_at__lte=F("implement_due_at")),
        pending=_implement_pending,
        settled=_implement_settled,
        section="timeliness",
    ),
    Indicator(
        "first_contact_resolution", _("首问解决率"), CLOSED,
        denominator=_valid_closed,
        numerator=lambda w: Q(resolved_by_first_owner=True),
    ),
    Indicator(
        "one_time_closure", _("一次办结率"), CLOSED,
        denominator=_valid_closed,
        numerator=lambda w: Q(reworked=False),
    ),
    Indicator(
        "invalid_rate", _("不成立率"), RECEIVED,
        denominator=lambda w: Q(is_valid__isnull=False),
        numerator=lambda w: Q(is_valid=False),
    ),
    Indicator(
        "handback_rate", _("退单率"), RECEIVED,
        denominator=lambda w: Q(dispatched_at__isnull=False),
        numerator=lambda w: Q(handed_back=True),
    ),
    Indicator(
        "escalation_rate", _("升级率"), RECEIVED,
        denominator=_all,
        numerator=lambda w: Q(escalation_level__gte=EscalationLevel.DEPARTMENT),
        section="escalation",
    ),
    *(_escalated(level) for level in (EscalationLevel.DEPARTMENT, EscalationLevel.SUPERVISOR,
                                      EscalationLevel.MANAGEMENT)),
    Indicator(
        "repeat_rate", _("重复投诉率"), RECEIVED,
        denominator=_all,
        numerator=lambda w: Q(repeat_of__isnull=False),
    ),
    Indicator(
        "breach_rate", _("超时率"), RECEIVED,
        denominator=_all,
        numerator=lambda w: Q(first_answer_breached=True) | Q(implement_breached=True),
        section="timeliness",
    ),
    Indicator(
        "callback_kept", _("约定回话履约率"), CALLBACK,
        denominator=_all,
        numerator=lambda w: ~_promise_missed(w),
        section="timeliness",
    ),
    Indicator(
        "callback_missed", _("约定回话未履约"), CALLBACK,
        numerator=_promise_missed,
        unit=COUNT,
        section="timeliness",
    ),
    Indicator(
        "visit_rate", _("回访率"), CLOSED,
        denominator=lambda w: ~Q(closure_reason__in=NOT_VISITED_CLOSURES),
        numerator=lambda w: Q(satisfaction__isnull=False),
        section="satisfaction",
    ),
    Indicator(
        "visit_satisfaction", _("回访满意率"), CLOSED,
        denominator=lambda w: Q(satisfaction__isnull=False),
        numerator=lambda w: Q(satisfaction__gte=SATISFIED_SCORE),
        section="satisfaction",
    ),
    *(_dimension_indicator(d) for d in Dimension),
    Indicator(
        "compensation", _("补偿金额(元)"), CLOSED,
        numerator=lambda w: Q(compensation_amount__gt=0),
        unit=AMOUNT,
        amount="compensation_amount",
        section="compensation",
    ),
    Indicator(
        "phrase_flagged", _("服务禁语提示(每千条客户文本)"), TEXTS,
        denominator=lambda w: Q(type__in=CUSTOMER_TEXT_EVENTS),
        numerator=lambda w: Q(type=EventType.LANGUAGE_FLAGGED),
        unit=PER_MILLE,
        nested=False,
        section="language",
    ),
    Indicator(
        "phrase_blocked", _("服务禁语拦截(每千条客户文本)"), TEXTS,
        denominator=lambda w: Q(type__in=CUSTOMER_TEXT_EVENTS),
        numerator=lambda w: Q(type=EventType.LANGUAGE_BLOCKED),
        unit=PER_MILLE,
        nested=False,
        section="language",
    ),
    Indicator(
        "phrase_overrides", _("服务禁语放行(每千条客户文本)"), TEXTS,
        denominator=lambda w: Q(type__in=CUSTOMER_TEXT_EVENTS),
        numerator=lambda w: Q(type=EventType.LANGUAGE_OVERRIDE),
        unit=PER_MILLE,
        nested=False,
        section="language",
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}
# The cohorts the running tallies keep, and their row's cohort letter.
TALLY_COHORT = {RECEIVED: RECEIVED_DAY, CLOSED: CLOSED_DAY}


@dataclass(frozen=True)
class Figure:
    numerator: int | float
    denominator: int | None
    value: float | int | None

    def as_dict(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


def value_of(indicator: Indicator, numerator, denominator) -> float | int | None:
    if indicator.unit == COUNT:
        return numerator
    if indicator.unit == AMOUNT:
        return numerator
    if not denominator:
        return None
    if indicator.unit == PER_MILLE:
        return round(numerator * 1000 / denominator, 2)
    return round(numerator / denominator, 4)


def money(value) -> float:
    return float((value or Decimal(0)).quantize(Decimal("0.01")))


# -- counting ------------------------------------------------------------------------------------


def aggregates_for(indicators, w: Window) -> dict:
    aggregates = {}
    for ind in indicators:
        den = ind.denominator(w) if ind.denominator else Q()
        num = (den & ind.numerator(w)) if ind.nested else ind.numerator(w)
        if ind.unit == AMOUNT:
            aggregates[f"{ind.code}__n"] = Sum(ind.amount, filter=num)
            aggregates[f"{ind.code}__d"] = Count("pk", filter=num)
        else:
            aggregates[f"{ind.code}__n"] = Count("pk", filter=num)
            if ind.denominator:
                aggregates[f"{ind.code}__d"] = Count("pk", filter=den)
    return aggregates


def cohort_queryset(cohort: str, w: Window, scope: Scope) -> QuerySet:
    """The rows one cohort's aggregate runs over; the WHERE uses an indexed range."""
    if cohort == TEXTS:
        return customer_texts(w).filter(scope.q("complaint__"))
    if cohort == CALLBACK:
        due = ContactLog.objects.filter(
            kind=ContactKind.CALLBACK_PROMISED, promised_for__gte=w.start, promised_for__lt=w.due_end
        ).values("complaint_id")
        return Complaint.objects.filter(scope.q(), pk__in=due)
    return Complaint.objects.filter(scope.q(), cohort_q(cohort, w))


def compute(w: Window, scope: Scope = ALL, codes: list[str] | None = None) -> dict[str, Figure]:
    """Every indicator (or ``codes``) for one window: one aggregate query per cohort (the received
    and closed cohorts from the running tallies when they can answer)."""
    chosen = [BY_CODE[c] for c in codes] if codes else list(INDICATORS)
    figures: dict[str, Figure] = {}
    if tally_usable(w):
        figures = tally_figures([i for i in chosen if i.cohort in TALLY_COHORT], w, scope)
        if text_tally_usable(scope):
            figures.update(tally_text_figures([i for i in chosen if i.cohort == TEXTS], w, scope))
    by_cohort: dict[str, list[Indicator]] = {}
    for ind in chosen:
        if ind.code in figures:
            continue
        by_cohort.setdefault(ind.cohort, []).append(ind)
    for cohort, indicators in by_cohort.items():
        if cohort == CALLBACK:
            figures.update(_callback_figures(indicators, w, scope))
            continue
        row = cohort_queryset(cohort, w, scope).aggregate(**aggregates_for(indicators, w))
        for ind in indicators:
            numerator = row[f"{ind.code}__n"]
            denominator = row.get(f"{ind.code}__d")
            if ind.unit == AMOUNT:
                numerator = money(numerator)
            figures[ind.code] = Figure(numerator, denominator, value_of(ind, numerator, denominator))
    return {ind.code: figures[ind.code] for ind in chosen}


# -- reading the running tallies --------------------------------------------------------------------------------------------


# Figures taken this long before "now" still count as taken now (a report takes seconds to build).
TALLY_AS_OF_SLACK = dt.timedelta(minutes=5)


def tally_usable(w: Window) -> bool:
    """The running tallies (``reports.tally``) answer for whole local days, taken now: they hold
    what has been done up to now, so figures as of an earlier instant are counted live."""
    if not getattr(settings, "REPORTS_TALLY", True):
        return False
    for edge in (w.start, w.end):
        local = edge.astimezone(SHANGHAI)
        if local.time() != dt.time.min:
            return False
    return w.as_of >= clock.now() - TALLY_AS_OF_SLACK


def tally_days(w: Window) -> tuple[dt.date, dt.date]:
    """The first and last local day of a window of whole days (the tallies' ``day`` range)."""
    return w.start.astimezone(SHANGHAI).date(), (w.end.astimezone(SHANGHAI) - dt.timedelta(days=1)).date()


def _tally_rows(w: Window, scope: Scope, cohort: str) -> QuerySet:
    first, last = tally_days(w)
    if cohort == TEXT_DAY:
        if not text_tally_usable(scope):
            raise ValueError("the text tallies have no category or channel")
        qs = TextTally.objects.filter(day__gte=first, day__lte=last)
        return qs.filter(department_id=scope.department_id) if scope.department_id else qs
    else:
        qs = Tally.objects.filter(cohort=cohort, day__gte=first, day__lte=last)
    if scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    if scope.category:
        qs = qs.filter(category_id__in=Category.objects.filter(code=scope.category).values("pk"))
    if scope.channel:
        qs = qs.filter(channel=scope.channel)
    return qs


def tally_sums(w: Window, scope: Scope, cohort: str, names: Iterable[str], by: str | None = None) -> list[dict]:
    """``SUM`` of the columns ``names`` over the window's rows (grouped by ``by``)."""
    qs = _tally_rows(w, scope, cohort)
    totals = {name: Sum(name) for name in names}
    if by is None:
        return [qs.aggregate(**totals)]
    return list(qs.values(by).annotate(**totals).order_by())


def tally_pending(indicators: list[Indicator], w: Window, scope: Scope) -> dict[str, int]:
    """The denominators' time-decided parts, counted live (few rows: partial indexes)."""
    chosen = [i for i in indicators if i.pending is not None]
    if not chosen:
        return {}
    base = Complaint.objects.filter(scope.q(), cohort_q(RECEIVED, w))
    # One count each: a plain AND lets PostgreSQL read the deadline's partial index
    # (complaint_answer_pending_idx, complaint_impl_pending_idx); an OR of the two did not (0.5 s at 10 M).
    return {i.code: base.filter(i.pending(w)).count() for i in chosen}


def tally_figures(indicators: list[Indicator], w: Window, scope: Scope) -> dict[str, Figure]:
    """The tallied indicators of one window: one query per cohort, plus one for the pending parts."""
    out: dict[str, Figure] = {}
    extra = tally_pending(indicators, w, scope)
    for cohort in (RECEIVED_DAY, CLOSED_DAY):
        chosen = [i for i in indicators if TALLY_COHORT.get(i.cohort) == cohort]
        if not chosen:
            continue
        names = [n for i in chosen for n in tally_columns(i)]
        row = tally_sums(w, scope, cohort, names)[0]
        for indicator in chosen:
            numerator, denominator = tally_pair(indicator, row)
            if indicator.pending is not None:
                denominator += extra.get(indicator.code, 0)
            if indicator.unit == AMOUNT:
                numerator = money(numerator)
            out[indicator.code] = Figure(numerator, denominator, value_of(indicator, numerator, denominator))
    return out


def text_tally_usable(scope: Scope) -> bool:
    """The text tallies are kept per department only: a category or channel filter counts live."""
    return not scope.category and not scope.channel


def tally_text_figures(indicators: list[Indicator], w: Window, scope: Scope) -> dict[str, Figure]:
    """The 服务用语质检 figures (per 1,000 customer-facing texts) from the text tallies: one query."""
    if not indicators:
        return {}
    row = tally_sums(w, scope, TEXT_DAY, ["texts", *(i.code for i in indicators)])[0]
    texts = row["texts"] or 0
    return {i.code: Figure(row[i.code] or 0, texts, value_of(i, row[i.code] or 0, texts)) for i in indicators}


def tally_columns(indicator: Indicator) -> list[str]:
    if indicator.unit != AMOUNT and indicator.denominator is None:
        return [indicator.code]
    return [f"{indicator.code}_n", f"{indicator.code}_d"]


def tally_pair(indicator: Indicator, row: dict) -> tuple:
    if indicator.unit == AMOUNT:
        return row[f"{indicator.code}_n"] or Decimal(0), row[f"{indicator.code}_d"] or 0
    if indicator.denominator is None:
        return row[indicator.code] or 0, None
    return row[f"{indicator.code}_n"] or 0, row[f"{indicator.code}_d"] or 0


def _callback_figures(indicators: list[Indicator], w: Window, scope: Scope) -> dict[str, Figure]:
    """约定回话: the complaints with a promise due in the window, and those of them with a missed
    promise in it — counted from the promises' and the alerts' own indexes (two distinct counts)
    instead of visiting each complaint (1.2 s for 124,000 promises a month at 10 M). The same
    complaints as ``cohort_q(CALLBACK)`` and ``_promise_missed``, which the drill-down lists."""
    promised = ContactLog.objects.filter(
        scope.q("complaint__"), kind=ContactKind.CALLBACK_PROMISED, promised_for__gte=w.start,
        promised_for__lt=w.due_end,
    ).values("complaint_id")
    due = promised.distinct().count()
    missed = (
        DeadlineAlert.objects.filter(deadline=DeadlineKind.CALLBACK, stage=AlertStage.BREACH, due_at__gte=w.start,
                                     due_at__lt=w.due_end, complaint_id__in=promised)
        .values("complaint_id").distinct().count()
    )
    out = {}
    for indicator in indicators:
        if indicator.code == "callback_kept":
            out[indicator.code] = Figure(due - missed, due, value_of(indicator, due - missed, due))
        elif indicator.code == "callback_missed":
            out[indicator.code] = Figure(missed, None, value_of(indicator, missed, None))
        else:
            raise ValueError(f"{indicator.code}: no call-back count for it")
    return out


NUMERATOR, DENOMINATOR = "num", "den"


def drill_q(code: str, part: str, w: Window) -> Q:
    """Exactly the complaints behind one figure (the scope filters are applied by the list)."""
    ind = BY_CODE[code]
    if ind.cohort == TEXTS:
        chosen = ind.numerator(w) if part == NUMERATOR else ind.denominator(w)
        return Exists(customer_texts(w).filter(chosen, complaint=OuterRef("pk")))
    q = cohort_q(ind.cohort, w)
    if ind.denominator:
        q &= ind.denominator(w)
    if part == NUMERATOR or not ind.denominator:
        q &= ind.numerator(w)
    return q
