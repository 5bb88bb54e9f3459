"""The working-day calendar (工作日历): pure Python, no database, no Django.

The State Council publishes each year's public holidays and 调休 make-up working days, so a
working day cannot be derived from the weekday. :class:`BusinessCalendar` takes that knowledge as
input — a mapping ``date -> is working day`` covering whole years — and answers deadline
questions in a fixed local time zone (Asia/Shanghai by default).

Model of time
-------------
Each working day contributes a *working period* of local time: ``[work_start, work_end)`` when
working hours are set, otherwise the whole day ``[00:00, 24:00)``. Non-working days contribute
nothing. Every instant ``t`` therefore has a position ``W(t)`` — the working time elapsed since the
calendar's first day — and all arithmetic is done on that position:

* ``working_time_between(a, b) = W(b) - W(a)`` (signed);
* ``add_working_hours(t, h)`` is the *earliest* instant ``u`` with ``W(u) = W(t) + h``; landing on
  a period boundary gives the end of the earlier working period (Monday 18:00, not Tuesday 09:00);
* ``add_working_days(t, n)`` keeps the local time of day: received Friday 15:00 + 5 working days
  = the 5th following working day at 15:00 (over a normal week: the next Friday 15:00). A start
  on a non-working day (or a holiday) counts from the next working day's start: received Saturday
  10:00 + 5 working days = the working day five after Monday, at 00:00 (or at ``work_start``) —
  i.e. the customer gets five whole working days. The result always falls on a working day and
  ``working_time_between(t, add_working_days(t, n))`` is exactly ``n`` working periods.

Positions are computed from a sorted array of working-day ordinals with :mod:`bisect`: no loop
over days, whatever the span. A computation that needs a day outside the known years raises
:class:`CalendarOutOfRange`, which names the last known year.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_DAY_US = 24 * 3600 * 1_000_000


class CalendarOutOfRange(ValueError):
    """A deadline computation ran past the years the calendar knows."""

    def __init__(self, needed: dt.date, first_year: int, last_year: int):
        self.needed = needed
        self.first_year = first_year
        self.last_year = last_year
        if needed.year > last_year:
            message = (
                f"the working-day calendar ends with year {last_year}; {needed.isoformat()} is beyond it "
                f"(add the {last_year + 1} holidays and make-up days)"
            )
        else:
            message = (
                f"the working-day calendar starts with year {first_year}; {needed.isoformat()} is before it"
            )
        super().__init__(message)


def _us(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


class BusinessCalendar:
    """Working days and working time of one calendar (see the module docstring for the model)."""

    def __init__(
        self,
        days: Mapping[dt.date, bool],
        *,
        tz: dt.tzinfo = SHANGHAI,
        work_start: dt.time | None = None,
        work_end: dt.time | None = None,
    ):
        if not days:
            raise ValueError("a business calendar needs at least one year of days")
        if (work_start is None) != (work_end is None):
            raise ValueError("set both work_start and work_end, or neither")
        if work_start is not None and work_end is not None and not work_start < work_end:
            raise ValueError("work_start must be before work_end")
        self.tz = tz
        self.work_start = work_start
        self.work_end = work_end
        self.first_year = min(days).year
        self.last_year = max(days).year
        self.first_day = dt.date(self.first_year, 1, 1)
        self.last_day = dt.date(self.last_year, 12, 31)
        # A date missing inside the known years falls back to the weekday rule (Mon–Fri).
        first, last = self.first_day.toordinal(), self.last_day.toordinal()
        self._working: list[int] = [
            o for o in range(first, last + 1) if days.get(d := dt.date.fromordinal(o), d.weekday() < 5)
        ]
        self._working_set = frozenset(self._working)
        self._start_us = _us(work_start) if work_start is not None else 0
        self._length_us = (_us(work_end) - self._start_us) if work_end is not None else _DAY_US

    # -- days ---------------------------------------------------------------------------------

    @property
    def working_day_length(self) -> dt.timedelta:
        return dt.timedelta(microseconds=self._length_us)

    def _check(self, d: dt.date) -> None:
        if not self.first_day <= d <= self.last_day:
            raise CalendarOutOfRange(d, self.first_year, self.last_year)

    def _day_at(self, index: int) -> dt.date:
        if index >= len(self._working):
            raise CalendarOutOfRange(self.last_day + dt.timedelta(days=1), self.first_year, self.last_year)
        return dt.date.fromordinal(self._working[index])

    def covers(self, d: dt.date) -> bool:
        return self.first_day <= d <= self.last_day

    def is_working_day(self, d: dt.date) -> bool:
        self._check(d)
        return d.toordinal() in self._working_set

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        return self.working_day_after(d, 1)

    def working_day_after(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day strictly after ``d`` (``n >= 1``)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        self._check(d)
        return self._day_at(bisect.bisect_right(self._working, d.toordinal()) + n - 1)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in ``(a, b]`` — how many working days after ``a`` ``b`` is (negative if before)."""
        self._check(a)
        self._check(b)
        ia = bisect.bisect_right(self._working, a.toordinal())
        ib = bisect.bisect_right(self._working, b.toordinal())
        return ib - ia

    # -- instants -----------------------------------------------------------------------------

    def local(self, t: dt.datetime) -> dt.datetime:
        if t.tzinfo is None:
            raise ValueError("business calendar arithmetic needs timezone-aware datetimes")
        return t.astimezone(self.tz)

    def _at(self, d: dt.date, us_of_day: int) -> dt.datetime:
        return dt.datetime.combine(d, dt.time(0), tzinfo=self.tz) + dt.timedelta(microseconds=us_of_day)

    def _position(self, t: dt.datetime) -> int:
        """``W(t)`` in microseconds."""
        lt = self.local(t)
        d = lt.date()
        self._check(d)
        o = d.toordinal()
        index = bisect.bisect_left(self._working, o)
        if index < len(self._working) and self._working[index] == o:
            into = _us(lt.time()) - self._start_us
            return index * self._length_us + min(max(into, 0), self._length_us)
        return index * self._length_us

    def _instant(self, position: int) -> dt.datetime:
        """The earliest instant at working-time ``position``."""
        index, rest = divmod(position, self._length_us)
        if rest == 0 and index > 0:
            return self._at(self._day_at(index - 1), self._start_us + self._length_us)
        return self._at(self._day_at(index), self._start_us + rest)

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from ``a`` to ``b``; negative when ``b`` is before ``a`` (e.g. overdue)."""
        return dt.timedelta(microseconds=self._position(b) - self._position(a))

    def add_working_hours(self, start: dt.datetime, hours: float | dt.timedelta) -> dt.datetime:
        """The earliest instant after ``hours`` of working time from ``start`` (local time zone)."""
        amount = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)
        if amount < dt.timedelta(0):
            raise ValueError("hours must not be negative")
        if not amount:
            return self.local(start)
        return self._instant(self._position(start) + amount // dt.timedelta(microseconds=1))

    def add_working_days(self, start: dt.datetime, n: int) -> dt.datetime:
        """``n`` working days after ``start`` at the same local time of day (module docstring)."""
        if n < 0:
            raise ValueError("n must not be negative")
        lt = self.local(start)
        d = lt.date()
        self._check(d)
        o = d.toordinal()
        index = bisect.bisect_left(self._working, o)
        if index < len(self._working) and self._working[index] == o:
            return self._at(self._day_at(index + n), _us(lt.time()))
        return self._at(self._day_at(index + n), self._start_us)

    def end_of_working_day(self, d: dt.date) -> dt.datetime:
        """The end of ``d``'s working period (``work_end``, or midnight ending the day)."""
        self._check(d)
        return self._at(d, self._start_us + self._length_us)
