"""Every indicator against a hand-counted fixture, at the edges of a local (Asia/Shanghai) day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.tests.fixtures import complaint, event, local, promise
from complaintdesk.sla.models import DeadlineAlert

DAY = dt.date(2026, 3, 10)  # the period: one local day, 2026-03-10 00:00 … 24:00 +08:00
AS_OF = local(2026, 3, 12, 12, 0)
EARLIER = local(2026, 3, 2, 10, 0)  # received long before: only in the closed/call-back cohorts


@pytest.fixture
def facts(org):
    f = {}
    # -- received cohort: A, C, E, F inside; B and D just outside (and positive on everything).
    f["A"] = complaint(
        org, received_at=local(2026, 3, 10, 0, 0), channel="phone", department=org.engineering,
        category=org.category, first_answer_due_at=local(2026, 3, 11, 0, 0),
        first_answered_at=local(2026, 3, 10, 8, 0), implement_due_at=local(2026, 3, 17, 9, 0),
        implemented_at=local(2026, 3, 11, 9, 0), is_valid=True, dispatched_at=local(2026, 3, 10, 1, 0),
    )
    event(f["A"], "handed_back", local(2026, 3, 10, 2, 0), org.handler)
    f["C"] = complaint(
        org, received_at=local(2026, 3, 10, 23, 59, 59), channel="online", department=org.aftersales,
        category=org.category2, first_answer_due_at=local(2026, 3, 11, 23, 59, 59),
        implement_due_at=local(2026, 3, 18, 9, 0), is_valid=False, escalation_level=2,
        repeat_of=f["A"], repeat_count=1, first_answer_breached=True,
    )
    f["E"] = complaint(
        org, received_at=local(2026, 3, 10, 12, 0), channel="phone", department=org.engineering,
        first_answer_due_at=local(2026, 3, 13, 0, 0), escalation_level=1, implement_breached=True,
    )
    f["F"] = complaint(
        org, received_at=local(2026, 3, 10, 15, 0), channel="visit", department=org.engineering,
        first_answer_due_at=local(2026, 3, 11, 9, 0), first_answered_at=local(2026, 3, 11, 10, 0),
        implement_due_at=local(2026, 3, 12, 10, 0), implemented_at=local(2026, 3, 12, 11, 0),
        is_valid=True, dispatched_at=local(2026, 3, 10, 16, 0), escalation_level=3,
    )
    positive = dict(
        first_answer_due_at=local(2026, 3, 11, 0, 0), first_answered_at=local(2026, 3, 10, 1, 0),
        is_valid=False, escalation_level=3, first_answer_breached=True, dispatched_at=local(2026, 3, 9, 1, 0),
    )
    f["B"] = complaint(org, received_at=local(2026, 3, 9, 23, 59, 59), **positive)
    f["D"] = complaint(org, received_at=local(2026, 3, 11, 0, 0), **positive)
    event(f["B"], "handed_back", local(2026, 3, 10, 2, 0), org.handler)

    # -- closed cohort: G, H, I, J, K closed inside; L and M just outside.
    closed = dict(received_at=EARLIER, status="closed")
    f["G"] = complaint(
        org, closed_at=local(2026, 3, 10, 0, 0), closure_reason="satisfied", resolved_by_first_owner=True,
        satisfaction=5, satisfaction_dimensions={"tangibles": 5, "empathy": 3},
        compensation_amount=Decimal("100.50"), department=org.engineering, **closed,
    )
    f["H"] = complaint(org, closed_at=local(2026, 3, 10, 23, 59, 59), closure_reason="declined", **closed)
    event(f["H"], "returned_to_department", local(2026, 3, 5, 9, 0), org.agent)
    f["I"] = complaint(org, closed_at=local(2026, 3, 10, 12, 0), closure_reason="invalid",
                       resolved_by_first_owner=True, is_valid=False, **closed)
    f["J"] = complaint(
        org, closed_at=local(2026, 3, 10, 15, 0), closure_reason="exempt_on_spot", resolved_by_first_owner=True,
        compensation_amount=Decimal("20"), department=org.aftersales, **closed,
    )
    event(f["J"], "reopened", local(2026, 3, 6, 9, 0), org.supervisor)
    f["K"] = complaint(org, closed_at=local(2026, 3, 10, 16, 0), closure_reason="satisfied", satisfaction=3,
                       satisfaction_dimensions={"tangibles": 4}, **closed)
    out = dict(closure_reason="satisfied", resolved_by_first_owner=True, satisfaction=5,
               satisfaction_dimensions={"tangibles": 5}, compensation_amount=Decimal("999"), **closed)
    f["L"] = complaint(org, closed_at=local(2026, 3, 9, 23, 59, 59), **out)
    f["M"] = complaint(org, closed_at=local(2026, 3, 11, 0, 0), **out)

    # -- call-back promises: N missed, O kept (inside); Q missed, just outside.
    for name, at, missed in (("N", local(2026, 3, 10, 10, 0), True), ("O", local(2026, 3, 10, 14, 0), False),
                             ("Q", local(2026, 3, 9, 22, 0), True)):
        f[name] = complaint(org, received_at=EARLIER)
        promise(f[name], at, org.agent)
        if missed:
            DeadlineAlert.objects.create(complaint=f[name], deadline="callback", stage="breach", due_at=at,
                                         created_at=at + dt.timedelta(minutes=1))

    # -- customer-facing texts: three inside, one override inside, one override outside.
    event(f["A"], "plan_submitted", local(2026, 3, 10, 9, 0), org.handler)
    event(f["A"], "contact_logged", local(2026, 3, 10, 10, 0), org.agent)
    event(f["A"], "language_override", local(2026, 3, 10, 10, 5), org.supervisor)
    event(f["C"], "receipt_submitted", local(2026, 3, 10, 23, 0), org.other_handler)
    event(f["B"], "language_override", local(2026, 3, 9, 23, 0), org.supervisor)
    # -- 服务用语质检: phrases flagged while typing (A, C inside; A the next day), texts blocked
    # (C inside; B the evening before).
    event(f["A"], "language_flagged", local(2026, 3, 10, 8, 55), org.handler)
    event(f["C"], "language_flagged", local(2026, 3, 10, 22, 50), org.other_handler)
    event(f["A"], "language_flagged", local(2026, 3, 11, 0, 0), org.handler)
    event(f["C"], "language_blocked", local(2026, 3, 10, 22, 55), org.other_handler)
    event(f["B"], "language_blocked", local(2026, 3, 9, 23, 59, 59), org.agent)
    return f


EXPECTED = {
    "intake": (4, None, 4),
    "reply_24h": (1, 3, 0.3333),  # A on time; C (unanswered, due passed) and F (late); E not yet due
    "complete_5wd": (1, 2, 0.5),  # A on time, F late; C not yet due
    "first_contact_resolution": (2, 4, 0.5),  # G, J of G H J K (I is 不成立)
    "one_time_closure": (2, 4, 0.5),  # G, K (H 重新上移, J reopened)
    "invalid_rate": (1, 3, 0.3333),  # C of A C F (E not reviewed)
    "handback_rate": (1, 2, 0.5),  # A of A F
    "escalation_rate": (3, 4, 0.75),
    "escalation_l1": (3, 4, 0.75),
    "escalation_l2": (2, 4, 0.5),
    "escalation_l3": (1, 4, 0.25),
    "repeat_rate": (1, 4, 0.25),
    "breach_rate": (2, 4, 0.5),  # C (answer), E (implement)
    "callback_kept": (1, 2, 0.5),  # O of N O
    "callback_missed": (1, None, 1),
    "visit_rate": (2, 3, 0.6667),  # G, K of G H K (I invalid, J exempt)
    "visit_satisfaction": (1, 2, 0.5),  # G (5) of G, K (3)
    "satisfaction_tangibles": (2, 2, 1.0),
    "satisfaction_empathy": (0, 1, 0.0),
    "satisfaction_assurance": (0, 0, None),
    "satisfaction_responsiveness": (0, 0, None),
    "satisfaction_reliability": (0, 0, None),
    "compensation": (120.5, 2, 120.5),
    "phrase_flagged": (2, 3, 666.67),  # A 08:55, C 22:50 per 3 texts (A's of 03-11 is outside)
    "phrase_blocked": (1, 3, 333.33),  # C (B's is the day before)
    "phrase_overrides": (1, 3, 333.33),
}
PER_TEXT = ("phrase_flagged", "phrase_blocked", "phrase_overrides")


def test_every_indicator_has_a_hand_counted_expectation():
    assert set(EXPECTED) == set(ind.BY_CODE)


def test_every_indicator_against_the_hand_count(facts):
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    figures = ind.compute(window)
    got = {code: (f.numerator, f.denominator, f.value) for code, f in figures.items()}
    assert got == EXPECTED


def test_the_period_is_whole_local_days_not_utc_days(facts):
    # 2026-03-10 00:00 +08:00 is 2026-03-09 16:00 UTC: a UTC day would take B and drop C.
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    assert window.start == dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC)
    two_days = ind.compute(ind.Window.days(DAY - dt.timedelta(days=1), DAY, as_of=AS_OF), codes=["intake"])
    assert two_days["intake"].numerator == 5  # + B, received 2026-03-09 23:59:59


def test_deadlines_not_yet_due_are_left_out_until_they_are(facts):
    # On 2026-03-11 at noon A (on time) and F (late) have been answered; C's first answer is not yet
    # due (23:59:59) nor is E's, so they are left out; at AS_OF C's has passed unanswered (EXPECTED).
    early = ind.compute(ind.Window.days(DAY, DAY, as_of=local(2026, 3, 11, 12, 0)), codes=["reply_24h"])
    assert early["reply_24h"].as_dict() == {"numerator": 1, "denominator": 2, "value": 0.5}


def test_scope_filters(facts, org):
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    phone = ind.compute(window, ind.Scope(channel="phone"), codes=["intake", "breach_rate"])
    assert phone["intake"].numerator == 2  # A, E
    assert phone["breach_rate"].as_dict() == {"numerator": 1, "denominator": 2, "value": 0.5}
    engineering = ind.compute(window, ind.Scope(department_id=org.engineering.pk),
                              codes=["intake", "compensation"])
    assert engineering["intake"].numerator == 3  # A, E, F
    assert engineering["compensation"].as_dict() == {"numerator": 100.5, "denominator": 1, "value": 100.5}
    category = ind.compute(window, ind.Scope(category=org.category2.code), codes=["intake"])
    assert category["intake"].numerator == 1  # C


@pytest.mark.parametrize("code", [c for c in EXPECTED if c not in PER_TEXT])
def test_drill_down_selects_exactly_the_counted_complaints(facts, code):
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    numerator, denominator, _value = EXPECTED[code]
    unit = ind.BY_CODE[code].unit
    num_rows = Complaint.objects.filter(ind.drill_q(code, ind.NUMERATOR, window)).count()
    if unit == ind.AMOUNT:
        assert num_rows == denominator  # the list holds the complaints whose amounts are summed
    else:
        assert num_rows == numerator
        if denominator is not None:
            assert Complaint.objects.filter(ind.drill_q(code, ind.DENOMINATOR, window)).count() == denominator


def test_phrase_drill_down_lists_the_complaints_with_those_texts(facts):
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    overridden = Complaint.objects.filter(ind.drill_q("phrase_overrides", ind.NUMERATOR, window))
    assert list(overridden.values_list("number", flat=True)) == [facts["A"].number]
    texts = Complaint.objects.filter(ind.drill_q("phrase_overrides", ind.DENOMINATOR, window))
    assert set(texts.values_list("number", flat=True)) == {facts["A"].number, facts["C"].number}
    flagged = Complaint.objects.filter(ind.drill_q("phrase_flagged", ind.NUMERATOR, window))
    assert set(flagged.values_list("number", flat=True)) == {facts["A"].number, facts["C"].number}
    blocked = Complaint.objects.filter(ind.drill_q("phrase_blocked", ind.NUMERATOR, window))
    assert list(blocked.values_list("number", flat=True)) == [facts["C"].number]


def test_compute_is_one_query_per_cohort(facts, django_assert_num_queries):
    window = ind.Window.days(DAY, DAY, as_of=AS_OF)
    with django_assert_num_queries(5):  # the call-back cohort: the promises, then the missed ones
        ind.compute(window)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        ind.Window.days(DAY, DAY - dt.timedelta(days=1), as_of=AS_OF)
