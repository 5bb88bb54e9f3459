"""Selectors against hand-counted fixtures: top causes, their trend, corrective action counts."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.core import clock
from complaintdesk.improvement import selectors, services
from complaintdesk.improvement.tests.fixtures import at, received, with_cause

pytestmark = pytest.mark.django_db


@pytest.fixture
def causes(org):
    """Six complaints with a cause, one without (excluded everywhere):

    | # | received (Shanghai) | category | department | cause detail |
    | 1 | 2026-01-05 10:00 | 维修质量 | 工程维修部 | product |
    | 2 | 2026-01-06 10:00 | 维修质量 | 工程维修部 | product |
    | 3 | 2026-01-20 10:00 | 维修质量 | 工程维修部 | irresponsible |
    | 4 | 2026-02-03 10:00 | 服务态度 | 售后服务部 | disrespect |
    | 5 | 2026-02-04 10:00 | 服务态度 | 工程维修部 | product |
    | 6 | 2026-03-01 00:30 | 维修质量 | 售后服务部 | external |  (Feb 28 in UTC: March and the week of Feb 23 here)
    """
    e, a, c1, c2 = org.engineering, org.aftersales, org.category, org.category2
    with_cause(org, at(2026, 1, 5), detail="product", category=c1, department=e)
    with_cause(org, at(2026, 1, 6), detail="product", category=c1, department=e, phone="13800000002")
    with_cause(org, at(2026, 1, 20), detail="irresponsible", category=c1, department=e, phone="13800000003")
    with_cause(org, at(2026, 2, 3), detail="disrespect", category=c2, department=a, phone="13800000004")
    with_cause(org, at(2026, 2, 4), detail="product", category=c2, department=e, phone="13800000005")
    with_cause(org, at(2026, 3, 1, 0, 30), detail="external", category=c1, department=a, phone="13800000006")
    received(org, at(2026, 2, 10), building="阳光花园1栋", subject="无原因", text="尚未处理", phone="13800000007")
    return org


def as_tuples(rows):
    return {(r.group_name, r.cause_type, r.cause_detail): r.count for r in rows}


def test_top_causes_by_category(causes):
    assert as_tuples(selectors.top_causes(by="category")) == {
        ("维修质量", "objective", "product"): 2,
        ("维修质量", "subjective", "irresponsible"): 1,
        ("维修质量", "objective", "external"): 1,
        ("服务态度", "subjective", "disrespect"): 1,
        ("服务态度", "objective", "product"): 1,
    }
    assert selectors.top_causes(by="category")[0].count == 2  # largest first


def test_top_causes_by_department(causes):
    assert as_tuples(selectors.top_causes(by="department")) == {
        ("工程维修部", "objective", "product"): 3,
        ("工程维修部", "subjective", "irresponsible"): 1,
        ("售后服务部", "subjective", "disrespect"): 1,
        ("售后服务部", "objective", "external"): 1,
    }


def test_period_edges_are_local_days(causes):
    feb = selectors.top_causes(by="department", date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28))
    assert as_tuples(feb) == {("售后服务部", "subjective", "disrespect"): 1, ("工程维修部", "objective", "product"): 1}
    march_first = selectors.cause_totals(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1))
    assert [(r.cause_detail, r.count) for r in march_first] == [("external", 1)]


def test_cause_totals(causes):
    assert {r.cause_detail: r.count for r in selectors.cause_totals()} == {
        "product": 3, "irresponsible": 1, "disrespect": 1, "external": 1}


def test_monthly_trend(causes):
    trend = selectors.cause_trend(period="month")
    assert trend.periods == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert trend.cells == {
        (dt.date(2026, 1, 1), "product"): 2, (dt.date(2026, 1, 1), "irresponsible"): 1,
        (dt.date(2026, 2, 1), "disrespect"): 1, (dt.date(2026, 2, 1), "product"): 1,
        (dt.date(2026, 3, 1), "external"): 1,
    }
    assert [total for _p, _values, total in trend.rows()] == [3, 2, 1]


def test_weekly_trend_starts_on_monday_in_shanghai(causes):
    trend = selectors.cause_trend(period="week")
    assert trend.periods == [dt.date(2026, 1, 5), dt.date(2026, 1, 19), dt.date(2026, 2, 2), dt.date(2026, 2, 23)]
    assert trend.cells[(dt.date(2026, 1, 5), "product")] == 2
    assert trend.cells[(dt.date(2026, 2, 23), "external")] == 1


def test_cause_figures_are_constant_queries(causes, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.top_causes(by="category")
    with django_assert_num_queries(1):
        selectors.cause_trend(period="week")


# ---- corrective actions --------------------------------------------------------------------

def _open(org, due, **kw):
    return services.corrective_action_open(actor=org.supervisor, title="t", problem="p",
                                           department=kw.pop("department", org.engineering), due_date=due, **kw)


def test_action_counts_hand_counted(org):
    """A1 open (due later) · A2 open, overdue · A3 in progress, overdue · A4 done after its due date
    (not overdue: done) · A5 verified · A6 reopened (due later). Open = 4, overdue = 2."""
    with clock.frozen(at(2026, 3, 1)):
        _open(org, dt.date(2026, 3, 30))
        a2 = _open(org, dt.date(2026, 3, 5))
        a3 = services.corrective_action_start(action=_open(org, dt.date(2026, 3, 5)), actor=org.handler)
        a4 = services.corrective_action_start(action=_open(org, dt.date(2026, 3, 5)), actor=org.handler)
        a4 = services.corrective_action_complete(action=a4, actor=org.handler, changes="改")
        a5 = services.corrective_action_start(action=_open(org, dt.date(2026, 3, 5)), actor=org.handler)
        a5 = services.corrective_action_complete(action=a5, actor=org.handler, changes="改")
        services.corrective_action_verify(action=a5, actor=org.supervisor)
        a6 = services.corrective_action_start(action=_open(org, dt.date(2026, 3, 30)), actor=org.handler)
        a6 = services.corrective_action_complete(action=a6, actor=org.handler, changes="改")
        services.corrective_action_reject(action=a6, actor=org.supervisor, comment="未解决")
    with clock.frozen(at(2026, 3, 10)):
        assert selectors.corrective_action_counts() == {"open": 4, "overdue": 2, "done": 1, "verified": 1}
        overdue = selectors.corrective_action_list(user=org.supervisor, overdue=True)
        assert {a.pk for a in overdue} == {a2.pk, a3.pk}
        assert selectors.corrective_action_list(user=org.supervisor, status="pending").count() == 4
    with clock.frozen(at(2026, 3, 5, 23, 59)):  # the due date itself is not overdue yet
        assert selectors.corrective_action_counts()["overdue"] == 0
    assert a4.status == "done"


def test_handlers_see_only_their_departments_actions(org):
    with clock.frozen(at(2026, 3, 1)):
        mine = _open(org, dt.date(2026, 3, 30))
        _open(org, dt.date(2026, 3, 30), department=org.aftersales)
    assert [a.pk for a in selectors.corrective_action_list(user=org.handler)] == [mine.pk]
    assert selectors.corrective_action_list(user=org.agent).count() == 0
    assert selectors.corrective_action_list(user=org.manager).count() == 2
    assert selectors.corrective_action_counts(user=org.handler)["open"] == 1


def test_complaints_after_the_fix(org):
    """Matching = same category, same building, similar text, received after completion."""
    e = dict(subject="电梯故障", text="电梯又停运了，老人上不了楼")
    with clock.frozen(at(2026, 3, 1)):
        action = _open(org, dt.date(2026, 3, 30), category=org.category, area="阳光花园3栋",
                       match_text="电梯故障 电梯停运困人")
        action = services.corrective_action_start(action=action, actor=org.handler)
    assert selectors.complaints_after_fix(action) == []  # not completed yet
    received(org, at(2026, 3, 2), building="阳光花园3栋", **e)  # before completion
    with clock.frozen(at(2026, 3, 3)):
        action = services.corrective_action_complete(action=action, actor=org.handler, changes="更换主板")
    again = received(org, at(2026, 3, 4), building="阳光花园3栋", phone="13800000011", **e)
    received(org, at(2026, 3, 4), building="阳光花园12栋", phone="13800000012", **e)
    received(org, at(2026, 3, 5), building="阳光花园3栋", subject="物业费", text="物业费多收两百元",
             phone="13800000013")
    received(org, at(2026, 3, 5), building="阳光花园3栋", category=org.category2, phone="13800000014", **e)
    assert [c.pk for c in selectors.complaints_after_fix(action)] == [again.pk]
