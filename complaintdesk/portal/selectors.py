"""Reads for the customer portal: customer-safe fields only.

Every query here names its columns (``values``), so internal notes, cause analysis, the 回单,
approvals, handler or department and other customers' rows are never even loaded; the views
render these dataclasses and nothing else. The only person a customer sees is themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaintdesk.complaints.choices import ClosureReason, ContactKind, Dimension, Status
from complaintdesk.complaints.models import Attachment, Complaint, ContactLog

S = Status
RECEIVED, HANDLING, VISIT, DONE = "received", "handling", "visit", "done"
# Context "portal": customers' words, apart from the workspace's status labels of the same text.
STEPS = [
    (RECEIVED, pgettext_lazy("portal", "已受理")),
    (HANDLING, pgettext_lazy("portal", "处理中")),
    (VISIT, pgettext_lazy("portal", "待回访")),
    (DONE, pgettext_lazy("portal", "已办结")),
]
STEP_OF_STATUS = {
    S.RECEIVED: RECEIVED,
    S.ACCEPTED: RECEIVED,
    S.DISPATCHED: HANDLING,
    S.HANDLING: HANDLING,
    S.PENDING_APPROVAL: HANDLING,
    S.IMPLEMENTING: HANDLING,
    S.RECEIPT_SUBMITTED: HANDLING,
    S.AWAITING_VISIT: VISIT,
    S.CLOSED: DONE,
    S.ARCHIVED: DONE,
}
STEP_TEXT = {
    RECEIVED: _("我们已收到您的投诉，正在核实情况，会在承诺时间内答复您。"),
    HANDLING: _("您的投诉已交由相关部门处理，处理期间我们会按约定与您联系。"),
    VISIT: _("处理已完成。请告诉我们您对处理结果是否满意。"),
    DONE: _("您的投诉已办结，感谢您的理解与支持。"),
}
CLOSURE_TEXT = {
    ClosureReason.SATISFIED: _("您已确认满意，投诉办结。"),
    ClosureReason.DECLINED: _("处理已完成，按已处理办结。"),
    ClosureReason.EXEMPT_ON_SPOT: _("问题已当场解决并经您确认，投诉办结。"),
    ClosureReason.EXEMPT_NO_CONTACT: _("处理已完成，按已处理办结。"),
    ClosureReason.EXEMPT_UNSUITABLE: _("处理已完成，按已处理办结。"),
    ClosureReason.INVALID: _("经核实，投诉不成立。"),
}
CONTACT_TEXT = {
    ContactKind.CALLBACK_PROMISED: _("与您约定了回话时间"),
    ContactKind.CALLBACK_DONE: _("按约定给您回话"),
    ContactKind.PROGRESS_UPDATE: _("告知您处理进度"),
    ContactKind.FIRST_ANSWER: _("首次答复您"),
    ContactKind.OTHER: _("与您联系"),
}
SAFE_FIELDS = (
    "id", "number", "status", "subject", "description", "demand", "received_at", "first_answer_due_at",
    "first_answered_at", "implement_due_at", "implemented_at", "next_callback_due_at", "closed_at",
    "closure_reason", "invalid_explanation", "satisfaction", "satisfaction_dimensions", "handling_rounds",
)
NUMBER = re.compile(r"[A-Za-z0-9]{4,24}")


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Contact:
    at: dt.datetime
    text: str
    promised_for: dt.datetime | None


@dataclass(frozen=True)
class CaseSummary:
    id: int
    number: str
    subject: str
    received_at: dt.datetime
    step: str
    step_label: str


@dataclass(frozen=True)
class CaseView:
    id: int
    number: str
    subject: str
    description: str
    demand: str
    received_at: dt.datetime
    step: str
    step_label: str
    step_text: str
    steps: list[Step]
    first_answer_due_at: dt.datetime | None
    first_answered_at: dt.datetime | None
    implement_due_at: dt.datetime | None
    implemented_at: dt.datetime | None
    next_callback_due_at: dt.datetime | None
    closed_at: dt.datetime | None
    closure_text: str
    explanation: str
    awaiting_visit: bool
    satisfaction: int | None
    satisfaction_dimensions: list[tuple[str, int]]
    handled_again: bool
    photos: int
    contacts: list[Contact] = field(default_factory=list)


def _step_label(step: str) -> str:
    return str(dict(STEPS)[step])


def _steps(current: str) -> list[Step]:
    codes = [code for code, _label in STEPS]
    at = codes.index(current)
    return [
        Step(code, str(label), "done" if i < at or current == DONE else "current" if i == at else "todo")
        for i, (code, label) in enumerate(STEPS)
    ]


def portal_case_get(*, complaint_id: int) -> CaseView | None:
    row = Complaint.objects.filter(pk=complaint_id).values(*SAFE_FIELDS).first()
    if row is None:
        return None
    step = STEP_OF_STATUS[row["status"]]
    contacts = [
        Contact(at=c["at"], text=str(CONTACT_TEXT.get(c["kind"], CONTACT_TEXT[ContactKind.OTHER])),
                promised_for=c["promised_for"])
        for c in ContactLog.objects.filter(complaint_id=complaint_id).order_by("at", "pk").values("kind", "at", "promised_for")
    ]
    dimension_labels = dict(Dimension.choices)
    scores = row["satisfaction_dimensions"] or {}
    invalid = row["closure_reason"] == ClosureReason.INVALID
    return CaseView(
        id=row["id"],
        number=row["number"],
        subject=row["subject"],
        description=row["description"],
        demand=row["demand"],
        received_at=row["received_at"],
        step=step,
        step_label=_step_label(step),
        step_text=str(STEP_TEXT[step]),
        steps=_steps(step),
        first_answer_due_at=row["first_answer_due_at"],
        first_answered_at=row["first_answered_at"],
        implement_due_at=row["implement_due_at"],
        implemented_at=row["implemented_at"],
        next_callback_due_at=row["next_callback_due_at"] if step != DONE else None,
        closed_at=row["closed_at"],
        closure_text=str(CLOSURE_TEXT.get(row["closure_reason"], "")) if step == DONE else "",
        # 不成立: the explanation staff gave the customer (SPEC §2) is meant for them.
        explanation=row["invalid_explanation"] if invalid else "",
        awaiting_visit=row["status"] == S.AWAITING_VISIT,
        satisfaction=row["satisfaction"] if step == DONE else None,
        satisfaction_dimensions=[(str(dimension_labels[k]), v) for k, v in scores.items() if k in dimension_labels]
        if step == DONE else [],
        handled_again=row["handling_rounds"] > 1,
        photos=Attachment.objects.filter(complaint_id=complaint_id).count(),
        contacts=contacts,
    )


def portal_case_owner(*, complaint_id: int) -> tuple[int, str] | None:
    """``(customer_id, contact_phone)`` of a complaint, for access checks only."""
    return Complaint.objects.filter(pk=complaint_id).values_list("customer_id", "contact_phone").first()


def portal_case_list(*, customer_id: int, limit: int = 50) -> list[CaseSummary]:
    rows = (
        Complaint.objects.filter(customer_id=customer_id)
        .order_by("-received_at")
        .values("id", "number", "subject", "received_at", "status")[:limit]
    )
    return [
        CaseSummary(
            id=r["id"], number=r["number"], subject=r["subject"], received_at=r["received_at"],
            step=STEP_OF_STATUS[r["status"]], step_label=_step_label(STEP_OF_STATUS[r["status"]]),
        )
        for r in rows
    ]


def portal_track(*, number: str, phone: str) -> int | None:
    """The complaint id when ``number`` and the normalised ``phone`` belong together, else ``None``.

    One indexed query whatever is wrong, so neither the answer nor its timing tells a wrong number
    from a wrong phone.
    """
    number = (number or "").strip().upper()
    if not NUMBER.fullmatch(number):
        number = ""
    return Complaint.objects.filter(number=number, contact_phone=phone).values_list("pk", flat=True).first()

