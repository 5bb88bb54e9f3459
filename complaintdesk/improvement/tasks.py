"""Thin Celery task: the overdue reminder writes at most one notice per action, member and day."""

from __future__ import annotations

from celery import shared_task

from complaintdesk.improvement.services import corrective_action_remind_overdue


@shared_task(acks_late=True, ignore_result=True)
def remind_overdue_actions() -> int:
    return corrective_action_remind_overdue()
