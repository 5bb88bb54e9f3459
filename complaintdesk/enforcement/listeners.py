"""Clock rules that follow a complaint's life: the progress-update clock and pauses."""

from __future__ import annotations

from complaintdesk.complaints.choices import OPEN_STATUSES
from complaintdesk.complaints.models import Complaint, ContactLog
from complaintdesk.core import clock, hooks
from complaintdesk.enforcement.actions import complaint_sync_clock
from complaintdesk.enforcement.sweeps.rules import pause_statuses
from complaintdesk.sla.deadlines import progress_update_due
from complaintdesk.sla.models import ClockPause, ProgressClock

# Contacts that count as telling the customer where things stand (004 §七.11).
PROGRESS_CONTACTS = {"progress_update", "callback_done", "first_answer"}


def _reset_progress_clock(complaint_id: int, *, since=None) -> None:
    complaint = Complaint.objects.filter(pk=complaint_id).only("status", "category_id", "priority").first()
    if complaint is None:
        return
    next_due = None
    if complaint.status in OPEN_STATUSES:
        next_due = progress_update_due(since=since or clock.now(), category_id=complaint.category_id,
                                       priority=complaint.priority)
    # One statement that creates or moves the clock (update_or_create took six: a transaction, a
    # locking read, a savepoint and the insert).
    ProgressClock.objects.bulk_create(
        [ProgressClock(complaint_id=complaint_id, next_due_at=next_due)],
        update_conflicts=True, unique_fields=["complaint"], update_fields=["next_due_at"],
    )


@hooks.on("complaint.contacted")
def on_contacted(*, complaint_id: int, **_kw) -> None:
    last = (
        ContactLog.objects.filter(complaint_id=complaint_id).order_by("-at", "-id").only("kind", "at").first()
    )
    if last is not None and last.kind in PROGRESS_CONTACTS:
        _reset_progress_clock(complaint_id, since=last.at)


@hooks.on("complaint.closed")
@hooks.on("complaint.reopened")
def on_closed_or_reopened(*, complaint_id: int, **_kw) -> None:
    _reset_progress_clock(complaint_id)


@hooks.on("complaint.changed")
def on_changed(*, complaint_id: int, **_kw) -> None:
    if (
        pause_statuses()
        or ClockPause.objects.filter(complaint_id=complaint_id, ended_at__isnull=True).exists()
    ):
        complaint_sync_clock(complaint_id=complaint_id)
