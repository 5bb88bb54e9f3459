"""The customer is told on receipt, first answer, result and return visit (issue 5 §4).

Each listener runs after the action's commit and queues one SMS keyed by the complaint and the
occasion, so a repeated event never texts the customer twice.
"""

from __future__ import annotations

import logging

from complaintdesk.complaints.models import Complaint
from complaintdesk.core import hooks
from complaintdesk.notifications.services import send_customer_message

log = logging.getLogger(__name__)


def _complaint(complaint_id: int):
    return Complaint.objects.select_related("customer").filter(pk=complaint_id).first()


def _send(complaint_id: int, template: str, occasion: str, extra: dict | None = None) -> None:
    complaint = _complaint(complaint_id)
    if complaint is not None:
        send_customer_message(
            complaint=complaint, template_code=template, key=f"{occasion}:{complaint_id}", extra=extra
        )


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
