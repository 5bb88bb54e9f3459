"""Periodic retention jobs (registered in ``complaintdesk/sla/schedule.py``); safe to run twice."""

from __future__ import annotations

from celery import shared_task

from complaintdesk.retention import services


@shared_task(acks_late=True, ignore_result=True)
def archive_closed() -> int:
    return services.archive_closed().count


@shared_task(acks_late=True, ignore_result=True)
def anonymise_expired() -> int:
    return services.anonymise_expired().count
