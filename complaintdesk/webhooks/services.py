"""Publishing events to subscribers and delivering them: signed, retried with exponential backoff,
every attempt logged, safe to run twice.

- :func:`events_publish` runs after the complaint's transaction committed (a ``core.hooks``
  listener), writes one :class:`Event` and one :class:`Delivery` per interested subscription, and
  queues each delivery after *its* commit (``webhooks.deliveries_queued`` → ``tasks``). Nothing happens for an action that rolled back.
- :func:`delivery_attempt` claims a due delivery (``select_for_update(skip_locked=True)`` and a
  lease on ``next_attempt_at``), releases the lock, POSTs, then records the outcome. Two workers,
  or a worker and the sweep, never send the same attempt twice.
- :func:`deliveries_due` is the periodic sweep: it claims what is due (first tries whose task was
  lost, and retries) and attempts each.
- :func:`delivery_replay` puts a delivery back in the queue (the admin's "replay" action).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from complaintdesk.complaints.choices import EventType as TimelineType
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.core import clock, hooks
from complaintdesk.webhooks import signing
from complaintdesk.webhooks.models import Attempt, Delivery, DeliveryStatus, Event, EventType, Subscription

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min … capped
BACKOFF_CAP_SECONDS = 6 * 3600
LEASE = dt.timedelta(minutes=2)  # longer than the HTTP timeout: a crashed worker's claim expires
TIMEOUT_SECONDS = 10
EXCERPT = 1000


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    return dt.timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1)))


# -- payloads -----------------------------------------------------------------------------------


def _complaint_values(c: Complaint) -> dict:
    """Machine values only (codes, ids, timestamps): receivers translate for their own users."""
    return {
        "id": c.pk,
        "number": c.number,
        "status": c.status,
        "channel": c.channel,
        "nature": c.nature,
        "category": c.category.code if c.category_id else None,
        "department": c.department.code if c.department_id else None,
        "priority": c.priority,
        "escalation_level": c.escalation_level,
        "received_at": c.received_at,
        "first_answer_due_at": c.first_answer_due_at,
        "implement_due_at": c.implement_due_at,
        "next_callback_due_at": c.next_callback_due_at,
        "visit_due_at": c.visit_due_at,
        "first_answer_breached": c.first_answer_breached,
        "implement_breached": c.implement_breached,
        "satisfaction": c.satisfaction,
        "closure_reason": c.closure_reason or None,
        "closed_at": c.closed_at,
    }


def _timeline_values(event: TimelineEvent | None) -> dict | None:
    if event is None:
        return None
    return {
        "id": event.pk,
        "type": event.type,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "created_at": event.created_at,
    }


def _subscribers(event_type: str) -> list[Subscription]:
    return [s for s in Subscription.objects.filter(active=True) if s.wants(event_type)]


# The timeline events behind each webhook event, when the hook did not name one.
_TIMELINE_TYPES = {
    EventType.COMPLAINT_RECEIVED: [TimelineType.RECEIVED],
    # A sweep's escalation is recorded inside its breach event.
    EventType.ESCALATED: [TimelineType.ESCALATED, TimelineType.DEADLINE_BREACHED, TimelineType.CALLBACK_MISSED],
    EventType.DEADLINE_BREACHED: [TimelineType.DEADLINE_BREACHED, TimelineType.CALLBACK_MISSED],
    EventType.VISIT_RECORDED: [TimelineType.VISITED],
}


def _latest_timeline(event_type: str, complaint_ids: list[int]) -> dict[int, TimelineEvent]:
    """The newest matching timeline event per complaint (one query over the chunk's complaints)."""
    latest: dict[int, TimelineEvent] = {}
    qs = TimelineEvent.objects.filter(complaint_id__in=complaint_ids)
    if event_type in _TIMELINE_TYPES:
        qs = qs.filter(type__in=_TIMELINE_TYPES[event_type])
    for row in qs.order_by("complaint_id", "-id"):
        latest.setdefault(row.complaint_id, row)
    return latest


def events_publish(
    *,
    event_type: str,
    complaint_ids: Iterable[int],
    timeline_event_id: int | None = None,
    extra: dict | None = None,
) -> list[Event]:
    """Write the events and their deliveries (one query when nobody subscribes).

    Each event is keyed by the timeline event behind it, so publishing the same thing twice
    writes nothing new. ``timeline_event_id`` names it when the hook knows it (``perform``);
    otherwise the newest timeline event of the matching type is taken.
    """
    if event_type not in EventType.values:
        raise ValueError(event_type)
    subscribers = _subscribers(event_type)
    if not subscribers:
        return []
    ids = list(complaint_ids)
    complaints = Complaint.objects.select_related("category", "department").in_bulk(ids)
    if timeline_event_id:
        named = TimelineEvent.objects.filter(pk=timeline_event_id).first()
        timeline = {named.complaint_id: named} if named else {}
    else:
        timeline = _latest_timeline(event_type, ids)
    now = clock.now()
    published: list[Event] = []
    with transaction.atomic():
        for pk, complaint in complaints.items():
            behind = timeline.get(pk)
            occurred = behind.created_at if behind else now
            uid = uuid.uuid4()
            body = {
                "id": str(uid),
                "type": event_type,
                "occurred_at": occurred,
                "data": {"complaint": _complaint_values(complaint), "event": _timeline_values(behind), **(extra or {})},
            }
            source = f"{event_type}:tl{behind.pk}" if behind else f"{event_type}:c{pk}:{now.isoformat()}"
            event, created = Event.objects.get_or_create(
                source_key=source,
                defaults={
                    "uid": uid, "type": event_type, "complaint_id": pk, "occurred_at": occurred,
                    "payload": json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                },
            )
            if not created:
                continue
            Delivery.objects.bulk_create(
                [Delivery(event=event, subscription=s, next_attempt_at=now, created_at=now) for s in subscribers],
                ignore_conflicts=True,
            )
            published.append(event)
        queued = list(Delivery.objects.filter(event__in=published).values_list("pk", flat=True))
        if queued:
            hooks.emit("webhooks.deliveries_queued", delivery_ids=queued)
    return published


# -- delivery -----------------------------------------------------------------------------------


def _claim(query) -> list[int]:
    """Lock the due rows nobody else holds, push their ``next_attempt_at`` a lease ahead and count
    the attempt; the caller sends after this commits (no lock is held over the network)."""
    now = clock.now()
    with transaction.atomic():
        rows = list(
            query.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .values_list("pk", "attempts")
        )
        for pk, attempts in rows:
            Delivery.objects.filter(pk=pk).update(next_attempt_at=now + LEASE, attempts=attempts + 1)
    return [pk for pk, _attempts in rows]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer, not a new target
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status code, response excerpt, error) — never raises for network or HTTP errors."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(EXCERPT).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as exc:
        text = exc.read(EXCERPT).decode("utf-8", "replace") if exc.fp else ""
        return exc.code, text, ""
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        return None, "", str(getattr(exc, "reason", exc))[:500]


def _send(delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    subscription, event = delivery.subscription, delivery.event
    body = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode()
    started = clock.now()
    timestamp = int(started.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "ComplaintDesk-Webhooks/1",
        "X-ComplaintDesk-Event": event.type,
        "X-ComplaintDesk-Event-Id": str(event.uid),
        "X-ComplaintDesk-Delivery": str(delivery.pk),
        signing.HEADER: signing.sign(subscription.secret, body, timestamp),
    }
    tick = time.monotonic()
    if subscription.active:
        code, excerpt, error = _post(subscription.url, body, headers)
    else:
        code, excerpt, error = None, "", "subscription inactive"
    duration = int((time.monotonic() - tick) * 1000)
    ok = code is not None and 200 <= code < 300
    now = clock.now()
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery, number=delivery.log.count() + 1, started_at=started, duration_ms=duration,
            status_code=code, response_excerpt=excerpt[:EXCERPT], error=error[:500], succeeded=ok,
        )
        if ok:
            fields = {"status": DeliveryStatus.SUCCEEDED, "delivered_at": now, "next_attempt_at": None}
        elif delivery.attempts >= getattr(settings, "WEBHOOK_MAX_ATTEMPTS", MAX_ATTEMPTS) or not subscription.active:
            fields = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        else:
            fields = {"next_attempt_at": now + backoff(delivery.attempts)}
        Delivery.objects.filter(pk=delivery.pk).update(last_status_code=code, **fields)
    return fields.get("status", DeliveryStatus.PENDING)


def delivery_attempt(delivery_id: int) -> str:
    """Try one delivery if it is due and nobody else holds it; returns its status afterwards
    (``"skipped"`` when it was not ours to send)."""
    if not _claim(Delivery.objects.filter(pk=delivery_id)):
        return "skipped"
    return _send(delivery_id)


def deliveries_due(*, limit: int = 200) -> int:
    """The periodic sweep: attempt every due delivery (at most ``limit``); returns how many."""
    due = Delivery.objects.filter(
        pk__in=Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=clock.now())
        .order_by("next_attempt_at")
        .values("pk")[:limit]
    )
    claimed = _claim(due)
    for pk in claimed:
        try:
            _send(pk)
        except Exception:  # one bad row must not stop the sweep; its lease expires and it retries
            log.exception("webhook delivery %s failed", pk)
    return len(claimed)


def delivery_replay(*, delivery_ids: Iterable[int]) -> int:
    """Queue deliveries again (also succeeded or given-up ones): a fresh budget of attempts."""
    ids = list(delivery_ids)
    now = clock.now()
    with transaction.atomic():
        count = Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, delivered_at=None
        )
        hooks.emit("webhooks.deliveries_queued", delivery_ids=ids)
    return count
