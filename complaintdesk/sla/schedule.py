"""Every periodic job, declared once. Celery beat (production, ``config/celery.py``) and the
in-process scheduler (``manage.py serve`` / ``run_scheduler``) both read :data:`PERIODIC`.

Pure data — no Django import — so the Celery app can load it before Django is set up.
"""

from __future__ import annotations

from dataclasses import dataclass

SWEEP_TASK = "complaintdesk.enforcement.tasks.run_sweep_task"


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    args: tuple
    every_seconds: int


# sweep name → seconds between runs (the names of complaintdesk.enforcement.sweeps.SWEEPS)
SWEEP_INTERVALS = {
    "first_answer_warning": 60,
    "implement_warning": 60,
    "first_answer_breach": 60,
    "implement_breach": 60,
    "callback_reminder": 60,
    "callback_missed": 60,
    "progress_update": 300,
    "visit_schedule": 300,
    "visit_overdue": 60,
    "calendar_ending": 6 * 3600,
    "outbound_retry": 300,
}

PERIODIC: tuple[Job, ...] = (
    *(Job(f"sla.{name}", SWEEP_TASK, (name,), seconds) for name, seconds in SWEEP_INTERVALS.items()),
    Job("sla.prune_runs", "complaintdesk.enforcement.tasks.prune_sweep_runs", (), 24 * 3600),
    Job("language.retrain", "complaintdesk.language.tasks.retrain_classifiers", (), 6 * 3600),
    Job("reports.daily", "complaintdesk.reports.tasks.generate_due_reports", (), 600),
    Job("reports.check_tallies", "complaintdesk.reports.tasks.check_tallies", (), 24 * 3600),
    Job("complaints.orphan_attachments", "complaintdesk.complaints.tasks.remove_orphan_attachments", (), 3600),
    Job("webhooks.deliver_due", "complaintdesk.webhooks.tasks.deliver_due_webhooks", (), 30),
    Job("retention.archive_closed", "complaintdesk.retention.tasks.archive_closed", (), 3600),
    Job("retention.anonymise_expired", "complaintdesk.retention.tasks.anonymise_expired", (), 24 * 3600),
    Job("improvement.overdue_reminder", "complaintdesk.improvement.tasks.remind_overdue_actions", (), 3600),
)


def beat_schedule() -> dict:
    return {
        job.name: {"task": job.task, "schedule": float(job.every_seconds), "args": job.args}
        for job in PERIODIC
    }
