"""Writing timeline events. Every write of a complaint's state writes one of these in the same
transaction; sweeps pass an ``idempotency_key`` so that a re-run writes nothing twice."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import IntegrityError, transaction

from complaintdesk.complaints.choices import EventType
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.core import clock


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


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
    """Write one event; returns ``None`` when ``idempotency_key`` was already recorded."""
    event = TimelineEvent(
        complaint=complaint,
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=clock.now(),
        from_status=from_status,
        to_status=to_status or from_status,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        reason=reason,
        idempotency_key=idempotency_key,
    )
    if idempotency_key is None:
        event.save()
        return event
    if TimelineEvent.objects.filter(idempotency_key=idempotency_key).exists():
        return None
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        return None
    return event
