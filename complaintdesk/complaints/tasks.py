"""Thin tasks: call one service. Safe to run twice."""

from celery import shared_task

from complaintdesk.complaints import services


@shared_task(acks_late=True)
def remove_orphan_attachments() -> int:
    return services.attachment_orphans_remove()
