"""Thin tasks and the ``core.hooks`` listeners that feed them. Safe to run twice.

Every listener runs only after the complaint's transaction committed (``core.hooks``): an action
that rolled back publishes nothing. In the embedded default (no broker) ``delay`` runs in-process.
"""

from __future__ import annotations

from celery import shared_task

from complaintdesk.core import hooks
from complaintdesk.webhooks import services
from complaintdesk.webhooks.models import EventType


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id)


@shared_task(acks_late=True)
def deliver_due_webhooks() -> int:
    return services.deliveries_due()


@hooks.on("webhooks.deliveries_queued")
def queue_deliveries(*, delivery_ids: list[int], **_kw) -> None:
    for pk in delivery_ids:
        deliver_webhook.delay(pk)


def _publisher(event_type: str):
    def listener(*, complaint_id: int, event_id: int | None = None, action: str = "", **_kw) -> None:
        services.events_publish(
            event_type=event_type, complaint_ids=[complaint_id], timeline_event_id=event_id, extra={"action": action}
        )

    listener.__name__ = f"publish_{event_type.replace('.', '_')}"
    return listener


hooks.on("complaint.received")(_publisher(EventType.COMPLAINT_RECEIVED))
hooks.on("complaint.changed")(_publisher(EventType.STATUS_CHANGED))
hooks.on("complaint.escalated")(_publisher(EventType.ESCALATED))
hooks.on("complaint.visited")(_publisher(EventType.VISIT_RECORDED))


@hooks.on("complaints.deadline_breached")
def publish_breaches(*, complaint_ids: list[int], deadline: str, **_kw) -> None:
    services.events_publish(
        event_type=EventType.DEADLINE_BREACHED, complaint_ids=complaint_ids, extra={"deadline": deadline}
    )
