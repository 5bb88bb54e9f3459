"""即将超时 narrows itself to the complaints with a deadline in the longest warning lead, read from
each deadline's own index (``selectors._due_soon_candidates``), and then applies its exact rule:
the same complaints as the rule alone, whatever the lead, the deadline or the state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import changes, clock
from complaintdesk.sla.models import SlaPolicy

pytestmark = pytest.mark.django_db


def _set(complaint, **values) -> None:
    with transaction.atomic(), changes.complaints_changing([complaint.pk]):
        Complaint.objects.filter(pk=complaint.pk).update(**values)


def _exact(user, now) -> list[int]:
    return sorted(Complaint.objects.filter(selectors.queue_filter(user, "due_soon", now)).values_list("pk", flat=True))


@pytest.fixture
def spread(org):
    now = clock.now()
    hours = dt.timedelta(hours=1)
    soon = receive(org, phone="13900000001")
    _set(soon, first_answer_due_at=now + 2 * hours)
    later = receive(org, phone="13900000002")
    _set(later, first_answer_due_at=now + 20 * hours)  # only inside the 30-hour lead of its category
    answered = make(org, Status.HANDLING, phone="13900000003")
    _set(answered, first_answer_due_at=now + hours, first_answered_at=now - hours,  # answered: not pending
         implement_due_at=now + 40 * hours)
    late = make(org, Status.HANDLING, phone="13900000004")
    _set(late, first_answered_at=now - 2 * hours, implement_due_at=now - hours)  # passed: 已超时, not 即将
    callback = make(org, Status.HANDLING, phone="13900000005")
    _set(callback, next_callback_due_at=now + 3 * hours)
    visit = make(org, Status.AWAITING_VISIT, phone="13900000006")
    _set(visit, visit_due_at=now + hours)
    closed = make(org, Status.CLOSED, phone="13900000007")
    _set(closed, next_callback_due_at=now + hours, first_answer_due_at=now + hours, first_answered_at=None)
    return {"soon": soon, "later": later, "callback": callback, "visit": visit, "now": now}


@pytest.mark.parametrize("long_lead", [False, True])
def test_the_narrowed_queue_is_the_rule_exactly(org, spread, long_lead):
    if long_lead:
        SlaPolicy.objects.create(name="维修类提前预警", category=org.category, warning_lead_hours=30)
    now = spread["now"]
    with clock.frozen(now):
        listed = sorted(c.pk for c in selectors.complaint_list(user=org.supervisor, queue="due_soon"))
        expected = _exact(org.supervisor, now)
    names = {"soon", "callback", "visit"} | ({"later"} if long_lead else set())
    assert listed == expected
    assert listed == sorted(spread[n].pk for n in names)


def test_the_queue_reads_the_candidates_first(org, spread):
    with clock.frozen(spread["now"]):
        qs = selectors.complaint_list(user=org.supervisor, queue="due_soon")
        sql = str(qs.query)
    names = ("soon", "callback", "visit")
    assert f'"complaints_complaint"."id" IN ({", ".join(str(p) for p in sorted(spread[n].pk for n in names))})' in sql


def test_too_many_candidates_leave_the_rule_alone(org, spread, monkeypatch):
    monkeypatch.setattr(selectors, "DUE_SOON_CANDIDATES", 2)
    now = spread["now"]
    with clock.frozen(now):
        qs = selectors.complaint_list(user=org.supervisor, queue="due_soon")
        assert '"complaints_complaint"."id" IN (' not in str(qs.query)
        assert sorted(c.pk for c in qs) == _exact(org.supervisor, now)
