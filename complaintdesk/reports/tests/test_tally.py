"""The running tallies (reports.tally): the same figures as counting the complaints, kept by every
writer inside its transaction, recounted and checked on demand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from complaintdesk.complaints.models import Complaint
from complaintdesk.core import changes, clock
from complaintdesk.reports import breakdowns as bd
from complaintdesk.reports import indicators as ind
from complaintdesk.reports import tally
from complaintdesk.reports.models import TALLY_COUNTERS, Tally
from complaintdesk.reports.tests.fixtures import complaint, local
from complaintdesk.reports.tests.test_indicators import AS_OF, DAY, EXPECTED, facts  # noqa: F401

WINDOW = ind.Window.days(DAY, DAY, as_of=AS_OF)


@pytest.fixture
def now_is_as_of():
    with clock.frozen(AS_OF):
        yield


def _live(settings, fn, *args, **kwargs):
    settings.REPORTS_TALLY = False
    try:
        return fn(*args, **kwargs)
    finally:
        settings.REPORTS_TALLY = True


def test_every_tallied_indicator_has_its_columns():
    for indicator in tally.TALLIED:
        assert set(ind.tally_columns(indicator)) <= set(TALLY_COUNTERS), indicator.code
    assert {name for agg in (tally.aggregates("r"), tally.aggregates("c")) for name in agg} == set(TALLY_COUNTERS)


def test_every_indicator_against_the_hand_count_from_the_tallies(facts, now_is_as_of):  # noqa: F811
    assert ind.tally_usable(WINDOW)
    figures = ind.compute(WINDOW)
    assert {code: (f.numerator, f.denominator, f.value) for code, f in figures.items()} == EXPECTED


def test_the_tallies_answer_with_fewer_queries(facts, now_is_as_of, django_assert_num_queries):  # noqa: F811
    # received + closed rows, the two pending deadlines, the call-backs (2) and the text rows.
    with django_assert_num_queries(7):
        ind.compute(WINDOW)


def test_figures_taken_before_now_are_counted_live(facts):  # noqa: F811
    assert not ind.tally_usable(WINDOW)  # AS_OF is months before the real now
    assert not ind.tally_usable(ind.Window(WINDOW.start + dt.timedelta(hours=1), WINDOW.end, clock.now()))


@pytest.mark.parametrize("scope", ["all", "department", "category", "channel"])
def test_tallies_and_live_counts_agree_for_every_scope_and_period(facts, org, now_is_as_of, settings, scope):  # noqa: F811
    chosen = {"all": ind.ALL, "department": ind.Scope(department_id=org.engineering.pk),
              "category": ind.Scope(category=org.category2.code), "channel": ind.Scope(channel="phone")}[scope]
    for first, last in ((DAY, DAY), (DAY - dt.timedelta(days=9), DAY + dt.timedelta(days=1))):
        w = ind.Window.days(first, last, as_of=AS_OF)
        assert ind.compute(w, chosen) == _live(settings, ind.compute, w, chosen)


def test_breakdowns_from_the_tallies_equal_the_counted_ones(facts, now_is_as_of, settings):  # noqa: F811
    for code, splits in bd.SPLITS.items():
        for by in splits:
            assert bd.breakdown(code, by, WINDOW) == _live(settings, bd.breakdown, code, by, WINDOW), (code, by)


def test_a_change_moves_the_complaint_between_rows_in_its_transaction(org, now_is_as_of):
    c = complaint(org, received_at=local(2026, 3, 10, 9, 0), channel="phone", department=org.engineering)
    assert ind.compute(WINDOW, ind.Scope(department_id=org.engineering.pk), codes=["intake"])["intake"].numerator == 1
    with transaction.atomic(), changes.complaints_changing([c.pk]):
        Complaint.objects.filter(pk=c.pk).update(department=org.aftersales, status="closed",
                                                 closed_at=local(2026, 3, 11, 9, 0), compensation_amount=Decimal("8"))
    by_dept = {r.key: r.numerator for r in bd.breakdown("intake", "department", WINDOW)}
    assert by_dept == {str(org.aftersales.pk): 1}
    next_day = ind.Window.days(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=1), as_of=AS_OF)
    assert ind.compute(next_day, codes=["compensation"])["compensation"].numerator == 8.0
    assert tally.check(DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)) == []


def test_a_rolled_back_change_leaves_the_tallies_as_they_were(org, now_is_as_of):
    c = complaint(org, received_at=local(2026, 3, 10, 9, 0), channel="phone")
    before = tally.stored(DAY, DAY)
    with pytest.raises(RuntimeError), transaction.atomic(), changes.complaints_changing([c.pk]):
        Complaint.objects.filter(pk=c.pk).update(channel="online")
        raise RuntimeError("the action failed after writing")
    assert tally.stored(DAY, DAY) == before


def test_check_finds_a_change_made_behind_the_tallies_and_repair_recounts(facts, org):  # noqa: F811
    span = (DAY - dt.timedelta(days=10), DAY + dt.timedelta(days=1))
    assert tally.check(*span) == []
    Complaint.objects.filter(pk=facts["A"].pk).update(department=org.aftersales)  # not through a writer
    wrong = tally.check(*span, repair=True)
    # A's received row moved, and the rows of A's texts (on two days) with it.
    moved = {org.engineering.pk, org.aftersales.pk}
    assert {k[2] for k in wrong if k[0] == "r"} == moved
    assert {k[1] for k in wrong if k[0] == "t"} == {DAY, DAY + dt.timedelta(days=1)}
    assert {k[3] for k in wrong if k[0] == "t"} == moved
    assert tally.check(*span) == []


def test_rebuild_counts_everything_on_file_and_drops_stale_rows(facts):  # noqa: F811
    expected = tally.stored(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    Tally.objects.create(cohort="r", day=DAY, department_id=999, channel="phone", intake=5)
    Tally.objects.filter(cohort="c").delete()
    assert tally.rebuild() == len(expected)
    assert tally.stored(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == expected


def test_the_report_and_the_dashboard_are_the_same_from_the_tallies(facts, now_is_as_of, settings):  # noqa: F811
    from complaintdesk.reports import contents
    from complaintdesk.reports import dashboard as db
    from complaintdesk.sla.deadlines import get_calendar

    for first in (DAY, DAY - dt.timedelta(days=6)):
        w = ind.Window.days(first, DAY, as_of=AS_OF)
        report = contents.build(w, ind.ALL, get_calendar())
        assert report == _live(settings, contents.build, w, ind.ALL, get_calendar())
        assert report["trend"][-1] == [DAY.isoformat(), 4]
        board = db.build(w, ind.ALL, get_calendar())
        live = _live(settings, db.build, w, ind.ALL, get_calendar())
        assert board.tiles == live.tiles
        assert board.tables == live.tables


def test_a_change_nested_in_a_change_of_the_same_complaint_is_counted_once(org, now_is_as_of):
    from complaintdesk.reports.tests.fixtures import event

    c = complaint(org, received_at=local(2026, 3, 10, 9, 0), channel="phone")
    with transaction.atomic(), changes.complaints_changing([c.pk]):
        event(c, "contact_logged", local(2026, 3, 10, 10, 0), org.agent)  # itself wrapped, inside
        Complaint.objects.filter(pk=c.pk).update(channel="online")
    assert tally.check(DAY, DAY) == []
    texts = ind.compute(WINDOW, codes=["phrase_flagged"])["phrase_flagged"]
    assert texts.denominator == 1


def test_areas_are_tallied_per_day_and_follow_an_address_change(org, now_is_as_of, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = complaint(org, received_at=local(2026, 3, 10, 9, 0), address="阳光花园3栋 1201")
    complaint(org, received_at=local(2026, 3, 10, 11, 0), address="阳光花园3栋 502")
    complaint(org, received_at=local(2026, 3, 10, 12, 0), address="翠湖家园")
    complaint(org, received_at=local(2026, 3, 10, 13, 0), address="")
    complaint(org, received_at=local(2026, 3, 11, 9, 0), address="翠湖家园 8")  # the next day
    with CaptureQueriesContext(connection) as queries:
        split = {r.key: r.numerator for r in bd.breakdown("intake", "area", WINDOW)}
    assert split == {"阳光花园3栋": 2, "翠湖家园": 1, "none": 1}
    assert not any("complaints_complaint" in q["sql"] for q in queries.captured_queries)
    with transaction.atomic(), changes.complaints_changing([a.pk]):
        Complaint.objects.filter(pk=a.pk).update(address="翠湖家园 9")
    split = {r.key: r.numerator for r in bd.breakdown("intake", "area", WINDOW)}
    assert split == {"阳光花园3栋": 1, "翠湖家园": 2, "none": 1}
    assert split == {r.key: r.numerator for r in _live(settings, bd.breakdown, "intake", "area", WINDOW)}
    # A department's split counts its own complaints live (areas are kept for the whole centre).
    mine = ind.Scope(department_id=org.engineering.pk)
    assert bd.breakdown("intake", "area", WINDOW, mine) == _live(settings, bd.breakdown, "intake", "area", WINDOW, mine)


def test_check_finds_an_address_changed_behind_the_tallies(org):
    a = complaint(org, received_at=local(2026, 3, 10, 9, 0), address="阳光花园3栋 1201")
    Complaint.objects.filter(pk=a.pk).update(address="星河湾1栋 3")  # not through a writer
    wrong = tally.check(DAY, DAY, repair=True)
    assert {k for k in wrong if k[0] == "a"} == {("a", DAY, "阳光花园3栋"), ("a", DAY, "星河湾1栋")}
    assert tally.check(DAY, DAY) == []
