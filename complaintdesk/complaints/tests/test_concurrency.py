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
