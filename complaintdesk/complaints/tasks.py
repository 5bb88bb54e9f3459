"""Thin tasks: call one service. Safe to run twice."""

from celery import shared_task

from complaintdesk.complaints import services


@shared_task(acks_late=True)
def remove_orphan_attachments() -> int:
    return services.attachment_orphans_remove()


@shared_task(acks_late=True, ignore_result=True)
def send_customer_sms(complaint_id: int, template: str, occasion: str) -> None:
    """Compose one customer SMS (``complaints/listeners.py``) and send it, in this task; keyed by
    the occasion, so a second run texts no one twice."""
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.notifications.services import send_customer_message
    from complaintdesk.notifications.tasks import deliver_here

    complaint = Complaint.objects.select_related("customer").filter(pk=complaint_id).first()
    if complaint is not None:
        message = send_customer_message(complaint=complaint, template_code=template,
                                        key=f"{occasion}:{complaint_id}", queue=False)
        if message is not None:
            deliver_here(message.pk)
