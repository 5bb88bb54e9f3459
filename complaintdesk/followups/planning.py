"""回访计划 and 主管领导审阅 (001 §3.1 steps 3 and 7).

* A return-visit plan groups the visit tasks of chosen cases awaiting a visit under one date, one
  channel and one visiting agent.
* A supervisor reviews completed visit records (all, or the sample set by :class:`ReviewPolicy`),
  comments, and sends a doubtful one back to be visited again: a new visit task, assigned to the
  agent who made the first visit unless another is chosen.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaintdesk.complaints.choices import EventType, Status, VisitMethod
from complaintdesk.complaints.models import Complaint, VisitRecord
from complaintdesk.complaints.timeline import record
from complaintdesk.core import clock
from complaintdesk.core.errors import Conflict, NotPermitted, ValidationFailed
from complaintdesk.followups.models import (
    ReturnVisitTask,
    ReviewVerdict,
    VisitPlan,
    VisitReview,
)
from complaintdesk.notifications.messages import compose
from complaintdesk.notifications.models import NotificationKind
from complaintdesk.notifications.services import notify
from complaintdesk.org.models import DepartmentKind, Role, User

DESK_ROLES = {Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}


def _desk_staff(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.role in DESK_ROLES
        and user.department_id
        and user.department.kind == DepartmentKind.SERVICE_CENTRE
    )


def visit_plan_create(
    *,
    actor: User,
    complaint_ids: list[int],
    scheduled_for: dt.date,
    method: str,
    assigned_to: User,
    name: str = "",
    note: str = "",
) -> VisitPlan:
    """Plan the visits of the chosen cases awaiting a visit; their open tasks join the plan."""
    from complaintdesk.sla.deadlines import visit_due

    if not (actor.is_supervisor_or_above or _desk_staff(actor)):
        raise NotPermitted(_("只有客服中心人员可以制定回访计划。"))
    errors: dict[str, list[str]] = {}
    ids = sorted({int(pk) for pk in complaint_ids or []})
    if not ids:
        errors["complaints"] = [_("请至少选择一件待回访的投诉。")]
    if scheduled_for is None or scheduled_for < timezone.localdate(clock.now()):
        errors["scheduled_for"] = [_("计划回访日期不能早于今天。")]
    if method not in VisitMethod.values:
        errors["method"] = [_("回访方式无效。")]
    if not _desk_staff(assigned_to):
        errors["assigned_to"] = [_("回访人须为客服中心在岗人员。")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        complaints = list(
            Complaint.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
        )
        waiting = [c for c in complaints if c.status == Status.AWAITING_VISIT]
        if len(waiting) != len(ids):
            raise ValidationFailed({"complaints": [_("所选投诉中有不在“待回访”状态的，请刷新后重选。")]})
        now = clock.now()
        plan = VisitPlan.objects.create(
            name=(name or "").strip()[:80] or _("回访计划 %(date)s") % {"date": scheduled_for.isoformat()},
            scheduled_for=scheduled_for,
            method=method,
            assigned_to=assigned_to,
            created_by=actor,
            created_at=now,
            note=(note or "").strip(),
        )
        for c in waiting:
            task = ReturnVisitTask.objects.filter(
                complaint=c, round=c.handling_rounds, revisit_of__isnull=True
            ).first()
            if task is None:
                task = ReturnVisitTask(
                    complaint=c,
                    round=c.handling_rounds,
                    due_at=c.visit_due_at or visit_due(handled_at=c.receipt_accepted_at or now),
                    created_at=now,
                )
            task.plan, task.assigned_to = plan, assigned_to
            task.save()
            record(
                complaint=c,
                type=EventType.VISIT_PLANNED,
                actor=actor,
                from_status=c.status,
                after={
                    "plan": plan.pk,
                    "scheduled_for": scheduled_for,
                    "method": method,
                    "assigned_to": assigned_to.pk,
                    "task": task.pk,
                },
            )
        notify(
            recipients=[assigned_to.pk],
            kind=NotificationKind.VISIT_TASK,
            text=compose(
                gettext_noop("回访计划“%(name)s”：%(date)s 请回访 %(n)s 位客户。"),
                name=plan.name,
                date=scheduled_for.isoformat(),
                n=len(waiting),
            ),
            key=f"visit-plan:{plan.pk}",
        )
    return plan


def visit_review_record(
    *, actor: User, visit_id: int, verdict: str, comment: str = "", revisit_by: User | None = None
) -> VisitReview:
    """A supervisor reviews one visit record; a doubtful one goes back to be visited again."""
    from complaintdesk.sla.deadlines import visit_due

    if not actor.is_supervisor_or_above:
        raise NotPermitted(_("只有主管及以上可以审阅回访记录。"))
    if verdict not in ReviewVerdict.values:
        raise ValidationFailed({"verdict": [_("请选择审阅结论。")]})
    comment = (comment or "").strip()
    if verdict == ReviewVerdict.REVISIT and not comment:
        raise ValidationFailed({"comment": [_("退回重访时请写明存疑之处。")]})
    if revisit_by is not None and not _desk_staff(revisit_by):
        raise ValidationFailed({"revisit_by": [_("回访人须为客服中心在岗人员。")]})
    with transaction.atomic():
        visit = VisitRecord.objects.select_related("complaint", "by__department").filter(pk=visit_id).first()
        if visit is None:
            raise ValidationFailed({"visit": [_("回访记录不存在。")]})
        complaint = Complaint.objects.select_for_update(no_key=True).get(pk=visit.complaint_id)
        if VisitReview.objects.filter(visit=visit).exists():
            raise Conflict(_("该回访记录已审阅。"))
        if verdict == ReviewVerdict.REVISIT and complaint.status != Status.CLOSED:
            raise ValidationFailed({"verdict": [_("只有已结案投诉的回访可以退回重访；其他情况请在投诉页处理。")]})
        now = clock.now()
        review = VisitReview.objects.create(
            visit=visit, reviewer=actor, verdict=verdict, comment=comment, reviewed_at=now
        )
        task = None
        if verdict == ReviewVerdict.REVISIT:
            assignee = revisit_by or (visit.by if _desk_staff(visit.by) else None)
            task = ReturnVisitTask.objects.create(
                complaint=complaint,
                round=visit.round,
                revisit_of=visit,
                due_at=visit_due(handled_at=now),
                assigned_to=assignee,
                created_at=now,
            )
            if assignee is not None:
                notify(
                    recipients=[assignee.pk],
                    complaint_id=complaint.pk,
                    kind=NotificationKind.VISIT_REVIEW,
                    text=compose(
                        gettext_noop("投诉 %(number)s 的回访经主管审阅存疑，请再次回访。"), number=complaint.number
                    ),
                    key=f"revisit:{visit.pk}",
                )
        record(
            complaint=complaint,
            type=EventType.VISIT_REVIEWED,
            actor=actor,
            from_status=complaint.status,
            after={"visit": visit.pk, "verdict": verdict, "task": task.pk if task else None},
            reason=comment,
        )
    return review

