"""The customer is told on receipt, first answer, result and return visit (issue 5 §4).

Each listener runs after the action's commit and hands the SMS to the worker
(``tasks.send_customer_sms``): composing it — the template, the complaint, the message row — is
nothing the person's response waits for (issue 12: app-server time per intake). The message is
keyed by the complaint and the occasion, so a repeated event or task never texts the customer
twice. Without a broker (the embedded default, the tests) the task runs in-process at once; if the
broker cannot take it, the SMS is composed here rather than lost.
"""

from __future__ import annotations

import logging

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tasks import send_customer_sms
from complaintdesk.core import hooks

log = logging.getLogger(__name__)


def _complaint(complaint_id: int):
    return Complaint.objects.select_related("customer").filter(pk=complaint_id).first()


def _send(complaint_id: int, template: str, occasion: str) -> None:
    try:
        send_customer_sms.delay(complaint_id, template, occasion)
    except Exception:  # the broker refused it: compose here, the customer must still be told
        log.exception("SMS task for complaint %s not queued; composed in-process", complaint_id)
        send_customer_sms(complaint_id, template, occasion)


@hooks.on("complaint.received")
def on_received(*, complaint_id: int, **_kw) -> None:
    _send(complaint_id, "receipt", "receipt")


@hooks.on("complaint.contacted")
def on_contacted(*, complaint_id: int, **_kw) -> None:
    complaint = _complaint(complaint_id)
    if complaint is not None and complaint.first_answered_at is not None:
        _send(complaint_id, "first_answer", "first_answer")


@hooks.on("complaint.handled")
def on_handled(*, complaint_id: int, **_kw) -> None:
    complaint = _complaint(complaint_id)
    if complaint is not None:
        _send(complaint_id, "result", f"result:{complaint.handling_rounds}")


@hooks.on("complaint.visited")
def on_visited(*, complaint_id: int, **_kw) -> None:
    complaint = _complaint(complaint_id)
    if complaint is not None and complaint.closed_at is not None:
        _send(complaint_id, "visit", f"visit:{complaint.handling_rounds}")
