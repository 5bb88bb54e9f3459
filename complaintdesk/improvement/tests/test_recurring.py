"""Recurring problems (热点问题): buckets in the database, text clusters in Python, bounded work."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.core import clock
from complaintdesk.improvement import grouping, selectors, services
from complaintdesk.improvement.tests.fixtures import at, received

pytestmark = pytest.mark.django_db

LIFT = [("电梯故障", "电梯又坏了，困在里面半小时"), ("电梯停运", "电梯停运两天没人来修"),
        ("电梯老出问题", "电梯经常故障停运，老人上下楼很困难"), ("电梯异响", "电梯运行时异响很大，很害怕")]
FEE = ("物业费多收", "这个月物业费多收了两百元，请核实退还")
NOW = at(2026, 3, 31, 12)


@pytest.fixture
def hotspots(org):
    """Hand-counted, within 30 days of NOW unless said:
    - 维修质量 · 阳光花园3栋: 3 lift complaints + 1 fee complaint → one group of 3;
    - 维修质量 · 阳光花园12栋: 3 lift complaints → its own group (same 4-character prefix as 3栋);
    - 服务态度 · 阳光花园3栋: 3 lift complaints → its own group (other category);
    - 维修质量 · 翠湖苑5栋: 2 lift complaints → too few;
    - 维修质量 · 阳光花园3栋: 3 lift complaints 40 days before NOW → outside the period.
    """
    phone = iter(range(13800000100, 13800000200))

    def add(day, building, subject_text, category=None, when=None):
        subject, text = subject_text
        return received(org, when or at(2026, 3, day), building=building, subject=subject, text=text,
                        category=category, phone=str(next(phone)))

    groups = {
        "a3": [add(10 + i, "阳光花园3栋2单元", LIFT[i]) for i in range(3)],
        "a12": [add(10 + i, "阳光花园12栋", LIFT[i + 1]) for i in range(3)],
        "b3": [add(20 + i, "阳光花园3栋", LIFT[i], category=org.category2) for i in range(3)],
    }
    add(14, "阳光花园3栋1单元", FEE)
    add(15, "翠湖苑5栋", LIFT[0])
    add(16, "翠湖苑5栋", LIFT[1])
    for i in range(3):
        add(0, "阳光花园3栋", LIFT[i], when=NOW - dt.timedelta(days=40 + i))
    return groups


def keyed(problems):
    return {(p.category.code, p.area): sorted(c.pk for c in p.complaints) for p in problems}


def test_groups_hand_counted(org, hotspots, django_assert_num_queries):
    with clock.frozen(NOW), django_assert_num_queries(3):
        problems = selectors.recurring_problem_list(days=30, min_size=3)
    assert keyed(problems) == {
        ("repair_quality", "阳光花园3栋"): sorted(c.pk for c in hotspots["a3"]),
        ("repair_quality", "阳光花园12栋"): sorted(c.pk for c in hotspots["a12"]),
        ("service_attitude", "阳光花园3栋"): sorted(c.pk for c in hotspots["b3"]),
    }
    assert all(p.count == 3 and len(p.examples) == 3 for p in problems)
    assert all(p.open_action is None for p in problems)


def test_period_and_minimum_are_configurable(org, hotspots):
    with clock.frozen(NOW):
        assert len(selectors.recurring_problem_list(days=30, min_size=4)) == 0
        two = keyed(selectors.recurring_problem_list(days=30, min_size=2))
        assert ("repair_quality", "翠湖苑5栋") in two and len(two) == 4
        # 45 days reach the old lift complaints: the 3栋 group grows to 6.
        wide = keyed(selectors.recurring_problem_list(days=45, min_size=3))
        assert len(wide[("repair_quality", "阳光花园3栋")]) == 6


def test_settings_give_the_defaults(org, hotspots, settings):
    settings.IMPROVEMENT_RECURRING_DAYS = 45
    settings.IMPROVEMENT_RECURRING_MIN_SIZE = 6
    with clock.frozen(NOW):
        assert list(keyed(selectors.recurring_problem_list())) == [("repair_quality", "阳光花园3栋")]


def test_an_open_action_is_shown_on_its_group(org, hotspots):
    with clock.frozen(NOW):
        action = services.corrective_action_open(
            actor=org.supervisor, title="3栋电梯", problem="反复停运", department=org.engineering,
            due_date=dt.date(2026, 4, 10), category=org.category, area="阳光花园3栋",
            complaint_ids=[c.pk for c in hotspots["a3"]])
        problems = {(p.category.code, p.area): p for p in selectors.recurring_problem_list(days=30)}
    assert problems[("repair_quality", "阳光花园3栋")].open_action == action
    assert problems[("repair_quality", "阳光花园12栋")].open_action is None


def test_work_is_bounded(org, monkeypatch):
    """Buckets and complaints per bucket are capped in the database, not after loading."""
    monkeypatch.setattr(selectors, "MAX_BUCKETS", 1)
    monkeypatch.setattr(selectors, "MAX_PER_BUCKET", 3)
    for i in range(5):
        received(org, at(2026, 3, 10 + i), building="阳光花园3栋", subject=LIFT[i % 4][0], text=LIFT[i % 4][1],
                 phone=f"1390000{i:04d}")
    for i in range(3):
        received(org, at(2026, 3, 10 + i), building="翠湖苑5栋", subject=LIFT[i][0], text=LIFT[i][1],
                 phone=f"1391000{i:04d}")
    with clock.frozen(NOW):
        problems = selectors.recurring_problem_list(days=30, min_size=3)
    assert len(problems) == 1 and problems[0].area == "阳光花园3栋" and problems[0].count == 3
    assert [c.received_at.day for c in problems[0].complaints] == [14, 13, 12]  # the newest three


@pytest.mark.parametrize("address, building", [
    ("阳光花园3栋2单元 1201", "阳光花园3栋"), ("阳光花园12号楼 302", "阳光花园12号楼"), ("翠湖苑A座", "翠湖苑A座"),
    ("人民路88号 1201", "人民路88号"), ("", ""),
])
def test_building_of(address, building):
    assert selectors.building_of(address) == building


def test_cluster_by_similarity():
    texts = [LIFT[0][1], FEE[1], LIFT[1][1], "物业费乱收费，多收了钱", LIFT[2][1]]
    clusters = grouping.cluster(texts, text=str)
    assert [c.members for c in clusters] == [[LIFT[0][1], LIFT[1][1], LIFT[2][1]], [FEE[1], "物业费乱收费，多收了钱"]]


def test_cluster_count_is_capped():
    clusters = grouping.cluster(["电梯坏了", "停水三天", "门禁刷卡失灵"], text=str, max_clusters=2)
    assert [c.members for c in clusters] == [["电梯坏了"], ["停水三天"]]


def test_only_the_largest_groups_are_listed(org, hotspots, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_PROBLEMS", 2)
    received(org, at(2026, 3, 25), building="阳光花园12栋", subject=LIFT[3][0], text=LIFT[3][1], phone="13899990000")
    with clock.frozen(NOW):
        problems = selectors.recurring_problem_list(days=30, min_size=3)
    assert [(p.area, p.count) for p in problems][0] == ("阳光花园12栋", 4)
    assert len(problems) == 2
