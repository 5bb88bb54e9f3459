"""Thin tasks: load by id, call one service. Safe to run twice.

Services announce work with ``core.hooks`` events; the listeners here queue the tasks after commit,
so the services never import this module.
"""

from celery import shared_task

from complaintdesk.core import hooks
from complaintdesk.notifications import services
from complaintdesk.notifications.sms import SmsError


@shared_task(bind=True, acks_late=True, max_retries=5)
def deliver_outbound(self, message_id: int) -> str:
    try:
        return services.deliver(message_id)
    except SmsError as exc:
        if self.request.is_eager:
            # In-process mode: no broker to retry through; the outbound sweep picks it up later.
            return "queued"
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries))


def deliver_here(message_id: int) -> str:
    """Send a message from inside the task that composed it (one task per SMS instead of two: a
    broker round trip and a task start less per intake). A provider error that the delivery task
    would retry is retried by it, 30 s on, as its first retry."""
    try:
        return services.deliver(message_id)
    except SmsError:
        deliver_outbound.apply_async((message_id,), countdown=30)
        return "queued"


@shared_task(acks_late=True)
def email_notifications(keys: list[str]) -> int:
    return services.send_notification_emails(keys)


@hooks.on("notifications.emails_due")
def queue_emails(*, keys: list[str], **_kw) -> None:
    email_notifications.delay(keys)


@hooks.on("notifications.message_queued")
def queue_delivery(*, message_id: int, **_kw) -> None:
    deliver_outbound.delay(message_id)
