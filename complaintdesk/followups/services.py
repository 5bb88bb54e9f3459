"""回访: the visit task after handling, and proactive campaigns (SPEC §6, seed 002)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services import complaint_receive
from complaintdesk.core import clock
from complaintdesk.core.errors import Conflict, NotPermitted, ValidationFailed
from complaintdesk.followups.models import (
    CallOutcome,
    CallStatus,
    Campaign,
    CampaignCall,
    CampaignStatus,
    ReturnVisitTask,
    TaskStatus,
)
from complaintdesk.notifications.messages import compose
from complaintdesk.notifications.models import NotificationKind
from complaintdesk.notifications.services import notify
from complaintdesk.org.models import DepartmentKind, Role, User
from complaintdesk.sla.deadlines import visit_due

DESK_ROLES = {Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}


def _desk_member(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.department_id
        and user.department.kind == DepartmentKind.SERVICE_CENTRE
    )


def visit_task_schedule(*, complaint_id: int, skip_locked: bool = False) -> ReturnVisitTask | None:
    """Give the service centre (not the handler) its return-visit task for this round of handling.

    Due at the complaint's ``visit_due_at`` (the next working day). Assigned to the 首问责任人 when
    they sit in the service centre, otherwise left for the centre's supervisors to hand out.
    Idempotent: one task per complaint and handling round.
    """
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(no_key=True, skip_locked=skip_locked, of=("self",))
            .select_related("first_owner__department")
            .filter(pk=complaint_id)
            .first()
        )
        if complaint is None or complaint.status != Status.AWAITING_VISIT:
            return None
        if ReturnVisitTask.objects.filter(complaint=complaint, round=complaint.handling_rounds).exists():
            return None
        now = clock.now()
        due = complaint.visit_due_at or visit_due(handled_at=complaint.receipt_accepted_at or now)
        assignee = complaint.first_owner if _desk_member(complaint.first_owner) else None
        task = ReturnVisitTask.objects.create(
            complaint=complaint,
            round=complaint.handling_rounds,
            due_at=due,
            assigned_to=assignee,
            created_at=now,
        )
        events.write(
            events.visit_scheduled(
                complaint=complaint,
                now=now,
                due_at=due,
                assignee_id=assignee.pk if assignee else None,
                task_id=task.pk,
                key=f"visit-scheduled:{complaint.pk}:{complaint.handling_rounds}",
            )
        )
        recipients = [assignee.pk] if assignee else _desk_supervisors()
        notify(
            recipients=recipients,
            complaint_id=complaint.pk,
            kind=NotificationKind.VISIT_TASK,
            text=compose(
                gettext_noop("投诉 %(number)s 已处理完毕，请于 %(due)s 前完成回访。"), number=complaint.number, due=due
            ),
            key=f"visit-task:{complaint.pk}:{complaint.handling_rounds}",
        )
    return task


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _desk_supervisors() -> list[int]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.SUPERVISOR, department__kind=DepartmentKind.SERVICE_CENTRE
        ).values_list("pk", flat=True)
    )


def visit_task_close(*, complaint_id: int) -> int:
    """The visit happened (or the case closed / went back to the department): close open tasks."""
    complaint = Complaint.objects.filter(pk=complaint_id).only("status", "closed_at").first()
    if complaint is None or complaint.status == Status.AWAITING_VISIT:
        return 0
    return ReturnVisitTask.objects.filter(
        complaint_id=complaint_id, status__in=[TaskStatus.OPEN, TaskStatus.OVERDUE]
    ).update(status=TaskStatus.DONE, done_at=clock.now())


# -- proactive campaigns ------------------------------------------------------------------------


def campaign_create(
    *,
    actor: User,
    name: str,
    served_from: dt.date,
    served_to: dt.date,
    percent: int = 100,
    agents: list[User],
    category_ids: list[int] | None = None,
    department_ids: list[int] | None = None,
    only_unvisited: bool = False,
    seed: int | None = None,
) -> Campaign:
    if not actor.is_supervisor_or_above:
        raise NotPermitted(_("只有主管及以上可以创建主动回访活动。"))
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("此项为必填项。")]
    if served_from > served_to:
        errors["served_to"] = [_("结束日期不能早于开始日期。")]
    if not 1 <= int(percent) <= 100:
        errors["percent"] = [_("抽样比例须在1%到100%之间。")]
    agents = [a for a in agents if a.is_active and a.role in DESK_ROLES]
    if not agents:
        errors["agents"] = [_("请至少选择一名客服人员。")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name.strip(),
            served_from=served_from,
            served_to=served_to,
            percent=int(percent),
            seed=seed if seed is not None else random.SystemRandom().randrange(1, 2**31),
            category_ids=list(category_ids or []),
            department_ids=list(department_ids or []),
            only_unvisited=only_unvisited,
            created_by=actor,
            created_at=clock.now(),
        )
        campaign.agents.set(agents)
    return campaign


def campaign_candidates(campaign: Campaign) -> list[int]:
    """Ids of the latest served (closed) complaint of each customer in the window, by the rules."""
    start = timezone.make_aware(dt.datetime.combine(campaign.served_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(campaign.served_to + dt.timedelta(days=1), dt.time.min))
    # Served = closed after handling; complaints found invalid were never served.
    qs = Complaint.objects.filter(closed_at__gte=start, closed_at__lt=end).exclude(is_valid=False)
    if campaign.category_ids:
        qs = qs.filter(category_id__in=campaign.category_ids)
    if campaign.department_ids:
        qs = qs.filter(department_id__in=campaign.department_ids)
    if campaign.only_unvisited:
        qs = qs.filter(satisfaction__isnull=True)
    latest = qs.values("customer_id").annotate(last=Max("id")).values_list("last", flat=True)
    return sorted(latest)


def campaign_plan(*, campaign_id: int, actor: User) -> int:
    """Choose the customers (sample ``percent`` of the candidates), spread the calls evenly over the
    agents, notify them. Runs once per campaign."""
    if not actor.is_supervisor_or_above:
        raise NotPermitted(_("只有主管及以上可以生成回访计划。"))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status != CampaignStatus.DRAFT:
            raise Conflict(_("该活动的回访计划已生成。"))
        candidates = campaign_candidates(campaign)
        size = round(len(candidates) * campaign.percent / 100)
        if candidates and campaign.percent and size == 0:
            size = 1
        chosen = sorted(random.Random(campaign.seed).sample(candidates, size))
        agents = sorted(campaign.agents.values_list("pk", flat=True))
        served = Complaint.objects.in_bulk(chosen)
        calls = [
            CampaignCall(
                campaign=campaign,
                customer_id=served[pk].customer_id,
                served_complaint_id=pk,
                phone=served[pk].contact_phone,
                agent_id=agents[index % len(agents)],
            )
            for index, pk in enumerate(chosen)
        ]
        CampaignCall.objects.bulk_create(calls)
        campaign.status, campaign.planned_at = CampaignStatus.PLANNED, clock.now()
        campaign.save(update_fields=["status", "planned_at"])
        for agent_id, count in Counter(c.agent_id for c in calls).items():
            notify(
                recipients=[agent_id],
                kind=NotificationKind.CAMPAIGN_CALL,
                text=compose(
                    gettext_noop("主动回访活动“%(name)s”分配给您 %(n)s 个客户。"), name=campaign.name, n=count
                ),
                key=f"campaign:{campaign.pk}",
            )
    return len(calls)


def campaign_record_call(
    *,
    call_id: int,
    actor: User,
    outcome: str = "",
    satisfaction: int | None = None,
    notes: str = "",
    unreachable: bool = False,
    issue_subject: str = "",
) -> CampaignCall:
    """Record one call. A dissatisfied answer becomes a new complaint, linked to the campaign call,
    with the calling agent as its 首问责任人."""
    with transaction.atomic():
        call = CampaignCall.objects.select_for_update().select_related("campaign", "customer").get(pk=call_id)
        if call.agent_id != actor.pk and not actor.is_supervisor_or_above:
            raise NotPermitted(_("这不是分配给您的回访。"))
        if call.status != CallStatus.PENDING:
            raise Conflict(_("该回访已记录。"))
        now = clock.now()
        if unreachable:
            call.status, call.called_at, call.notes = CallStatus.UNREACHABLE, now, notes.strip()
            call.save(update_fields=["status", "called_at", "notes"])
            return call
        if outcome not in CallOutcome.values:
            raise ValidationFailed({"outcome": [_("请选择回访结果。")]})
        if outcome != CallOutcome.DECLINED:
            if satisfaction is None or not 1 <= int(satisfaction) <= 5:
                raise ValidationFailed({"satisfaction": [_("满意度须为1到5的整数。")]})
            if outcome == CallOutcome.SATISFIED and int(satisfaction) <= 2:
                raise ValidationFailed({"satisfaction": [_("满意度为1-2分时请选择“不满意”。")]})
        if outcome == CallOutcome.DISSATISFIED and not (notes or "").strip():
            raise ValidationFailed({"notes": [_("请记录客户不满意的具体内容。")]})
        call.status, call.outcome, call.called_at, call.notes = CallStatus.DONE, outcome, now, notes.strip()
        call.satisfaction = int(satisfaction) if satisfaction is not None else None
        if outcome == CallOutcome.DISSATISFIED:
            served = call.served_complaint
            call.new_complaint = complaint_receive(
                actor=actor,
                phone=call.phone,
                customer_name=call.customer.name,
                channel="other",
                subject=(issue_subject or _("主动回访发现不满意：%(subject)s") % {"subject": served.subject})[
                    :200
                ],
                description=notes.strip(),
                category=served.category,
            )
            events.write(
                events.campaign_finding(
                    complaint=call.new_complaint,
                    now=now,
                    actor_id=actor.pk,
                    campaign_id=call.campaign_id,
                    campaign_name=call.campaign.name,
                    call_id=call.pk,
                    served_id=served.pk,
                )
            )
        call.save(update_fields=["status", "outcome", "called_at", "notes", "satisfaction", "new_complaint"])
        _finish_if_done(call.campaign)
    return call


def _finish_if_done(campaign: Campaign) -> None:
    if not campaign.calls.filter(status=CallStatus.PENDING).exists():
        campaign.status = CampaignStatus.DONE
        campaign.save(update_fields=["status"])
