"""Deadlines of a complaint, computed from the admin's policies and the database calendar.

Services call these at intake (first answer), dispatch (implementation) and receipt acceptance
(return visit) and store the result on the complaint, so that sweeps are plain indexed queries.

Conventions (SPEC §4):

* first answer — ``first_answer_hours`` *calendar* hours after receipt ("24 小时内答复"); when the
  policy says ``first_answer_in_working_time`` the hours are working time instead (24 h of each
  working day — no office hours are configured, a service centre answers the phone all day);
* implementation — ``implement_working_days`` working days after ``start`` at the same time of day
  (:meth:`BusinessCalendar.add_working_days`: Friday 15:00 + 5 = the 5th following working day 15:00);
* return visit — by the end of the service centre's day (``SLA_VISIT_DAY_END``, default 18:00 local)
  on the ``visit_working_days``-th working day after the day handling finished ("next working day").

Past the calendar's last year every function raises a translated
:class:`~complaintdesk.core.errors.ValidationFailed` on ``deadline`` — the admin must add the
next year's holidays (the daily sweep warns 60 days ahead).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.sla.calendar import SHANGHAI, BusinessCalendar, CalendarOutOfRange

log = logging.getLogger(__name__)

# How often (seconds) a process re-reads the calendar's fingerprint to notice edits made by other
# processes; edits in this process (admin, seeding) invalidate at once through signals.
_RECHECK_SECONDS = 5.0


@dataclass(frozen=True)
class Policy:
    """The time limits that apply to one complaint (an :class:`SlaPolicy` row or the built-in default)."""

    first_answer_hours: int = 24
    first_answer_in_working_time: bool = False
    implement_working_days: int = 5
    visit_working_days: int = 1
    warning_lead_hours: int = 4
    progress_update_interval_days: int = 3
    pause_statuses: tuple[str, ...] = field(default_factory=tuple)
    policy_id: int | None = None


DEFAULT_POLICY = Policy()


# -- the calendar, cached per process ----------------------------------------------------------


class _CalendarCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calendar: BusinessCalendar | None = None
        self.fingerprint: tuple | None = None
        self.checked_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.calendar = None
            self.fingerprint = None
            self.checked_at = 0.0


_cache = _CalendarCache()


def _fingerprint() -> tuple:
    from complaintdesk.sla.models import CalendarDay

    agg = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def builtin_days() -> dict[dt.date, bool]:
    """Every date of the years ``chinese_calendar`` knows, as ``date -> is working day``."""
    import chinese_calendar

    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    day, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    days = {}
    while day <= end:
        days[day] = chinese_calendar.is_workday(day)
        day += dt.timedelta(days=1)
    return days


def _load() -> BusinessCalendar:
    from complaintdesk.sla.models import CalendarDay

    days = dict(CalendarDay.objects.values_list("date", "is_working_day"))
    if not days:
        # A fresh database before `manage.py seed_calendar`: use the same data the seed would write.
        log.warning("no CalendarDay rows; using the built-in chinese_calendar data (run seed_calendar)")
        days = builtin_days()
    return BusinessCalendar(days, tz=SHANGHAI)


def get_calendar() -> BusinessCalendar:
    """The working-day calendar from the database, cached in this process."""
    with _cache.lock:
        now = time.monotonic()
        if _cache.calendar is not None and now - _cache.checked_at < _RECHECK_SECONDS:
            return _cache.calendar
        fingerprint = _fingerprint()
        if _cache.calendar is None or fingerprint != _cache.fingerprint:
            _cache.calendar = _load()
            _cache.fingerprint = fingerprint
        _cache.checked_at = now
        return _cache.calendar


def invalidate_calendar() -> None:
    _cache.clear()


# -- policies ----------------------------------------------------------------------------------


def policy_for(category_id: int | None, priority: str | None) -> Policy:
    """The most specific active policy: category+priority > category > priority > default."""
    from complaintdesk.sla.models import SlaPolicy

    rows = SlaPolicy.objects.filter(active=True).filter(
        Q(category_id=category_id) | Q(category__isnull=True) if category_id else Q(category__isnull=True),
        Q(priority=priority) | Q(priority="") if priority else Q(priority=""),
    )
    best = max(rows, key=lambda p: (p.specificity, -p.id), default=None)
    if best is None:
        return DEFAULT_POLICY
    return Policy(
        first_answer_hours=best.first_answer_hours,
        first_answer_in_working_time=best.first_answer_in_working_time,
        implement_working_days=best.implement_working_days,
        visit_working_days=best.visit_working_days,
        warning_lead_hours=best.warning_lead_hours,
        progress_update_interval_days=best.progress_update_interval_days,
        pause_statuses=tuple(best.pause_statuses or ()),
        policy_id=best.id,
    )


# -- deadlines ---------------------------------------------------------------------------------


def _out_of_range(exc: CalendarOutOfRange) -> ValidationFailed:
    return ValidationFailed(
        {
            "deadline": [
                _(
                    "工作日历只维护到 %(year)s 年，无法计算 %(date)s 之后的时限，请管理员补充 %(next)s 年的节假日安排。"
                )
                % {"year": exc.last_year, "date": f"{exc.last_year}-12-31", "next": exc.last_year + 1}
                if exc.needed.year > exc.last_year
                else _("工作日历从 %(year)s 年开始，无法计算更早的时限。") % {"year": exc.first_year}
            ]
        }
    )


def first_answer_due(
    *, received_at: dt.datetime, category_id: int | None, priority: str | None, policy: Policy | None = None
) -> dt.datetime:
    """``policy``: ``policy_for(category_id, priority)`` when the caller has it already."""
    policy = policy or policy_for(category_id, priority)
    if not policy.first_answer_in_working_time:
        return received_at + dt.timedelta(hours=policy.first_answer_hours)
    try:
        return get_calendar().add_working_hours(received_at, policy.first_answer_hours)
    except CalendarOutOfRange as exc:
        raise _out_of_range(exc) from exc


def implement_due(*, start: dt.datetime, category_id: int | None, priority: str | None) -> dt.datetime:
    policy = policy_for(category_id, priority)
    try:
        return get_calendar().add_working_days(start, policy.implement_working_days)
    except CalendarOutOfRange as exc:
        raise _out_of_range(exc) from exc


def progress_update_due(*, since: dt.datetime, category_id: int | None, priority: str | None,
                        policy: Policy | None = None) -> dt.datetime | None:
    """When a customer whose case is open since ``since`` is next owed a progress update (004
    §七.11); ``None`` when the calendar ends before it (logged). ``policy`` as for ``first_answer_due``."""
    policy = policy or policy_for(category_id, priority)
    try:
        return get_calendar().add_working_days(since, max(policy.progress_update_interval_days, 1))
    except ValueError:
        log.warning("the calendar ends before the progress update due %s working days after %s",
                    policy.progress_update_interval_days, since)
        return None


def visit_day_end() -> dt.time:
    return dt.time.fromisoformat(getattr(settings, "SLA_VISIT_DAY_END", "18:00"))


def visit_due(
    *, handled_at: dt.datetime, category_id: int | None = None, priority: str | None = None
) -> dt.datetime:
    """End of the service centre's day on the next working day after ``handled_at`` (see module doc)."""
    policy = policy_for(category_id, priority)
    calendar = get_calendar()
    try:
        day = calendar.working_day_after(calendar.local(handled_at).date(), max(policy.visit_working_days, 1))
    except CalendarOutOfRange as exc:
        raise _out_of_range(exc) from exc
    return dt.datetime.combine(day, visit_day_end(), tzinfo=calendar.tz)


def working_time_left(due_at: dt.datetime, now: dt.datetime) -> dt.timedelta:
    """Signed working time from ``now`` to ``due_at`` — for a live clock on a page."""
    try:
        return get_calendar().working_time_between(now, due_at)
    except CalendarOutOfRange as exc:
        raise _out_of_range(exc) from exc
