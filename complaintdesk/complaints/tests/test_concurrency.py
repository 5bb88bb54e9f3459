"""Two people acting on one complaint at the same moment: exactly one wins (row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import TimelineEvent
from complaintdesk.complaints.tests.factories import make
from complaintdesk.core.errors import DomainError


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_actions_cannot_both_succeed(org):
    complaint = make(org, Status.RECEIPT_SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(fn):
        try:
            barrier.wait(timeout=10)
            fn()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    accept = lambda: services.complaint_accept_receipt(complaint=complaint.pk, actor=org.agent)  # noqa: E731
    reject = lambda: services.complaint_reject_receipt(complaint=complaint.pk, actor=org.agent2, reason="不完整")  # noqa: E731
    threads = [threading.Thread(target=act, args=(fn,)) for fn in (accept, reject)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    decided = TimelineEvent.objects.filter(
        complaint_id=complaint.pk, type__in=[EventType.RECEIPT_ACCEPTED, EventType.RECEIPT_REJECTED]
    )
    assert decided.count() == 1


@pytest.mark.django_db
def test_intake_takes_the_days_number_after_everything_slow(org, pinned_clock):
    """The day's counter row is locked from the number until commit and every other intake of the
    day waits on it: the policy read, the repeat lookup and the complaint's insert come first or
    straight after, never a slow step in between."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaintdesk.complaints.tests.factories import receive

    receive(org)
    with CaptureQueriesContext(connection) as queries:
        repeat = receive(org)  # a repeat: the lookup finds the first
    sql = [q["sql"] for q in queries.captured_queries]
    counter = next(i for i, s in enumerate(sql) if "core_counter" in s)
    assert repeat.repeat_of_id is not None and repeat.number.startswith("TS")
    slow = ('FROM "sla_slapolicy"', '"complaints_complaint"."contact_phone" =')  # policies, the repeat lookup
    late = [s[:120] for s in sql[counter:] if s.startswith("SELECT") and any(part in s for part in slow)]
    assert any(slow[1] in s for s in sql[:counter])
    assert not late, late
    assert sql[counter + 1].startswith('INSERT INTO "complaints_complaint"'), sql[counter:counter + 2]
