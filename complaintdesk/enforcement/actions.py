"""Time-limit actions on complaints: breach + escalation, missed call-backs, overdue visits,
extensions (申请延期/审批) and clock pauses.

The breach path is set-based because sweeps apply it to thousands of rows at once; a single
complaint goes through the very same function (:func:`complaint_mark_breached`). Either way the
caller's transaction holds the row locks, and the state change, the timeline event, the alert
record (the idempotency key) and the in-app notices are written together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import EscalationLevel, EventType
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.services.core import Change, perform, require
from complaintdesk.core import changes, clock, hooks
from complaintdesk.core.bulk import insert_rows
from complaintdesk.core.errors import Conflict, ValidationFailed
from complaintdesk.enforcement.due import BREACH_FLAG, DUE_FIELD, Row, alert_key, breach_candidates, lock_rows
from complaintdesk.enforcement.escalation import Staff
from complaintdesk.followups.models import ReturnVisitTask, TaskStatus
from complaintdesk.notifications.messages import compose, label_param
from complaintdesk.notifications.models import NotificationKind
from complaintdesk.notifications.services import Notice, notify, notify_many
from complaintdesk.sla.calendar import CalendarOutOfRange
from complaintdesk.sla.deadlines import _out_of_range, get_calendar, policy_for
from complaintdesk.sla.models import (
    AlertStage,
    ClockPause,
    DeadlineAlert,
    DeadlineKind,
    ExtensionRequest,
    ExtensionStatus,
)


def complaints_mark_breached(
    *, complaints: Sequence[Row], deadline: str, now: dt.datetime, staff: Staff
) -> list[int]:
    """Mark ``deadline`` breached on locked, re-checked ``complaints`` and escalate each one level
    along the chain; tell the handler, the 首问责任人 and the new level. Returns the ids acted on.

    A missed call-back is counted (``callbacks_missed``); a missed visit marks the visit task overdue.
    """
    if not complaints:
        return []
    due_field = DUE_FIELD[deadline]
    flag = BREACH_FLAG.get(deadline)
    by_level: dict[int, list[int]] = defaultdict(list)
    timeline, alerts, notices, escalated = [], [], [], []
    kind = NotificationKind.CALLBACK_MISSED if deadline == DeadlineKind.CALLBACK else NotificationKind.DEADLINE_BREACHED
    label = label_param(DeadlineKind(deadline).label)  # once per chunk, not once per row
    for c in complaints:
        due_at = getattr(c, due_field)
        step = staff.next_step(c)
        level = step.level if step else c.escalation_level
        by_level[level].append(c.pk)
        raised = level > c.escalation_level
        if raised:
            escalated.append(c.pk)
        key = alert_key(c.pk, deadline, AlertStage.BREACH, due_at)
        timeline.append(
            events.deadline_breached(
                complaint=c, deadline=deadline, due_at=due_at, now=now, level_after=level, flag=flag, key=key
            )
        )
        if flag is None:  # a flagged deadline is its own idempotency record
            alerts.append(
                {
                    "complaint_id": c.pk,
                    "deadline": deadline,
                    "stage": AlertStage.BREACH,
                    "due_at": due_at,
                    "created_at": now,
                    "escalated_to": level if raised else None,
                }
            )
        message = (
            compose(
                gettext_noop("投诉 %(number)s：%(deadline)s时限 %(due)s 已过，自动升级至%(level)s。"),
                number=c.number,
                deadline=label,
                due=due_at,
                level=label_param(EscalationLevel(level).label),
            )
            if raised and step
            else compose(
                gettext_noop("投诉 %(number)s：%(deadline)s时限 %(due)s 已过。"),
                number=c.number,
                deadline=label,
                due=due_at,
            )
        )
        recipients = staff.concerned(c) | (staff.recipients(step, c) if step else set())
        notices += [Notice(r, kind, message, f"{key}:u{r}", c.pk) for r in recipients]

    extra: dict = {"updated_at": now}
    if flag:
        extra[flag] = True
    if deadline == DeadlineKind.CALLBACK:
        extra["callbacks_missed"] = F("callbacks_missed") + 1
    with changes.complaints_changing([c.pk for c in complaints]):
        escalated_set = set(escalated)
        for level, ids in by_level.items():
            fields = dict(extra)
            fields["escalation_level"] = level
            escalating = [pk for pk in ids if pk in escalated_set]
            if escalating:
                Complaint.objects.filter(pk__in=escalating).update(**fields, escalated_at=now)
            staying = [pk for pk in ids if pk not in escalated_set]
            if staying:
                fields.pop("escalation_level")
                Complaint.objects.filter(pk__in=staying).update(**fields)
    insert_rows(DeadlineAlert, alerts)
    events.write_many(timeline)
    notify_many(notices)
    if deadline == DeadlineKind.VISIT:
        ReturnVisitTask.objects.filter(
            complaint_id__in=[c.pk for c in complaints], status=TaskStatus.OPEN
        ).update(status=TaskStatus.OVERDUE)
    for pk in escalated:
        hooks.emit("complaint.escalated", complaint_id=pk, actor_id=None, action="sla_breach")
    if complaints:
        hooks.emit("complaints.deadline_breached", complaint_ids=[c.pk for c in complaints], deadline=str(deadline))
    return [c.pk for c in complaints]


def complaint_mark_breached(*, complaint_id: int, deadline: str) -> bool:
    """The breach path for one complaint (the same code the sweep runs). ``False`` when the
    deadline is not (or no longer) due, or the breach was already recorded."""
    now = clock.now()
    with transaction.atomic():
        rows = lock_rows(breach_candidates(deadline, now), [complaint_id])
        return bool(complaints_mark_breached(complaints=rows, deadline=deadline, now=now, staff=Staff.load()))


# -- extensions ---------------------------------------------------------------------------------


def complaint_request_extension(*, complaint, actor, working_days: int, reason: str) -> ExtensionRequest:
    """The handler asks a supervisor for ``working_days`` more to implement the plan."""
    require({"reason": (reason or "").strip(), "working_days": working_days})
    if not 1 <= int(working_days) <= 30:
        raise ValidationFailed({"working_days": [_("延期天数须在1到30个工作日之间。")]})
    holder: dict = {}

    def apply(c: Complaint) -> Change:
        if ExtensionRequest.objects.filter(complaint=c, status=ExtensionStatus.PENDING).exists():
            raise Conflict(_("已有待审批的延期申请。"))
        now = clock.now()
        holder["request"] = request = ExtensionRequest.objects.create(
            complaint=c,
            requested_by=actor,
            working_days=int(working_days),
            reason=reason.strip(),
            due_before=c.implement_due_at,
            created_at=now,
        )
        staff = Staff.load()
        notify(
            recipients=staff.supervisors_for(c),
            complaint_id=c.pk,
            kind=NotificationKind.EXTENSION_REQUESTED,
            text=compose(
                gettext_noop("投诉 %(number)s 申请延期 %(n)s 个工作日：%(reason)s"),
                number=c.number,
                n=int(working_days),
                reason=reason.strip(),
            ),
            key=f"extension:{request.pk}:requested",
        )
        return Change(
            reason=reason.strip(), after_extra={"request": request.pk, "working_days": int(working_days)}
        )

    perform(
        complaint=complaint,
        action="request_extension",
        actor=actor,
        event_type=EventType.EXTENSION_REQUESTED,
        apply=apply,
    )
    return holder["request"]


def complaint_decide_extension(*, complaint, actor, approve: bool, comment: str = "") -> ExtensionRequest:
    """A supervisor approves (the implementation deadline moves by the working days asked, counted
    from the current deadline) or refuses (a reason is required)."""
    if not approve:
        require({"comment": (comment or "").strip()})
    holder: dict = {}

    def apply(c: Complaint) -> Change:
        request = (
            ExtensionRequest.objects.select_for_update()
            .filter(complaint=c, status=ExtensionStatus.PENDING)
            .first()
        )
        if request is None:
            raise Conflict(_("没有待审批的延期申请。"))
        now = clock.now()
        fields = {}
        request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        request.decided_by, request.decided_at, request.comment = actor, now, (comment or "").strip()
        if approve:
            base = c.implement_due_at or now
            try:
                new_due = get_calendar().add_working_days(base, request.working_days)
            except CalendarOutOfRange as exc:
                raise _out_of_range(exc) from exc
            request.due_after = new_due
            fields = {"implement_due_at": new_due, "implement_breached": False}
        request.save(update_fields=["status", "decided_by", "decided_at", "comment", "due_after"])
        holder["request"] = request
        notify(
            recipients=[request.requested_by_id],
            complaint_id=c.pk,
            kind=NotificationKind.EXTENSION_DECIDED,
            text=(
                compose(
                    gettext_noop("投诉 %(number)s 的延期申请已批准，新时限 %(due)s。"),
                    number=c.number,
                    due=request.due_after,
                )
                if approve
                else compose(
                    gettext_noop("投诉 %(number)s 的延期申请未获批准：%(comment)s"),
                    number=c.number,
                    comment=request.comment,
                )
            ),
            key=f"extension:{request.pk}:decided",
        )
        return Change(
            fields=fields,
            reason=request.comment,
            after_extra={
                "request": request.pk,
                "approved": bool(approve),
                "working_days": request.working_days,
            },
        )

    perform(
        complaint=complaint,
        action="decide_extension",
        actor=actor,
        event_type=EventType.EXTENSION_DECIDED,
        apply=apply,
    )
    return holder["request"]


# -- pauses -------------------------------------------------------------------------------------


def complaint_sync_clock(*, complaint_id: int) -> str | None:
    """Start or end a pause when the complaint enters or leaves a status that waits on the customer
    (the policy's ``pause_statuses``). On resume the open deadlines move by the paused time:
    working time for the implementation deadline, calendar time for a calendar-hours first answer.
    Returns "paused", "resumed" or ``None``.
    """
    with transaction.atomic():
        c = Complaint.objects.select_for_update(no_key=True).filter(pk=complaint_id).first()
        if c is None:
            return None
        policy = policy_for(c.category_id, c.priority)
        waiting = c.status in policy.pause_statuses
        pause = ClockPause.objects.select_for_update().filter(complaint=c, ended_at__isnull=True).first()
        now = clock.now()
        if waiting and pause is None:
            ClockPause.objects.create(complaint=c, status=c.status, started_at=now)
            events.write(events.clock_paused(complaint=c, now=now))
            return "paused"
        if pause is None or waiting:
            return None
        calendar = get_calendar()
        worked = calendar.working_time_between(pause.started_at, now)
        elapsed = now - pause.started_at
        fields = {}
        if c.implement_due_at and c.implemented_at is None and worked > dt.timedelta(0):
            fields["implement_due_at"] = calendar.add_working_hours(c.implement_due_at, worked)
        if c.first_answer_due_at and c.first_answered_at is None:
            shift = worked if policy.first_answer_in_working_time else elapsed
            if shift > dt.timedelta(0):
                fields["first_answer_due_at"] = (
                    calendar.add_working_hours(c.first_answer_due_at, shift)
                    if policy.first_answer_in_working_time
                    else c.first_answer_due_at + shift
                )
        pause.ended_at, pause.paused_seconds = now, int(worked.total_seconds())
        pause.save(update_fields=["ended_at", "paused_seconds"])
        before = {name: getattr(c, name) for name in fields}
        for name, value in fields.items():
            setattr(c, name, value)
        if fields:
            with changes.complaints_changing([c.pk]):
                c.save(update_fields=[*fields, "updated_at"])
        events.write(
            events.clock_resumed(
                complaint=c, now=now, before=before, moved=fields, paused_seconds=pause.paused_seconds
            )
        )
        return "resumed"


__all__ = [
    "complaint_decide_extension",
    "complaint_mark_breached",
    "complaint_request_extension",
    "complaint_sync_clock",
    "complaints_mark_breached",
]
