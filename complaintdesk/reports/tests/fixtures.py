"""Rows written directly (reports read stored facts; how they came about is the complaints app's
business): every timestamp exact, so each expected figure can be counted by hand."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction

from complaintdesk.complaints.choices import EventType
from complaintdesk.complaints.models import Complaint, ContactLog, TimelineEvent
from complaintdesk.complaints.models.timeline import NOT_ONE_GO
from complaintdesk.core import changes
from complaintdesk.customers.models import Customer
from complaintdesk.sla.calendar import SHANGHAI

_numbers = itertools.count(1)


def local(*args) -> dt.datetime:
    """A local (Asia/Shanghai) time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


def complaint(org, *, received_at, **fields) -> Complaint:
    n = next(_numbers)
    customer = Customer.objects.create(name=f"客户{n}")
    values = dict(
        number=f"TS{n:010d}",
        customer=customer,
        contact_phone=f"1380000{n:04d}",
        received_at=received_at,
        first_owner=org.agent,
        subject="热水器不出热水",
        description="热水器坏了",
        status="handling",
    )
    values.update(fields)
    with transaction.atomic():
        row = Complaint.objects.create(**values)
        changes.complaints_added([row.pk])  # as every writer does: the running tallies count it
    return row


def event(complaint, type, at, actor=None, **fields) -> TimelineEvent:
    """A timeline row, with the complaint's rework flags as ``services.core.perform`` keeps them
    (``complaints/tests/test_services.py`` checks that it does)."""
    with transaction.atomic(), changes.complaints_changing([complaint.pk]):
        if type in NOT_ONE_GO:
            Complaint.objects.filter(pk=complaint.pk).update(reworked=True)
        if type == EventType.HANDED_BACK:
            Complaint.objects.filter(pk=complaint.pk).update(handed_back=True)
        return TimelineEvent.objects.create(complaint=complaint, type=type, created_at=at, actor=actor, **fields)


def promise(complaint, at, by) -> ContactLog:
    return ContactLog.objects.create(
        complaint=complaint, kind="callback_promised", promised_for=at, by=by, at=at - dt.timedelta(hours=2)
    )
