"""Seeding the database calendar from ``chinese_calendar`` (the State Council arrangements).

Idempotent: rows already equal are left alone, rows from ``chinese_calendar`` or provisional rows
are corrected, and rows an admin edited (``source="admin"``) are never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from complaintdesk.core import clock
from complaintdesk.sla.deadlines import invalidate_calendar
from complaintdesk.sla.models import CalendarDay, DayKind, DaySource

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_admin: int = 0


def official_years() -> tuple[int, int]:
    import chinese_calendar

    return min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year


def describe(day: dt.date) -> tuple[bool, str, str]:
    """``(is_working_day, kind, name)`` of ``day`` per chinese_calendar."""
    import chinese_calendar

    name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day)
    working = chinese_calendar.is_workday(day)
    weekend = day.weekday() >= 5
    if working:
        kind = DayKind.MAKEUP if weekend else DayKind.WORKDAY
        name = name if weekend else None
    elif day in chinese_calendar.holidays:
        kind = DayKind.HOLIDAY
    else:
        kind, name = DayKind.WEEKEND, None
    return working, kind, HOLIDAY_NAMES.get(name or "", name or "")


def _year_days(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def _apply(wanted: dict[dt.date, tuple[bool, str, str, str]], *, overwrite: set[str]) -> SeedResult:
    result = SeedResult()
    now = clock.now()
    with transaction.atomic():
        existing = {d.date: d for d in CalendarDay.objects.filter(date__in=list(wanted)).select_for_update()}
        create, update = [], []
        for day, (working, kind, name, source) in wanted.items():
            row = existing.get(day)
            if row is None:
                create.append(
                    CalendarDay(
                        date=day, is_working_day=working, kind=kind, name=name, source=source, updated_at=now
                    )
                )
            elif row.source not in overwrite:
                result.kept_admin += 1
            elif (row.is_working_day, row.kind, row.name, row.source) == (working, kind, name, source):
                result.unchanged += 1
            else:
                row.is_working_day, row.kind, row.name, row.source, row.updated_at = (
                    working,
                    kind,
                    name,
                    source,
                    now,
                )
                update.append(row)
        CalendarDay.objects.bulk_create(create, batch_size=1000)
        CalendarDay.objects.bulk_update(
            update, ["is_working_day", "kind", "name", "source", "updated_at"], batch_size=1000
        )
        result.created, result.updated = len(create), len(update)
    invalidate_calendar()
    return result


def seed_official(years: list[int] | None = None) -> SeedResult:
    """Write every date of ``years`` (default: all chinese_calendar knows); keep admin edits."""
    first, last = official_years()
    wanted = {}
    for year in years or range(first, last + 1):
        if not first <= year <= last:
            raise ValueError(f"chinese_calendar has no data for {year} (only {first}–{last})")
        for day in _year_days(year):
            wanted[day] = (*describe(day), DaySource.CHINESE_CALENDAR)
    return _apply(wanted, overwrite={DaySource.CHINESE_CALENDAR, DaySource.PROVISIONAL})


def seed_provisional(year: int) -> SeedResult:
    """Fill ``year`` by the weekday rule only, until the official arrangement is published.

    Provisional rows are replaced by the official ones on the next seed; existing official or
    admin rows are kept.
    """
    wanted = {}
    for day in _year_days(year):
        weekend = day.weekday() >= 5
        wanted[day] = (
            not weekend,
            DayKind.WEEKEND if weekend else DayKind.WORKDAY,
            "",
            DaySource.PROVISIONAL,
        )
    return _apply(wanted, overwrite={DaySource.PROVISIONAL})
