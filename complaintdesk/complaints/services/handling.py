"""派单, 处理, 批示, 回单: from dispatch to the handling-result slip."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaintdesk.complaints.choices import CAUSE_DETAIL_TYPE, EscalationLevel, EventType, PlanDecision
from complaintdesk.complaints.models import Complaint, PlanRecord
from complaintdesk.complaints.services.core import Change, perform, require
from complaintdesk.complaints.services.texts import check_customer_text, log_override
from complaintdesk.core import clock, limits
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.notifications.messages import compose
from complaintdesk.notifications.models import NotificationKind
from complaintdesk.notifications.services import notify
from complaintdesk.org.models import Department, DepartmentKind, Role, User


def _target(department: Department | int, handler: User | int | None) -> tuple[Department, User | None]:
    if not isinstance(department, Department):
        department = Department.objects.filter(pk=department).first()
    if department is None or not department.active or department.kind != DepartmentKind.HANDLING:
        raise ValidationFailed({"department": [_("请选择有效的责任部门。")]})
    if handler is not None and not isinstance(handler, User):
        handler = User.objects.filter(pk=handler).first()
        if handler is None:
            raise ValidationFailed({"handler": [_("处理人不存在。")]})
    if handler is not None and (handler.department_id != department.pk or handler.role != Role.HANDLER):
        raise ValidationFailed({"handler": [_("处理人必须是该责任部门的处理人。")]})
    return department, handler


def _deadline_fields(c: Complaint, start) -> dict:
    from complaintdesk.sla.deadlines import implement_due

    return {"implement_due_at": implement_due(start=start, category_id=c.category_id, priority=c.priority)}


def complaint_dispatch(*, complaint, actor, department, handler=None, note: str = "") -> Complaint:
    """Send the ticket to the responsible department; the 5-working-day clock starts now."""
    limits.check_texts({"note": (note, limits.REASON)})
    department, handler = _target(department, handler)

    def apply(c: Complaint) -> Change:
        # 000 stage 2 rule 4: nothing is passed on before it is understood and recorded.
        require({"description": c.description, "demand": c.demand, "category": c.category_id})
        now = clock.now()
        return Change(
            fields={
                "department": department,
                "handler": handler,
                "dispatched_at": now,
                "escalation_level": max(c.escalation_level, EscalationLevel.DEPARTMENT),
                **_deadline_fields(c, now),
            },
            reason=note,
        )

    return perform(
        complaint=complaint,
        action="dispatch",
        actor=actor,
        event_type=EventType.DISPATCHED,
        apply=apply,
        emit=["complaint.dispatched"],
    )


def complaint_transfer(*, complaint, actor, department, handler=None, reason: str) -> Complaint:
    require({"reason": (reason or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON)})
    department, handler = _target(department, handler)

    def apply(c: Complaint) -> Change:
        if c.department_id == department.pk and (handler is None or c.handler_id == handler.pk):
            raise ValidationFailed({"department": [_("转派目标与当前相同。")]})
        return Change(fields={"department": department, "handler": handler}, reason=reason.strip())

    return perform(
        complaint=complaint,
        action="transfer",
        actor=actor,
        event_type=EventType.TRANSFERRED,
        apply=apply,
        emit=["complaint.dispatched"],
    )


def complaint_hand_back(*, complaint, actor, reason: str) -> Complaint:
    """The department returns a wrongly routed ticket to the service centre."""
    require({"reason": (reason or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON)})

    def apply(c: Complaint) -> Change:
        return Change(fields={"department": None, "handler": None}, reason=reason.strip())

    return perform(
        complaint=complaint,
        action="hand_back",
        actor=actor,
        event_type=EventType.HANDED_BACK,
        apply=apply,
        emit=["complaint.handed_back"],
    )


def complaint_accept_ticket(*, complaint, actor) -> Complaint:
    def apply(c: Complaint) -> Change:
        return Change(fields={"handler": c.handler or actor})

    return perform(complaint=complaint, action="accept_ticket", actor=actor, event_type=EventType.TICKET_ACCEPTED, apply=apply)


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value or 0))
    except InvalidOperation:
        raise ValidationFailed({"compensation_amount": [_("补偿金额必须是数字。")]})
    if amount < 0 or amount > Decimal("99999999"):
        raise ValidationFailed({"compensation_amount": [_("补偿金额超出范围。")]})
    return amount.quantize(Decimal("0.01"))


def complaint_submit_plan(
    *,
    complaint,
    actor,
    cause_analysis: str,
    responsibility: str,
    plan_options: list[str],
    chosen_plan: int | None = 0,
    cause_detail: str = "",
    compensation_amount=0,
    compensation_description: str = "",
    exceeds_authority: bool = False,
    override_language: bool = False,
) -> Complaint:
    """Record 原因分析, 责任判定 and the 处理方案. Plans with compensation or beyond the handler's
    authority go to a supervisor (主管批示); the rest go straight to implementation."""
    limits.check_list("plan_options", plan_options, limits.PLAN_OPTIONS)
    limits.check_texts({
        "cause_analysis": (cause_analysis, limits.TEXT),
        "responsibility": (responsibility, limits.TEXT),
        "compensation_description": (compensation_description, limits.SHORT),
        **{f"plan_options.{i}": (o, limits.PLAN_OPTION) for i, o in enumerate(plan_options or []) if isinstance(o, str)},
    })
    options = [o.strip() for o in plan_options or [] if o and o.strip()]
    require({"cause_analysis": (cause_analysis or "").strip(), "responsibility": (responsibility or "").strip(), "plan_options": options})
    if chosen_plan is None or not 0 <= int(chosen_plan) < len(options):
        raise ValidationFailed({"chosen_plan": [_("请选择客户接受的方案。")]})
    if cause_detail and cause_detail not in CAUSE_DETAIL_TYPE:
        raise ValidationFailed({"cause_detail": [_("选项无效。")]})
    amount = _amount(compensation_amount)
    if amount > 0 and not (compensation_description or "").strip():
        raise ValidationFailed({"compensation_description": [_("有补偿时请写明补偿内容。")]})
    passed = []
    for index, option in enumerate(options):
        passed += check_customer_text(
            field=f"plan_options.{index}", text=option, actor=actor, override=override_language, complaint=complaint
        )
    needs_approval = amount > 0 or exceeds_authority
    action = "request_approval" if needs_approval else "submit_plan"

    def apply(c: Complaint) -> Change:
        log_override(complaint=c, actor=actor, field="plan_options", violations=passed)
        fields = {
            "cause_analysis": cause_analysis.strip(),
            "responsibility": responsibility.strip(),
            "plan_options": options,
            "chosen_plan": int(chosen_plan),
            "compensation_amount": amount,
            "compensation_description": (compensation_description or "").strip(),
            "exceeds_authority": bool(exceeds_authority),
            "approved_by": None,
            "approved_at": None,
            "approval_comment": "",
        }
        if cause_detail:
            fields.update(cause_detail=cause_detail, cause_type=CAUSE_DETAIL_TYPE[cause_detail])
        repeats = None
        if amount > 0:
            # The same compensation already approved in an earlier round is marked, never silently
            # granted twice (issue 11 §4).
            repeats = (
                PlanRecord.objects.filter(
                    complaint=c, decision=PlanDecision.APPROVED, compensation_amount=amount
                )
                .order_by("-decided_at")
                .first()
            )
        plan = PlanRecord.objects.create(
            complaint=c,
            round=c.handling_rounds,
            options=options,
            chosen_plan=int(chosen_plan),
            cause_analysis=fields["cause_analysis"],
            responsibility=fields["responsibility"],
            compensation_amount=amount,
            compensation_description=fields["compensation_description"],
            exceeds_authority=bool(exceeds_authority),
            submitted_by=actor,
            submitted_at=clock.now(),
            decision=PlanDecision.PENDING if needs_approval else PlanDecision.NOT_NEEDED,
            repeats=repeats,
        )
        return Change(
            fields=fields,
            after_extra={
                "needs_approval": needs_approval,
                "plan": plan.pk,
                "repeats_plan": repeats.pk if repeats else None,
            },
        )

    return perform(
        complaint=complaint,
        action=action,
        actor=actor,
        event_type=EventType.PLAN_SUBMITTED,
        apply=apply,
        emit=["complaint.plan_submitted"],
    )


def _decide_plan(c: Complaint, *, actor, decision: str, comment: str, at) -> int | None:
    """Record the supervisor's decision on the plan awaiting it; earlier decisions stay as they were."""
    plan = (
        PlanRecord.objects.filter(complaint=c, decision=PlanDecision.PENDING).order_by("-submitted_at", "-id").first()
    )
    if plan is None:
        return None
    plan.decision, plan.decided_by, plan.decided_at, plan.comment = decision, actor, at, comment
    plan.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    return plan.pk


def complaint_approve_plan(*, complaint, actor, comment: str = "") -> Complaint:
    limits.check_texts({"comment": (comment, limits.REASON)})

    def apply(c: Complaint) -> Change:
        now = clock.now()
        plan = _decide_plan(c, actor=actor, decision=PlanDecision.APPROVED, comment=comment.strip(), at=now)
        return Change(
            fields={"approved_by": actor, "approved_at": now, "approval_comment": comment.strip()},
            reason=comment.strip(),
            after_extra={"compensation_amount": c.compensation_amount, "plan": plan},
        )

    return perform(
        complaint=complaint, action="approve_plan", actor=actor, event_type=EventType.PLAN_APPROVED, apply=apply,
        emit=["complaint.plan_decided"],
    )


def complaint_reject_plan(*, complaint, actor, comment: str) -> Complaint:
    require({"comment": (comment or "").strip()})
    limits.check_texts({"comment": (comment, limits.REASON)})

    def apply(c: Complaint) -> Change:
        plan = _decide_plan(c, actor=actor, decision=PlanDecision.REJECTED, comment=comment.strip(), at=clock.now())
        return Change(fields={"approval_comment": comment.strip()}, reason=comment.strip(), after_extra={"plan": plan})

    return perform(
        complaint=complaint, action="reject_plan", actor=actor, event_type=EventType.PLAN_REJECTED, apply=apply,
        emit=["complaint.plan_decided"],
    )


def complaint_submit_receipt(*, complaint, actor, text: str) -> Complaint:
    """回单: refused with the reasons when vague, incomplete or containing forbidden phrases."""
    from complaintdesk.language.services import receipt_problems

    require({"text": (text or "").strip()})
    limits.check_texts({"text": (text, limits.TEXT)})
    problems = receipt_problems(text)
    if problems:
        raise ValidationFailed({"text": problems}, message=_("回单不合格：") + "；".join(problems))

    def apply(c: Complaint) -> Change:
        now = clock.now()
        PlanRecord.objects.filter(
            complaint=c,
            round=c.handling_rounds,
            decision__in=[PlanDecision.APPROVED, PlanDecision.NOT_NEEDED],
            implemented_at__isnull=True,
        ).update(implemented_at=now)
        if c.first_owner_id != actor.pk:
            # 首问负责制: the result is reported back through the first owner (issue 11 §7).
            notify(
                recipients=[c.first_owner_id],
                complaint_id=c.pk,
                kind=NotificationKind.RECEIPT_RETURNED,
                text=compose(gettext_noop("投诉 %(number)s 的回单已返回，请审核/回访。"), number=c.number),
                key=f"receipt-returned:{c.pk}:{now.isoformat()}",
            )
        return Change(fields={"receipt_text": text.strip(), "receipt_submitted_at": now, "implemented_at": now})

    return perform(
        complaint=complaint,
        action="submit_receipt",
        actor=actor,
        event_type=EventType.RECEIPT_SUBMITTED,
        apply=apply,
        emit=["complaint.receipt_submitted"],
    )


def complaint_accept_receipt(*, complaint, actor) -> Complaint:
    """The service centre accepts the 回单; the return visit is due next working day."""
    from complaintdesk.sla.deadlines import visit_due

    def apply(c: Complaint) -> Change:
        now = clock.now()
        return Change(fields={"receipt_accepted_at": now, "visit_due_at": visit_due(handled_at=now)})

    return perform(
        complaint=complaint,
        action="accept_receipt",
        actor=actor,
        event_type=EventType.RECEIPT_ACCEPTED,
        apply=apply,
        emit=["complaint.handled"],
    )


def complaint_reject_receipt(*, complaint, actor, reason: str) -> Complaint:
    require({"reason": (reason or "").strip()})
    limits.check_texts({"reason": (reason, limits.REASON)})

    def apply(c: Complaint) -> Change:
        return Change(fields={"receipt_accepted_at": None, "implemented_at": None}, reason=reason.strip())

    return perform(
        complaint=complaint,
        action="reject_receipt",
        actor=actor,
        event_type=EventType.RECEIPT_REJECTED,
        apply=apply,
        emit=["complaint.receipt_rejected"],
    )
