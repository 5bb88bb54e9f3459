"""Writing a person's action to the timeline. Every write of a complaint's state writes one event
in the same transaction; typed builders for the events the system writes live in ``events``."""

from __future__ import annotations

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import EventType
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.core import clock


def record(
    *,
    complaint: Complaint,
    type: EventType | str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    idempotency_key: str | None = None,
) -> TimelineEvent | None:
    """Write one event; returns ``None`` when ``idempotency_key`` was already recorded.

    ``reason`` is what the person typed; ``before``/``after`` hold machine values only.
    """
    return events.write(
        events.action(
            complaint=complaint,
            type=type,
            actor_id=actor.pk if getattr(actor, "pk", None) else None,
            now=clock.now(),
            from_status=from_status,
            to_status=to_status or from_status,
            before=before or {},
            after=after or {},
            reason=reason,
            idempotency_key=idempotency_key,
        )
    )
