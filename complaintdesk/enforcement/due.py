"""Which complaints are due, and how a sweep locks them: the deadline fields, the indexed
candidate queries (each is both the *find* query and the in-transaction *re-check*) and the
idempotency keys of alerts. Shared by the sweeps and the single-complaint actions."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from complaintdesk.complaints.choices import OPEN_STATUSES, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.sla.deadlines import DEFAULT_POLICY
from complaintdesk.sla.models import AlertStage, DeadlineAlert, DeadlineKind, ProgressClock, SlaPolicy

# Sorted: the partial indexes of migration sla 0004 spell the list in this order.
OPEN = sorted(OPEN_STATUSES)

DUE_FIELD = {
    DeadlineKind.FIRST_ANSWER: "first_answer_due_at",
    DeadlineKind.IMPLEMENT: "implement_due_at",
    DeadlineKind.CALLBACK: "next_callback_due_at",
    DeadlineKind.VISIT: "visit_due_at",
}
BREACH_FLAG = {
    DeadlineKind.FIRST_ANSWER: "first_answer_breached",
    DeadlineKind.IMPLEMENT: "implement_breached",
}
# Fields a breach needs from the locked row (sweeps load only these).
LOCK_FIELDS = (
    "id",
    "number",
    "status",
    "escalation_level",
    "handler_id",
    "first_owner_id",
    "department_id",
    "category_id",
    "priority",
    *DUE_FIELD.values(),
)


def local(value: dt.datetime) -> str:
    return value.astimezone(_tz()).strftime("%m-%d %H:%M")


@functools.cache
def _tz():
    return timezone.get_default_timezone()


class Row:
    """The fields of a locked complaint a sweep needs — lighter than a model instance."""

    __slots__ = LOCK_FIELDS

    def __init__(self, values: tuple):
        for name, value in zip(LOCK_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id


def lock_rows(qs: QuerySet[Complaint], ids) -> list[Row]:
    """Lock the rows of ``ids`` that still match ``qs`` (the re-check), skipping rows another
    transaction holds (``SKIP LOCKED``): a second worker takes other rows instead of waiting."""
    values = (
        qs.filter(pk__in=list(ids))
        .select_for_update(skip_locked=True, no_key=True, of=("self",))
        .order_by("pk")
        .values_list(*LOCK_FIELDS)
    )
    return [Row(v) for v in values]


def alert_key(complaint_id: int, deadline: str, stage: str, due_at: dt.datetime) -> str:
    return f"sla:{deadline}:{stage}:{complaint_id}:{int(due_at.timestamp())}"


def callback_reminder_lead() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SLA_CALLBACK_REMINDER_MINUTES", 30))


def callback_grace() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SLA_CALLBACK_GRACE_MINUTES", 30))


def pause_statuses() -> set[str]:
    """Statuses any active policy pauses the clock in (the per-row policy decides exactly)."""
    statuses = set(DEFAULT_POLICY.pause_statuses)
    for listed in SlaPolicy.objects.filter(active=True).values_list("pause_statuses", flat=True):
        statuses.update(listed or [])
    return statuses


def _no_alert(deadline: str, stage: str) -> Exists:
    return Exists(
        DeadlineAlert.objects.filter(
            complaint_id=OuterRef("pk"), deadline=deadline, stage=stage, due_at=OuterRef(DUE_FIELD[deadline])
        )
    )


def _open_for(deadline: str) -> Q:
    """The rows a deadline can still alert on; textually the partial index predicates."""
    if deadline == DeadlineKind.FIRST_ANSWER:
        return Q(first_answered_at__isnull=True, first_answer_breached=False, status__in=OPEN)
    if deadline == DeadlineKind.IMPLEMENT:
        return Q(implemented_at__isnull=True, implement_breached=False, status__in=OPEN)
    if deadline == DeadlineKind.CALLBACK:
        return Q(next_callback_due_at__isnull=False, status__in=OPEN)
    return Q(status=Status.AWAITING_VISIT)


def breach_candidates(deadline: str, now: dt.datetime, paused: set[str] | None = None) -> QuerySet[Complaint]:
    due = DUE_FIELD[deadline]
    cutoff = now - callback_grace() if deadline == DeadlineKind.CALLBACK else now
    qs = Complaint.objects.filter(_open_for(deadline), **{f"{due}__lte": cutoff})
    if deadline in (DeadlineKind.CALLBACK, DeadlineKind.VISIT):
        qs = qs.filter(~_no_alert(deadline, AlertStage.BREACH))
    paused = pause_statuses() if paused is None else paused
    return qs.exclude(status__in=paused) if paused else qs


def warning_candidates(
    deadline: str, now: dt.datetime, lead: dt.timedelta, paused: set[str]
) -> QuerySet[Complaint]:
    due = DUE_FIELD[deadline]
    stage = AlertStage.DUE if deadline == DeadlineKind.CALLBACK else AlertStage.WARNING
    low = now - callback_grace() if deadline == DeadlineKind.CALLBACK else now
    qs = Complaint.objects.filter(
        _open_for(deadline), **{f"{due}__gt": low, f"{due}__lte": now + lead}
    ).filter(~_no_alert(deadline, stage))
    return qs.exclude(status__in=paused) if paused else qs


def progress_candidates(now: dt.datetime, paused: set[str]) -> QuerySet[ProgressClock]:
    qs = ProgressClock.objects.filter(next_due_at__lte=now, complaint__status__in=OPEN)
    return qs.exclude(complaint__status__in=paused) if paused else qs
