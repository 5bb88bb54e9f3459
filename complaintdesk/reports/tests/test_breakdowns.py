"""Splits, ageing in working days (across 国庆) and the phrase figures, against hand counts."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.reports import breakdowns as bd
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.tests.fixtures import complaint, event, local
from complaintdesk.reports.tests.test_indicators import AS_OF, DAY, facts  # noqa: F401
from complaintdesk.sla.deadlines import get_calendar


def _rows(rows):
    return {(r.label, r.numerator, r.denominator) for r in rows}


def test_intake_by_channel_department_hour_and_area(facts, org):  # noqa: F811
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    assert _rows(bd.breakdown("intake", "channel", window)) == {("来电", 2, None), ("在线/自助", 1, None),
                                                                ("来访", 1, None)}
    assert _rows(bd.breakdown("intake", "department", window)) == {("工程维修部", 3, None), ("售后服务部", 1, None)}
    # Local hours: A 00:xx, E 12:xx, F 15:xx, C 23:xx (UTC hours would be 16, 4, 7, 15).
    assert [(r.key, r.numerator) for r in bd.breakdown("intake", "hour", window)] == [
        ("0", 1), ("12", 1), ("15", 1), ("23", 1)]
    assert _rows(bd.breakdown("intake", "category", window)) == {
        (org.category.name, 1, None), (org.category2.name, 1, None), ("未填写", 2, None)}


def test_area_is_the_address_before_the_room(org):
    for address in ("阳光花园3栋 1201", "阳光花园3栋 802", "阳光花园3栋", "翠湖苑1栋 101"):
        complaint(org, received_at=local(2026, 3, 10, 9, 0), address=address)
    complaint(org, received_at=local(2026, 3, 10, 9, 0), address="阳光花园3栋10 1")  # another building
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    rows = bd.breakdown("intake", "area", window)
    assert [(r.label, r.numerator) for r in rows] == [("阳光花园3栋", 3), ("翠湖苑1栋", 1), ("阳光花园3栋10", 1)]
    drilled = Complaint.objects.filter(bd.drill("intake", ind.NUMERATOR, window, by="area", key="阳光花园3栋"))
    assert drilled.count() == 3


@pytest.mark.parametrize("code,by", [(c, b) for c, splits in bd.SPLITS.items() for b in splits])
def test_every_bar_drills_down_to_its_count(facts, code, by):  # noqa: F811
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    rows = bd.breakdown(code, by, window)
    assert rows
    for row in rows:
        listed = Complaint.objects.filter(bd.drill(code, ind.NUMERATOR, window, by=by, key=row.key)).count()
        expected = row.denominator if ind.BY_CODE[code].unit == ind.AMOUNT else row.numerator
        assert listed == expected, (by, row)
        if row.denominator is not None and ind.BY_CODE[code].unit != ind.AMOUNT:
            assert Complaint.objects.filter(
                bd.drill(code, ind.DENOMINATOR, window, by=by, key=row.key)).count() == row.denominator


def test_compensation_and_breaches_by_department(facts, org):  # noqa: F811
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    assert _rows(bd.breakdown("compensation", "department", window)) == {("工程维修部", 100.5, 1),
                                                                         ("售后服务部", 20.0, 1)}
    assert _rows(bd.breakdown("breach_rate", "department", window)) == {("工程维修部", 1, 3), ("售后服务部", 1, 1)}


def test_a_split_not_offered_is_refused(facts):  # noqa: F811
    with pytest.raises(ValueError):
        bd.breakdown("reply_24h", "hour", ind.Window.days(DAY, DAY, as_of=AS_OF))


def test_phrase_overrides_per_author_and_department(facts, org):  # noqa: F811
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    by_agent = {r.label: (r.numerator, r.denominator, r.value) for r in bd.phrase_by("agent", window)}
    assert by_agent == {"supervisor": (1, 0, None), "handler": (0, 1, 0.0), "agent": (0, 1, 0.0),
                        "other": (0, 1, 0.0)}
    by_department = {r.label: (r.numerator, r.denominator) for r in bd.phrase_by("department", window)}
    assert by_department == {"客服中心": (1, 1), "工程维修部": (0, 1), "售后服务部": (0, 1)}
    service = [r for r in bd.phrase_by("department", window) if r.label == "客服中心"][0]
    drilled = Complaint.objects.filter(
        bd.drill("phrase_overrides", ind.NUMERATOR, window, by="agent_department", key=service.key))
    assert list(drilled) == [facts["A"]]


def test_phrases_flagged_and_blocked_per_author_and_department(facts, org):  # noqa: F811
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    flagged = {r.label: (r.numerator, r.denominator, r.value) for r in bd.phrase_by("agent", window, code="phrase_flagged")}
    assert flagged == {"handler": (1, 1, 1000.0), "other": (1, 1, 1000.0), "agent": (0, 1, 0.0),
                       "supervisor": (0, 0, None)}
    blocked = {r.label: (r.numerator, r.denominator) for r in bd.phrase_by("department", window, code="phrase_blocked")}
    assert blocked == {"售后服务部": (1, 1), "客服中心": (0, 1), "工程维修部": (0, 1)}
    other = [r for r in bd.phrase_by("agent", window, code="phrase_blocked") if r.label == "other"][0]
    drilled = Complaint.objects.filter(bd.drill("phrase_blocked", ind.NUMERATOR, window, by="agent", key=other.key))
    assert list(drilled) == [facts["C"]]
    with pytest.raises(ValueError):
        bd.phrase_by("agent", window, code="intake")


NOW = local(2026, 10, 9, 10, 0)  # Friday, the second working day after the 国庆 holiday (10-01 … 10-07)


@pytest.fixture
def open_cases(org):
    received = {
        local(2026, 10, 9, 8, 0): 0,  # today
        local(2026, 10, 8, 9, 0): 1,  # 10-09
        local(2026, 10, 3, 11, 0): 1,  # a holiday: 10-08, 10-09 → 2 working days (6 calendar days)
        local(2026, 9, 30, 15, 0): 1,  # 10-08, 10-09 → 2
        local(2026, 9, 29, 15, 0): 2,  # 09-30, 10-08, 10-09 → 3
        local(2026, 9, 24, 9, 0): 3,  # 09-28, 09-29, 09-30, 10-08, 10-09 → 5 (09-25 is 中秋)
        local(2026, 9, 10, 9, 0): 4,  # more than 10
    }
    for at in received:
        complaint(org, received_at=at)
    complaint(org, received_at=local(2026, 9, 10, 9, 0), status="closed")  # closed: not ageing
    return received


def test_ageing_counts_working_days_across_national_day(open_cases):
    rows = bd.ageing(get_calendar(), NOW)
    assert [r.numerator for r in rows] == [1, 3, 1, 1, 1]
    assert rows[1].label == "1–3个工作日"


def test_ageing_buckets_drill_down(open_cases):
    window = ind.Window(NOW, NOW, NOW)
    for index, expected in enumerate([1, 3, 1, 1, 1]):
        q = bd.drill("ageing", ind.NUMERATOR, window, key=str(index), calendar=get_calendar())
        assert Complaint.objects.filter(q).count() == expected


def test_ageing_is_one_query(open_cases, django_assert_max_num_queries):
    calendar = get_calendar()
    with django_assert_max_num_queries(1):
        bd.ageing(calendar, NOW)


def test_cutoffs_are_local_midnights(open_cases):
    cutoffs = bd.ageing_cutoffs(get_calendar(), NOW)
    assert cutoffs[1] == local(2026, 10, 9, 0, 0)  # received before today → at least 1 working day
    assert cutoffs[3] == local(2026, 9, 30, 0, 0)
    assert cutoffs[5] == local(2026, 9, 28, 0, 0)  # received on Sunday 09-27: 5 working days
    assert all(c.tzinfo is not None for c in cutoffs.values())
    assert isinstance(cutoffs[10], dt.datetime)


def test_phrase_events_outside_the_period_do_not_count(org):
    c = complaint(org, received_at=local(2026, 3, 1, 9, 0))
    event(c, "language_override", local(2026, 3, 11, 0, 0), org.supervisor)
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    assert bd.phrase_by("agent", window) == []
