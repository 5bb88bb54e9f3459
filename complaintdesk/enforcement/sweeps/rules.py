"""The sweeps themselves: find the due rows (the indexed queries of ``enforcement.due``) and act.

Every ``*_candidates`` queryset is both the *find* query and the in-transaction *re-check*: the
act step filters the chunk's ids through it again while locking, so a row handled meanwhile (by a
person or another worker) drops out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_noop

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.bulk import insert_rows
from complaintdesk.enforcement.actions import complaints_mark_breached
from complaintdesk.enforcement.due import (
    DUE_FIELD,
    alert_key,
    breach_candidates,
    callback_reminder_lead,
    lock_rows,
    pause_statuses,
    progress_candidates,
    warning_candidates,
)
from complaintdesk.enforcement.escalation import Staff
from complaintdesk.followups.models import ReturnVisitTask
from complaintdesk.followups.services import visit_task_schedule
from complaintdesk.notifications.messages import compose, label_param
from complaintdesk.notifications.models import NotificationKind, OutboundMessage, OutboundStatus
from complaintdesk.notifications.services import Notice, deliver, notify_many, send_customer_message
from complaintdesk.notifications.sms import SmsError
from complaintdesk.sla.deadlines import DEFAULT_POLICY, Policy, get_calendar, policy_for
from complaintdesk.sla.models import AlertStage, DeadlineAlert, DeadlineKind, SlaPolicy


@dataclass
class Context:
    """What one run needs, loaded once: the time, the policies, the staff and the chain."""

    now: dt.datetime
    paused: set[str] = field(default_factory=set)
    max_lead: dt.timedelta = dt.timedelta(hours=DEFAULT_POLICY.warning_lead_hours)
    _policies: dict = field(default_factory=dict)

    @classmethod
    def load(cls, now: dt.datetime) -> Context:
        leads = list(SlaPolicy.objects.filter(active=True).values_list("warning_lead_hours", flat=True))
        return cls(
            now=now,
            paused=pause_statuses(),
            max_lead=dt.timedelta(hours=max([DEFAULT_POLICY.warning_lead_hours, *leads])),
        )

    @cached_property
    def staff(self) -> Staff:
        return Staff.load()

    def prepare(self) -> None:
        """Load what is shared before worker threads start (they only read it then)."""
        _ = self.staff
        for category_id, priority in SlaPolicy.objects.values_list("category_id", "priority").distinct():
            self._policies.setdefault((category_id, priority), policy_for(category_id, priority))

    def policy(self, complaint) -> Policy:
        key = (complaint.category_id, complaint.priority)
        if key not in self._policies:
            self._policies[key] = policy_for(*key)
        return self._policies[key]

    def is_paused(self, complaint) -> bool:
        return complaint.status in self.policy(complaint).pause_statuses


# -- breaches -------------------------------------------------------------------------------------


def _breach_sweep(deadline: str):
    def find(ctx: Context) -> list[int]:
        limit = getattr(settings, "SLA_SWEEP_MAX_ROWS", 200_000)
        qs = breach_candidates(deadline, ctx.now, ctx.paused).order_by(DUE_FIELD[deadline])
        return list(qs.values_list("pk", flat=True)[:limit])

    def act(ids: list[int], ctx: Context) -> list[int]:
        rows = [
            c
            for c in lock_rows(breach_candidates(deadline, ctx.now, ctx.paused), ids)
            if not ctx.is_paused(c)
        ]
        return complaints_mark_breached(complaints=rows, deadline=deadline, now=ctx.now, staff=ctx.staff)

    return find, act


# -- warnings and call-back reminders ------------------------------------------------------------


def _warning_sweep(deadline: str):
    stage = AlertStage.DUE if deadline == DeadlineKind.CALLBACK else AlertStage.WARNING

    def lead_for(ctx: Context, complaint) -> dt.timedelta:
        if deadline == DeadlineKind.CALLBACK:
            return callback_reminder_lead()
        return dt.timedelta(hours=ctx.policy(complaint).warning_lead_hours)

    def max_lead(ctx: Context) -> dt.timedelta:
        return callback_reminder_lead() if deadline == DeadlineKind.CALLBACK else ctx.max_lead

    def find(ctx: Context) -> list[int]:
        qs = warning_candidates(deadline, ctx.now, max_lead(ctx), ctx.paused).order_by(DUE_FIELD[deadline])
        return list(qs.values_list("pk", flat=True)[: getattr(settings, "SLA_SWEEP_MAX_ROWS", 200_000)])

    def act(ids: list[int], ctx: Context) -> list[int]:
        rows = lock_rows(warning_candidates(deadline, ctx.now, max_lead(ctx), ctx.paused), ids)
        alerts, timeline, notices, done = [], [], [], []
        label = label_param(DeadlineKind(deadline).label)
        for c in rows:
            due_at = getattr(c, DUE_FIELD[deadline])
            if ctx.is_paused(c) or due_at - lead_for(ctx, c) > ctx.now:
                continue
            key = alert_key(c.pk, deadline, stage, due_at)
            if deadline == DeadlineKind.CALLBACK:
                message = compose(
                    gettext_noop(
                        "投诉 %(number)s：与客户约定的回话时间 %(due)s 即将到达，请按时回电（即使暂无结果也要告知进展）。"
                    ),
                    number=c.number,
                    due=due_at,
                )
                kind = NotificationKind.CALLBACK_DUE
            else:
                message = compose(
                    gettext_noop("投诉 %(number)s：%(deadline)s时限 %(due)s 即将到期，请尽快处理。"),
                    number=c.number,
                    deadline=label,
                    due=due_at,
                )
                kind = NotificationKind.DEADLINE_WARNING
            alerts.append(
                {
                    "complaint_id": c.pk,
                    "deadline": deadline,
                    "stage": stage,
                    "due_at": due_at,
                    "created_at": ctx.now,
                }
            )
            timeline.append(events.deadline_warning(complaint=c, deadline=deadline, due_at=due_at, now=ctx.now, key=key))
            notices += [Notice(r, kind, message, f"{key}:u{r}", c.pk) for r in ctx.staff.concerned(c)]
            done.append(c.pk)
        insert_rows(DeadlineAlert, alerts)
        events.write_many(timeline)
        notify_many(notices)
        return done

    return find, act


# -- progress updates for long-running cases -------------------------------------------------------


def _progress_find(ctx: Context) -> list[int]:
    return list(
        progress_candidates(ctx.now, ctx.paused).order_by("next_due_at").values_list("pk", flat=True)[:50_000]
    )


def _progress_act(ids: list[int], ctx: Context) -> list[int]:
    clocks = list(
        progress_candidates(ctx.now, ctx.paused)
        .filter(pk__in=ids)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("complaint", "complaint__customer")
    )
    calendar = get_calendar()
    auto_sms = getattr(settings, "SLA_PROGRESS_AUTO_SMS", True)
    done, notices, alerts = [], [], []
    for pc in clocks:
        c = pc.complaint
        due_at = pc.next_due_at
        policy = ctx.policy(c)
        key = alert_key(c.pk, DeadlineKind.PROGRESS, AlertStage.DUE, due_at)
        text = compose(
            gettext_noop("投诉 %(number)s 已较长时间未向客户告知进度，请联系客户说明处理进展。"), number=c.number
        )
        notices += [
            Notice(r, NotificationKind.PROGRESS_DUE, text, f"{key}:u{r}", c.pk)
            for r in ctx.staff.concerned(c)
        ]
        alerts.append(
            DeadlineAlert(
                complaint_id=c.pk,
                deadline=DeadlineKind.PROGRESS,
                stage=AlertStage.DUE,
                due_at=due_at,
                created_at=ctx.now,
            )
        )
        message = (
            send_customer_message(
                complaint=c, template_code="progress", key=f"progress:{c.pk}:{int(due_at.timestamp())}"
            )
            if auto_sms
            else None
        )
        events.write(
            events.progress_due(
                complaint=c, due_at=due_at, now=ctx.now, message_id=message.pk if message else None, key=key
            )
        )
        pc.next_due_at = calendar.add_working_days(ctx.now, max(policy.progress_update_interval_days, 1))
        pc.save(update_fields=["next_due_at"])
        done.append(pc.pk)
    DeadlineAlert.objects.bulk_create(alerts)
    notify_many(notices)
    return done


# -- return visits -------------------------------------------------------------------------------


def _visit_schedule_find(ctx: Context) -> list[int]:
    has_task = ReturnVisitTask.objects.filter(complaint_id=OuterRef("pk"), round=OuterRef("handling_rounds"))
    return list(
        Complaint.objects.filter(status=Status.AWAITING_VISIT)
        .filter(~Exists(has_task))
        .values_list("pk", flat=True)[:50_000]
    )


def _visit_schedule_act(ids: list[int], ctx: Context) -> list[int]:
    return [pk for pk in ids if visit_task_schedule(complaint_id=pk, skip_locked=True) is not None]


# -- the calendar running out -------------------------------------------------------------------


def _calendar_find(ctx: Context) -> list[int]:
    calendar = get_calendar()
    days_left = (calendar.last_day - calendar.local(ctx.now).date()).days
    if days_left > getattr(settings, "SLA_CALENDAR_WARNING_DAYS", 60):
        return []
    return list(ctx.staff.admins)


def _calendar_act(ids: list[int], ctx: Context) -> list[int]:
    calendar = get_calendar()
    days_left = (calendar.last_day - calendar.local(ctx.now).date()).days
    text = compose(
        gettext_noop(
            "工作日历只维护到 %(last)s（还剩 %(days)s 天），请在“工作日历”中补充 %(next)s 年的法定节假日和调休安排，"
            "或运行 seed_calendar。"
        ),
        last=calendar.last_day.isoformat(),
        days=max(days_left, 0),
        next=calendar.last_year + 1,
    )
    notify_many(
        Notice(pk, NotificationKind.CALENDAR_ENDING, text, f"calendar-ending:{calendar.last_year}:u{pk}")
        for pk in ids
    )
    return ids


def _outbound_find(ctx: Context) -> list[int]:
    cutoff = ctx.now - dt.timedelta(minutes=getattr(settings, "SMS_RETRY_AFTER_MINUTES", 5))
    return list(
        OutboundMessage.objects.filter(status=OutboundStatus.QUEUED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )


def _outbound_act(ids: list[int], ctx: Context) -> list[int]:
    sent = []
    for pk in ids:
        try:
            if deliver(pk) == "sent":
                sent.append(pk)
        except SmsError:
            continue
    return sent
