"""回访, 结案, 归档, 重新打开."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import (
    EXEMPTIONS,
    ClosureReason,
    Dimension,
    EscalationLevel,
    EventType,
    VisitMethod,
)
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.core import Change, perform, require
from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.sla.deadlines import implement_due

SATISFIED, UNSATISFIED, DECLINED = "satisfied", "unsatisfied", "declined"
VISIT_OUTCOMES = {SATISFIED: "visit_satisfied", UNSATISFIED: "visit_unsatisfied", DECLINED: "visit_declined"}


def _score(value, field: str) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed({field: [_("满意度须为1到5的整数。")]})
    if not 1 <= score <= 5:
        raise ValidationFailed({field: [_("满意度须为1到5的整数。")]})
    return score


def complaint_record_visit(
    *,
    complaint,
    actor,
    outcome: str,
    method: str = VisitMethod.PHONE,
    satisfaction: int | None = None,
    dimensions: dict[str, int] | None = None,
    answers: dict[str, str] | None = None,
    notes: str = "",
) -> Complaint:
    """The service centre's return visit (SPEC §6): process, measures, result, satisfaction.

    satisfied → closed; unsatisfied → back up to the department (重新上移) and escalated one level;
    declined → closed as handled.
    """
    if outcome not in VISIT_OUTCOMES:
        raise ValidationFailed({"outcome": [_("请选择回访结果。")]})
    if method not in VisitMethod.values:
        raise ValidationFailed({"method": [_("回访方式无效。")]})
    fields: dict = {"visit_method": method, "visit_notes": notes.strip()}
    if outcome != DECLINED:
        require({"satisfaction": satisfaction})
        fields["satisfaction"] = _score(satisfaction, "satisfaction")
        per_dimension = {}
        for key, value in (dimensions or {}).items():
            if key not in Dimension.values:
                raise ValidationFailed({"dimensions": [_("服务质量维度无效。")]})
            if value not in (None, ""):
                per_dimension[key] = _score(value, f"dimensions.{key}")
        fields["satisfaction_dimensions"] = per_dimension
        if outcome == SATISFIED and fields["satisfaction"] <= 2:
            raise ValidationFailed({"satisfaction": [_("满意度为1-2分时不能按满意结案，请选择“不满意”。")]})
    answers = {k: (v or "").strip() for k, v in (answers or {}).items() if k in {"process", "measures", "result"}}
    action = VISIT_OUTCOMES[outcome]

    def apply(c: Complaint) -> Change:
        now = clock.now()
        values = dict(fields)
        if outcome == UNSATISFIED:
            values.update(
                handling_rounds=c.handling_rounds + 1,
                receipt_accepted_at=None,
                implemented_at=None,
                visit_due_at=None,
                escalation_level=min(c.escalation_level + 1, EscalationLevel.MANAGEMENT),
                escalated_at=now,
                implement_due_at=implement_due(start=now, category_id=c.category_id, priority=c.priority),
            )
            events.write(
                events.escalated(
                    complaint=c,
                    now=now,
                    level_before=c.escalation_level,
                    level_after=values["escalation_level"],
                    source="visit_unsatisfied",
                    actor_id=actor.pk,
                )
            )
            event = EventType.RETURNED_TO_DEPARTMENT
        else:
            values.update(
                closed_at=now,
                closure_reason=ClosureReason.SATISFIED if outcome == SATISFIED else ClosureReason.DECLINED,
                # 首问解决: closed without the case ever leaving the first owner's desk.
                resolved_by_first_owner=c.department_id is None and c.dispatched_at is None,
            )
            event = EventType.VISITED
        return Change(fields=values, reason=notes.strip(), after_extra={"outcome": outcome, "answers": answers}, event_type=event)

    return perform(
        complaint=complaint,
        action=action,
        actor=actor,
        event_type=EventType.VISITED,
        apply=apply,
        emit=["complaint.visited"] + (["complaint.closed"] if outcome != UNSATISFIED else ["complaint.escalated"]),
    )


def complaint_close_exempt(*, complaint, actor, exemption: str, note: str) -> Complaint:
    """No visit: solved on the spot and confirmed, no contact possible, or a visit unsuitable."""
    if exemption not in EXEMPTIONS:
        raise ValidationFailed({"exemption": [_("请选择免回访原因。")]})
    require({"note": (note or "").strip()})

    def apply(c: Complaint) -> Change:
        return Change(
            fields={"closure_reason": exemption, "closed_at": clock.now(), "visit_notes": note.strip()},
            reason=note.strip(),
        )

    return perform(
        complaint=complaint, action="close_exempt", actor=actor, event_type=EventType.CLOSED, apply=apply,
        emit=["complaint.closed"],
    )


def complaint_archive(*, complaint, actor=None) -> Complaint:
    def apply(c: Complaint) -> Change:
        return Change(fields={"archived_at": clock.now()})

    return perform(complaint=complaint, action="archive", actor=actor, event_type=EventType.ARCHIVED, apply=apply)


def complaint_reopen(*, complaint, actor, reason: str) -> Complaint:
    """A supervisor's explicit, logged action; the case goes back to the desk to be dispatched."""
    require({"reason": (reason or "").strip()})

    def apply(c: Complaint) -> Change:
        return Change(
            fields={
                "closed_at": None,
                "archived_at": None,
                "closure_reason": "",
                "is_valid": True,
                "handling_rounds": c.handling_rounds + 1,
                "receipt_accepted_at": None,
                "visit_due_at": None,
            },
            reason=reason.strip(),
        )

    return perform(
        complaint=complaint, action="reopen", actor=actor, event_type=EventType.REOPENED, apply=apply,
        emit=["complaint.reopened"],
    )
