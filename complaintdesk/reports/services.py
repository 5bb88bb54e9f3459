"""Writes of the reports app: generate (and keep) a report, the morning job, delivery.

A report is computed first (reads only), then inserted; the unique key (kind, period, scope) makes
a second worker's insert fail, and that worker returns the row the first one wrote — so the
morning job can run on any number of workers, any number of times, and leaves one report.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy, gettext_noop

from complaintdesk.core import clock
from complaintdesk.notifications.messages import compose
from complaintdesk.notifications.models import NotificationKind
from complaintdesk.notifications.services import notify
from complaintdesk.org.models import Department, DepartmentKind, Role, User
from complaintdesk.reports import contents
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.models import CENTRE, PeriodKind, Report
from complaintdesk.sla.calendar import SHANGHAI
from complaintdesk.sla.deadlines import get_calendar

log = logging.getLogger(__name__)


def period_of(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The day, the ISO week (Monday…Sunday) or the month that contains ``day``."""
    if kind == PeriodKind.DAY:
        return day, day
    if kind == PeriodKind.WEEK:
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if kind == PeriodKind.MONTH:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    raise ValueError(kind)


def _scope_key(department: Department | None) -> str:
    return CENTRE if department is None else str(department.pk)


def report_generate(
    *, kind: str, first_day: dt.date, last_day: dt.date, department: Department | None = None,
    actor: User | None = None, notify_readers: bool = True,
) -> tuple[Report, bool]:
    """The report of one period and scope: computed and kept once. Returns ``(report, created)``."""
    if kind not in PeriodKind.values:
        raise ValueError(kind)
    scope = _scope_key(department)
    existing = Report.objects.filter(kind=kind, first_day=first_day, last_day=last_day, scope=scope).first()
    if existing is not None:
        return existing, False
    now = clock.now()
    window = ind.Window.days(first_day, last_day, as_of=now)
    figures = contents.build(window, ind.Scope(department_id=department.pk if department else None), get_calendar())
    figures["department"] = {"code": department.code, "name": department.name} if department else None
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind, first_day=first_day, last_day=last_day, scope=scope, department=department,
                figures=figures, created_at=now, created_by=actor,
            )
            if notify_readers:
                _deliver(report)
    except IntegrityError:
        # Another worker inserted the same report between our look-up and our insert.
        return Report.objects.get(kind=kind, first_day=first_day, last_day=last_day, scope=scope), False
    return report, True


def readers_of(report: Report) -> set[int]:
    """The centre's report: managers and supervisors; a department's: managers and its head."""
    roles = [Role.MANAGER, Role.SUPERVISOR] if report.is_centre else [Role.MANAGER]
    readers = set(User.objects.filter(is_active=True, role__in=roles).values_list("pk", flat=True))
    if not report.is_centre and report.department.head_id:
        readers.add(report.department.head_id)
    return readers


def _deliver(report: Report) -> None:
    """In-app notice to each reader, rendered in the reader's language when read (e-mailed after
    commit by the notifications service)."""
    summary = report.figures["summary"]
    period = report.first_day.isoformat()
    if report.last_day != report.first_day:
        period = f"{period}—{report.last_day.isoformat()}"
    message = compose(
        gettext_noop("%(kind)s %(period)s（%(scope)s）：新受理 %(new)s，结案 %(closed)s，未结 %(open)s，"
                     "超时 %(breached)s，升级 %(escalated)s。"),
        kind=PeriodKind(report.kind).label, period=period,
        scope=report.department.name if report.department_id else gettext_lazy("全中心"),
        new=summary["new"], closed=summary["closed"], open=summary["still_open"],
        breached=summary["breached"], escalated=summary["escalated"],
    )
    notify(recipients=readers_of(report), kind=NotificationKind.REPORT_READY, text=message, key=f"report:{report.pk}")


def reports_generate_due(*, now: dt.datetime | None = None) -> list[Report]:
    """The morning job: once the configured time (default 08:00 Asia/Shanghai) has passed, make
    yesterday's 日报 — for the centre and each handling department — and on Mondays last week's
    周报, on the 1st last month's 月度分析. Safe to run every few minutes on every worker."""
    now = now or clock.now()
    local = now.astimezone(SHANGHAI)
    at = dt.time.fromisoformat(getattr(settings, "REPORTS_DAILY_AT", "08:00"))
    if local.time() < at:
        return []
    yesterday = local.date() - dt.timedelta(days=1)
    periods = [(PeriodKind.DAY, *period_of(PeriodKind.DAY, yesterday))]
    if local.weekday() == 0:
        periods.append((PeriodKind.WEEK, *period_of(PeriodKind.WEEK, yesterday)))
    if local.day == 1:
        periods.append((PeriodKind.MONTH, *period_of(PeriodKind.MONTH, yesterday)))
    departments = [None, *Department.objects.filter(kind=DepartmentKind.HANDLING, active=True).order_by("code")]
    made = []
    for kind, first, last in periods:
        for department in departments:
            report, created = report_generate(kind=kind, first_day=first, last_day=last, department=department)
            if created:
                made.append(report)
    return made
