"""Complaints built through the real services for the improvement tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaintdesk.complaints import services
from complaintdesk.complaints.tests.factories import PLAN, receive
from complaintdesk.core import clock


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    """A time in Asia/Shanghai (the project's time zone)."""
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def with_cause(org, when: dt.datetime, *, detail: str, category, department, phone="13812345678"):
    """Received at ``when``, dispatched to ``department``, a plan recording cause ``detail``."""
    handler = org.handler if department == org.engineering else org.other_handler
    with clock.frozen(when):
        c = receive(org, phone=phone, category=category, subject="问题", description=f"投诉 {when:%m%d%H%M}")
        services.complaint_review_valid(complaint=c, actor=org.agent)
        services.complaint_dispatch(complaint=c, actor=org.agent, department=department)
        services.complaint_accept_ticket(complaint=c, actor=handler)
        services.complaint_submit_plan(complaint=c, actor=handler, cause_detail=detail, **PLAN)
    c.refresh_from_db()
    return c


def received(org, when: dt.datetime, *, building: str, subject: str, text: str, category=None, phone="13812345678"):
    with clock.frozen(when):
        return receive(org, phone=phone, address=building, room="1201", subject=subject, description=text,
                       category=category or org.category)
