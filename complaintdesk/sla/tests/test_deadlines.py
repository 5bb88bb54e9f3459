"""Deadlines from the database calendar and the admin's policies."""

import datetime as dt

import pytest
from django.core.management import call_command

from complaintdesk.complaints.choices import Priority
from complaintdesk.complaints.models import Category
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.sla import deadlines
from complaintdesk.sla.deadlines import (
    DEFAULT_POLICY,
    first_answer_due,
    get_calendar,
    implement_due,
    policy_for,
    visit_due,
    working_time_left,
)
from complaintdesk.sla.models import CalendarDay, DayKind, DaySource, SlaPolicy
from complaintdesk.sla.seeding import seed_official
from complaintdesk.sla.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_official([2025, 2026])


@pytest.fixture
def categories():
    return (
        Category.objects.create(code="quality", name="产品质量"),
        Category.objects.create(code="attitude", name="服务态度"),
    )


def test_default_policy_when_table_is_empty():
    assert policy_for(None, Priority.NORMAL) == DEFAULT_POLICY
    assert DEFAULT_POLICY.first_answer_hours == 24 and DEFAULT_POLICY.implement_working_days == 5


def test_most_specific_active_policy_wins(categories):
    quality, attitude = categories
    default = SlaPolicy.objects.create(first_answer_hours=24)
    urgent = SlaPolicy.objects.create(priority=Priority.URGENT, first_answer_hours=4)
    by_category = SlaPolicy.objects.create(category=quality, implement_working_days=3)
    both = SlaPolicy.objects.create(category=quality, priority=Priority.URGENT, first_answer_hours=2)
    SlaPolicy.objects.create(category=attitude, priority=Priority.HIGH, first_answer_hours=1, active=False)

    assert policy_for(quality.id, Priority.URGENT).policy_id == both.id
    assert policy_for(quality.id, Priority.NORMAL).policy_id == by_category.id
    assert policy_for(attitude.id, Priority.URGENT).policy_id == urgent.id
    assert policy_for(attitude.id, Priority.HIGH).policy_id == default.id  # the specific one is inactive
    assert policy_for(None, "").policy_id == default.id
    assert policy_for(quality.id, Priority.URGENT).first_answer_hours == 2


def test_first_answer_is_24_calendar_hours_by_default(seeded):
    # SPEC §4: "within 24 hours" — calendar hours, even over the Spring Festival.
    assert first_answer_due(received_at=at(2026, 2, 14, 15), category_id=None, priority="normal") == at(
        2026, 2, 15, 15
    )


def test_first_answer_in_working_time(seeded, categories):
    SlaPolicy.objects.create(category=categories[0], first_answer_hours=24, first_answer_in_working_time=True)
    due = first_answer_due(received_at=at(2026, 2, 14, 15), category_id=categories[0].id, priority="normal")
    assert due == at(2026, 2, 24, 15)


def test_implement_due_uses_working_days_and_policy(seeded, categories):
    assert implement_due(start=at(2026, 2, 13, 15), category_id=None, priority="normal") == at(
        2026, 2, 27, 15
    )
    SlaPolicy.objects.create(priority=Priority.URGENT, implement_working_days=2)
    assert implement_due(start=at(2026, 2, 13, 15), category_id=None, priority="urgent") == at(
        2026, 2, 24, 15
    )


def test_visit_due_is_end_of_next_working_day(seeded):
    assert visit_due(handled_at=at(2026, 9, 30, 16)) == at(2026, 10, 8, 18)
    assert visit_due(handled_at=at(2026, 10, 9, 23, 30)) == at(2026, 10, 10, 18)  # 调休 Saturday
    # Handled at 01:00 Shanghai = 17:00 UTC the day before: local date counts.
    assert visit_due(handled_at=dt.datetime(2026, 11, 19, 17, tzinfo=dt.UTC)) == at(2026, 11, 23, 18)


def test_visit_due_respects_setting(seeded, settings):
    settings.SLA_VISIT_DAY_END = "17:30"
    assert visit_due(handled_at=at(2026, 11, 20, 9)) == at(2026, 11, 23, 17, 30)


def test_past_the_calendar_is_a_translated_validation_error(seeded):
    with pytest.raises(ValidationFailed) as info:
        implement_due(start=at(2026, 12, 28, 9), category_id=None, priority="normal")
    assert "deadline" in info.value.errors
    assert "2026" in info.value.errors["deadline"][0] and "2027" in info.value.errors["deadline"][0]
    with pytest.raises(ValidationFailed):
        visit_due(handled_at=at(2026, 12, 31, 10))


def test_admin_edit_invalidates_the_cached_calendar(seeded):
    assert implement_due(start=at(2026, 11, 20, 15), category_id=None, priority="normal") == at(
        2026, 11, 27, 15
    )
    day = CalendarDay.objects.get(date=dt.date(2026, 11, 23))
    day.is_working_day, day.kind, day.name, day.source = False, DayKind.HOLIDAY, "停电检修", DaySource.ADMIN
    day.save()
    assert not get_calendar().is_working_day(dt.date(2026, 11, 23))
    assert implement_due(start=at(2026, 11, 20, 15), category_id=None, priority="normal") == at(
        2026, 11, 30, 15
    )


def test_edits_by_another_process_are_noticed_by_fingerprint(seeded, monkeypatch):
    assert get_calendar().is_working_day(dt.date(2026, 11, 24))
    # A bulk update fires no signal (like an edit in another process); the fingerprint catches it.
    CalendarDay.objects.filter(date=dt.date(2026, 11, 24)).update(
        is_working_day=False, updated_at=at(2030, 1, 1)
    )
    assert get_calendar().is_working_day(dt.date(2026, 11, 24))  # still cached
    monkeypatch.setattr(deadlines, "_RECHECK_SECONDS", 0.0)
    assert not get_calendar().is_working_day(dt.date(2026, 11, 24))


def test_empty_table_falls_back_to_builtin_data():
    assert not CalendarDay.objects.exists()
    cal = get_calendar()
    assert cal.is_working_day(dt.date(2026, 2, 28)) and not cal.is_working_day(dt.date(2026, 10, 1))


def test_working_time_left(seeded):
    assert working_time_left(at(2026, 10, 8, 12), at(2026, 9, 30, 12)) == dt.timedelta(hours=24)
    assert working_time_left(at(2026, 9, 30, 12), at(2026, 10, 8, 12)) == -dt.timedelta(hours=24)


def test_seed_command_is_idempotent_and_keeps_admin_edits(capsys):
    call_command("seed_calendar", "--year", "2026")
    assert CalendarDay.objects.count() == 365
    spring = CalendarDay.objects.get(date=dt.date(2026, 2, 17))
    assert (spring.kind, spring.name, spring.is_working_day) == (DayKind.HOLIDAY, "春节", False)
    makeup = CalendarDay.objects.get(date=dt.date(2026, 2, 28))
    assert (makeup.kind, makeup.name, makeup.is_working_day) == (DayKind.MAKEUP, "春节", True)
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 10)).name == "国庆节"
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 1)).kind == DayKind.WEEKEND

    CalendarDay.objects.filter(date=dt.date(2026, 3, 2)).update(
        is_working_day=False, kind=DayKind.HOLIDAY, name="公司假日", source=DaySource.ADMIN
    )
    CalendarDay.objects.filter(date=dt.date(2026, 3, 3)).update(is_working_day=False)  # drifted, not admin
    capsys.readouterr()
    call_command("seed_calendar", "--year", "2026")
    assert "0 created, 1 updated, 363 unchanged, 1 admin edits kept" in capsys.readouterr().out
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 2)).name == "公司假日"
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 3)).is_working_day


def test_seed_all_known_years():
    result = seed_official()
    assert CalendarDay.objects.filter(date__year=2004).count() == 366
    assert result.created == CalendarDay.objects.count()
    assert CalendarDay.objects.order_by("-date").first().date == dt.date(2026, 12, 31)


def test_provisional_year_is_replaced_by_official_data(capsys):
    call_command("seed_calendar", "--provisional", "2026")
    assert CalendarDay.objects.get(date=dt.date(2026, 2, 17)).is_working_day  # weekday rule only
    call_command("seed_calendar", "--year", "2026")
    day = CalendarDay.objects.get(date=dt.date(2026, 2, 17))
    assert not day.is_working_day and day.source == DaySource.CHINESE_CALENDAR


def test_seed_unknown_year_is_an_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no data for 2031"):
        call_command("seed_calendar", "--year", "2031")
