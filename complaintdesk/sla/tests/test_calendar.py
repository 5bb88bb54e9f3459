"""The pure working-day calendar: fixed dates around 春节 and 国庆 2026, and properties."""

import datetime as dt
import subprocess
import sys

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from complaintdesk.sla.calendar import SHANGHAI, BusinessCalendar, CalendarOutOfRange
from complaintdesk.sla.tests.conftest import at, official_days

D = dt.date


def test_module_is_pure_python():
    code = (
        "import sys; import complaintdesk.sla.calendar; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not bad, bad; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


# -- 春节 2026: holiday Sun 15 – Mon 23 Feb; 调休 working Saturdays 14 and 28 Feb ------------------


def test_spring_festival_2026_matches_chinese_calendar(cal):
    for day in (D(2026, 2, 14), D(2026, 2, 28)):
        assert day.weekday() == 5 and cal.is_working_day(day) and chinese_calendar.is_workday(day)
    for offset in range(9):
        day = D(2026, 2, 15) + dt.timedelta(days=offset)
        assert not cal.is_working_day(day) and chinese_calendar.is_holiday(day)
    assert cal.is_working_day(D(2026, 2, 24))
    assert not cal.is_working_day(D(2026, 3, 1))  # an ordinary Sunday


def test_friday_before_spring_festival_plus_five_working_days(cal):
    # Fri 13 Feb 15:00 + 5: Sat 14 (调休), Tue 24, Wed 25, Thu 26, Fri 27 → 15:00 on Fri 27 Feb.
    assert cal.add_working_days(at(2026, 2, 13, 15), 5) == at(2026, 2, 27, 15)
    assert cal.working_time_between(at(2026, 2, 13, 15), at(2026, 2, 27, 15)) == dt.timedelta(days=5)


def test_received_during_holiday_counts_from_next_working_days_start(cal, office_cal):
    # Received on 初一 (Tue 17 Feb): counting starts Tue 24 Feb; five days are 24, 25, 26, 27, 28 Feb.
    assert cal.add_working_days(at(2026, 2, 17, 10, 30), 5) == at(2026, 3, 2, 0, 0)
    assert office_cal.add_working_days(at(2026, 2, 17, 10, 30), 5) == at(2026, 3, 2, 9, 0)
    assert cal.working_time_between(at(2026, 2, 17, 10, 30), at(2026, 3, 2)) == dt.timedelta(days=5)


def test_next_working_day_across_spring_festival(cal):
    assert cal.next_working_day(D(2026, 2, 13)) == D(2026, 2, 14)
    assert cal.next_working_day(D(2026, 2, 14)) == D(2026, 2, 24)
    assert cal.next_working_day(D(2026, 2, 27)) == D(2026, 2, 28)
    assert cal.next_working_day(D(2026, 2, 28)) == D(2026, 3, 2)
    assert cal.working_day_after(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_working_hours_across_spring_festival(cal, office_cal):
    assert cal.add_working_hours(at(2026, 2, 14, 15), 24) == at(2026, 2, 24, 15)
    # Office hours: Sat 14 Feb 16:00 + 4 h = 2 h that Saturday, 2 h after the holiday.
    assert office_cal.add_working_hours(at(2026, 2, 14, 16), 4) == at(2026, 2, 24, 11)
    # Landing on a boundary gives the end of the earlier day, not the next morning.
    assert office_cal.add_working_hours(at(2026, 2, 13, 9), 9) == at(2026, 2, 13, 18)
    assert office_cal.add_working_hours(at(2026, 2, 13, 16), 11) == at(2026, 2, 14, 18)


# -- 国庆 2026: 1–7 Oct off (with 中秋 25–27 Sep), 调休 working Sun 20 Sep and Sat 10 Oct -------------


def test_national_day_2026_matches_chinese_calendar(cal):
    for day in (D(2026, 9, 20), D(2026, 10, 10)):
        assert day.weekday() >= 5 and cal.is_working_day(day) and chinese_calendar.is_workday(day)
    for offset in range(7):
        day = D(2026, 10, 1) + dt.timedelta(days=offset)
        assert not cal.is_working_day(day) and chinese_calendar.is_holiday(day)
    for day in (D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)):
        assert not cal.is_working_day(day)


def test_national_day_deadlines(cal):
    # Wed 30 Sep 09:00 + 5: Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13 Oct.
    assert cal.add_working_days(at(2026, 9, 30, 9), 5) == at(2026, 10, 13, 9)
    assert cal.next_working_day(D(2026, 9, 30)) == D(2026, 10, 8)
    assert cal.next_working_day(D(2026, 10, 9)) == D(2026, 10, 10)
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal.add_working_hours(at(2026, 9, 30, 20), 24) == at(2026, 10, 8, 20)


def test_ordinary_week(cal):
    # Fri 15:00 + 5 working days in an ordinary week is the next Friday at 15:00.
    assert cal.add_working_days(at(2026, 11, 20, 15), 5) == at(2026, 11, 27, 15)
    assert cal.add_working_days(at(2026, 11, 20, 15), 0) == at(2026, 11, 20, 15)


def test_results_are_in_the_calendars_time_zone(cal):
    utc_start = dt.datetime(2026, 11, 20, 7, tzinfo=dt.UTC)  # 15:00 in Shanghai
    result = cal.add_working_days(utc_start, 5)
    assert result.utcoffset() == dt.timedelta(hours=8) and result == at(2026, 11, 27, 15)


# -- range and input errors -------------------------------------------------------------------


def test_running_past_the_last_year_names_it(cal):
    with pytest.raises(CalendarOutOfRange, match="2026") as info:
        cal.add_working_days(at(2026, 12, 28, 10), 5)
    assert info.value.last_year == 2026 and info.value.needed.year == 2027
    with pytest.raises(CalendarOutOfRange):
        cal.is_working_day(D(2027, 1, 4))
    with pytest.raises(CalendarOutOfRange):
        cal.next_working_day(D(2026, 12, 31))
    with pytest.raises(CalendarOutOfRange, match="starts with year 2024"):
        cal.is_working_day(D(2023, 12, 29))
    assert isinstance(info.value, ValueError)


def test_last_days_of_the_calendar_still_work(cal):
    assert cal.add_working_days(at(2026, 12, 24, 10), 5) == at(2026, 12, 31, 10)
    assert cal.last_day == D(2026, 12, 31) and cal.first_year == 2024


def test_invalid_inputs():
    days = official_days(2026, 2026)
    with pytest.raises(ValueError):
        BusinessCalendar({})
    with pytest.raises(ValueError):
        BusinessCalendar(days, work_start=dt.time(9))
    with pytest.raises(ValueError):
        BusinessCalendar(days, work_start=dt.time(18), work_end=dt.time(9))
    cal = BusinessCalendar(days)
    with pytest.raises(ValueError):
        cal.add_working_days(dt.datetime(2026, 3, 2, 9), 1)  # naive
    with pytest.raises(ValueError):
        cal.add_working_days(at(2026, 3, 2, 9), -1)
    with pytest.raises(ValueError):
        cal.add_working_hours(at(2026, 3, 2, 9), -1)


def test_missing_dates_fall_back_to_weekdays():
    cal = BusinessCalendar({D(2026, 1, 1): False, D(2026, 12, 31): True})
    assert not cal.is_working_day(D(2026, 1, 1))
    assert cal.is_working_day(D(2026, 2, 16)) and not cal.is_working_day(D(2026, 2, 15))


def test_no_day_by_day_loop_over_long_spans(cal):
    # Thousands of computations over the whole range stay fast (bisect, not iteration).
    import time

    start = time.perf_counter()
    for _ in range(2000):
        cal.add_working_days(at(2024, 1, 2, 9), 700)
        cal.working_time_between(at(2024, 1, 2, 9), at(2026, 12, 30, 9))
    assert time.perf_counter() - start < 1.0


# -- properties ---------------------------------------------------------------------------------

CALENDARS = {
    "24h": BusinessCalendar(official_days()),
    "office": BusinessCalendar(official_days(), work_start=dt.time(9), work_end=dt.time(17, 30)),
}
instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2026, 6, 30, 23, 59, 59),
    timezones=st.just(SHANGHAI),
)
calendars = st.sampled_from(sorted(CALENDARS))
hours = st.integers(min_value=0, max_value=400 * 3600).map(lambda s: dt.timedelta(seconds=s))


@settings(max_examples=300, deadline=None)
@given(calendars, instants, st.integers(min_value=0, max_value=100))
def test_add_working_days_lands_on_a_working_day_and_measures_back(name, start, n):
    cal = CALENDARS[name]
    result = cal.add_working_days(start, n)
    assert result >= start
    assert cal.is_working_day(result.date())
    assert cal.working_time_between(start, result) == n * cal.working_day_length
    day = cal.local(start).date()
    # From a working day the result is the n-th following one; from a day off, counting starts on
    # the next working day (which is the 1st following), so the result is the (n+1)-th.
    assert cal.working_days_between(day, result.date()) == n + (0 if cal.is_working_day(day) else 1)


@settings(max_examples=300, deadline=None)
@given(calendars, instants, hours)
def test_add_working_hours_measures_back_and_is_the_earliest_instant(name, start, amount):
    cal = CALENDARS[name]
    result = cal.add_working_hours(start, amount)
    assert cal.working_time_between(start, result) == amount
    if amount:
        assert cal.working_time_between(start, result - dt.timedelta(microseconds=1)) < amount
        # The end of a working period is on a working day (or the midnight that closes one).
        last_moment = result - dt.timedelta(microseconds=1)
        assert cal.is_working_day(last_moment.date())


@settings(max_examples=300, deadline=None)
@given(calendars, instants, instants, hours)
def test_monotonic(name, a, b, amount):
    cal = CALENDARS[name]
    a, b = min(a, b), max(a, b)
    assert cal.add_working_hours(a, amount) <= cal.add_working_hours(b, amount)
    assert cal.add_working_days(a, 3) <= cal.add_working_days(b, 3)
    assert cal.working_time_between(a, b) >= dt.timedelta(0)


@settings(max_examples=300, deadline=None)
@given(calendars, instants, hours, hours)
def test_adding_is_additive(name, start, h1, h2):
    cal = CALENDARS[name]
    assume(h1 > dt.timedelta(0))
    assert cal.add_working_hours(cal.add_working_hours(start, h1), h2) == cal.add_working_hours(
        start, h1 + h2
    )


@settings(max_examples=200, deadline=None)
@given(calendars, instants, instants, instants)
def test_between_is_antisymmetric_and_chains(name, a, b, c):
    cal = CALENDARS[name]
    assert cal.working_time_between(a, b) == -cal.working_time_between(b, a)
    assert cal.working_time_between(a, b) + cal.working_time_between(b, c) == cal.working_time_between(a, c)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 20)))
def test_next_working_day_agrees_with_chinese_calendar(day):
    cal = CALENDARS["24h"]
    following = cal.next_working_day(day)
    assert following > day and chinese_calendar.is_workday(following)
    between = day + dt.timedelta(days=1)
    while between < following:
        assert not chinese_calendar.is_workday(between)
        between += dt.timedelta(days=1)
