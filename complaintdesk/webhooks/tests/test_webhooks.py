"""Webhooks against a real HTTP receiver on 127.0.0.1: signed bodies, retries with backoff, a
delivery log, replay from the admin, and nothing sent for an action that rolled back."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.urls import reverse

from complaintdesk.complaints import services as complaint_services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import clock
from complaintdesk.enforcement.actions import complaint_mark_breached
from complaintdesk.webhooks import services, signing
from complaintdesk.webhooks.models import Attempt, Delivery, DeliveryStatus, Event, EventType, Subscription

pytestmark = pytest.mark.django_db(transaction=True)
CJK = re.compile(r"[\u4e00-\u9fff]")


class Receiver:
    """An ``http.server`` in a thread that records each request and answers from a script."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                code = receiver.script.pop(0) if receiver.script else 200
                answer = b'{"ok": true}' if code < 400 else b"boom: receiver is down"
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/complaintdesk"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self, event_type: str | None = None) -> list[dict]:
        found = [json.loads(r["body"]) for r in self.requests]
        return [b for b in found if event_type is None or b["type"] == event_type]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def subscribe(receiver):
    def make_subscription(*types: str) -> Subscription:
        return Subscription.objects.create(name="CRM", url=receiver.url, secret="s3cret-for-tests", event_types=list(types))

    return make_subscription


def test_signature_scheme_round_trip_and_tampering():
    body = b'{"id":"x"}'
    header = signing.sign("key", body, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert signing.verify("key", body, header, now=1_700_000_010)
    assert not signing.verify("key", body + b" ", header, now=1_700_000_010)
    assert not signing.verify("other", body, header, now=1_700_000_010)
    assert not signing.verify("key", body, header, now=1_700_000_000 + 301)  # too old: a replay
    assert not signing.verify("key", body, "garbage", now=1_700_000_000)


def test_received_and_every_workflow_event_are_delivered_signed(org, pinned_clock, receiver, subscribe):
    subscription = subscribe(EventType.COMPLAINT_RECEIVED, EventType.STATUS_CHANGED)
    c = receive(org)
    complaint_services.complaint_review_valid(complaint=c, actor=org.agent)
    complaint_services.complaint_dispatch(complaint=c, actor=org.agent, department=org.engineering)
    assert [b["type"] for b in receiver.bodies()] == [
        "complaint.received", "complaint.status_changed", "complaint.status_changed"
    ]
    for request in receiver.requests:
        header = request["headers"][signing.HEADER.lower()]
        assert signing.verify(subscription.secret, request["body"], header, now=clock.now().timestamp())
        assert request["headers"]["x-complaintdesk-event"] == json.loads(request["body"])["type"]
        assert not CJK.search(request["body"].decode())  # machine values only, no display text
    received, accepted, dispatched = receiver.bodies()
    assert received["data"]["complaint"]["number"] == c.number and received["data"]["event"]["type"] == "received"
    assert accepted["data"]["event"] == {**accepted["data"]["event"], "type": "reviewed_valid",
                                         "from_status": Status.RECEIVED, "to_status": Status.ACCEPTED}
    assert dispatched["data"]["complaint"]["status"] == Status.DISPATCHED
    assert dispatched["data"]["complaint"]["department"] == "engineering" and dispatched["data"]["action"] == "dispatch"
    assert len({b["id"] for b in receiver.bodies()}) == 3
    assert Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 3
    log = Attempt.objects.first()
    assert log.status_code == 200 and log.succeeded and log.response_excerpt == '{"ok": true}' and log.duration_ms >= 0


def test_a_500_is_retried_with_backoff_then_succeeds(org, pinned_clock, receiver, subscribe):
    subscribe(EventType.COMPLAINT_RECEIVED)
    receiver.script = [500, 503]
    c = receive(org)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at == clock.now() + dt.timedelta(seconds=30)
    assert services.deliveries_due() == 0  # not due yet
    clock.advance(dt.timedelta(seconds=31))
    assert services.deliveries_due() == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == clock.now() + dt.timedelta(seconds=60)  # doubled
    clock.advance(dt.timedelta(seconds=61))
    assert services.deliveries_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.delivered_at == clock.now()
    assert list(delivery.log.values_list("number", "status_code", "succeeded")) == [
        (1, 500, False), (2, 503, False), (3, 200, True)
    ]
    assert delivery.log.first().response_excerpt == "boom: receiver is down"
    bodies = receiver.bodies()
    assert len(bodies) == 3 and {b["id"] for b in bodies} == {str(delivery.event.uid)}  # the same event each time
    assert bodies[0]["data"]["complaint"]["number"] == c.number


def test_gives_up_after_the_last_attempt(org, pinned_clock, receiver, subscribe, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    subscribe(EventType.COMPLAINT_RECEIVED)
    receiver.script = [500, 500, 500]
    receive(org)
    clock.advance(dt.timedelta(minutes=1))
    services.deliveries_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None and delivery.attempts == 2
    clock.advance(dt.timedelta(hours=1))
    assert services.deliveries_due() == 0 and len(receiver.requests) == 2


def test_an_unreachable_receiver_is_logged_and_retried(org, pinned_clock, subscribe):
    subscription = subscribe(EventType.COMPLAINT_RECEIVED)
    subscription.url = "http://127.0.0.1:9/nothing-listens-here"
    subscription.save()
    receive(org)
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and attempt.error and not attempt.succeeded
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_nothing_is_sent_for_an_action_that_rolled_back(org, pinned_clock, receiver, subscribe):
    subscribe(EventType.COMPLAINT_RECEIVED, EventType.STATUS_CHANGED)
    c = receive(org)
    receiver.requests.clear()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        complaint_services.complaint_review_valid(complaint=c, actor=org.agent)
        raise Abort
    with pytest.raises(Abort), transaction.atomic():
        receive(org, phone="13900002222")
        raise Abort
    assert receiver.requests == []
    assert Event.objects.count() == 1  # only the committed intake


def test_a_delivery_is_sent_once_even_when_run_twice(org, pinned_clock, receiver, subscribe):
    subscribe(EventType.COMPLAINT_RECEIVED)
    receiver.script = [500]
    receive(org)
    delivery = Delivery.objects.get()
    clock.advance(dt.timedelta(minutes=1))
    assert services._claim(Delivery.objects.filter(pk=delivery.pk)) == [delivery.pk]  # a worker holds it
    assert services.delivery_attempt(delivery.pk) == "skipped"  # the task, run again meanwhile
    assert services.deliveries_due() == 0  # and the sweep
    assert len(receiver.requests) == 1
    clock.advance(services.LEASE + dt.timedelta(seconds=1))  # the holder died: its lease expires
    assert services.deliveries_due() == 1 and len(receiver.requests) == 2
    assert services.delivery_attempt(delivery.pk) == "skipped"  # already delivered
    assert len(receiver.requests) == 2


def test_replay_from_the_admin(client, org, pinned_clock, receiver, subscribe):
    subscribe(EventType.COMPLAINT_RECEIVED)
    receive(org)
    delivery = Delivery.objects.get()
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200 and "s3cret" not in page.content.decode()
    response = client.post(
        reverse("admin:webhooks_delivery_changelist"), {"action": "replay", "_selected_action": [delivery.pk]}
    )
    assert response.status_code == 302
    bodies = receiver.bodies()
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.log.count() == 2


def test_deadline_breached_escalated_and_visit_recorded(org, pinned_clock, receiver, subscribe):
    subscribe(EventType.DEADLINE_BREACHED, EventType.ESCALATED, EventType.VISIT_RECORDED)
    c = receive(org)
    clock.set_now(c.first_answer_due_at + dt.timedelta(hours=1))
    assert complaint_mark_breached(complaint_id=c.pk, deadline="first_answer")
    breached = receiver.bodies("complaint.deadline_breached")
    assert len(breached) == 1 and breached[0]["data"]["deadline"] == "first_answer"
    assert breached[0]["data"]["complaint"]["first_answer_breached"] is True
    assert breached[0]["data"]["event"]["type"] == "deadline_breached"
    complaint_services.complaint_escalate(complaint=c, actor=org.supervisor, reason="客户情绪激动")
    escalated = receiver.bodies("complaint.escalated")
    assert escalated and escalated[-1]["data"]["action"] == "escalate"
    assert escalated[-1]["data"]["complaint"]["escalation_level"] >= 2
    visited = make(org, Status.AWAITING_VISIT, phone="13900003333")
    complaint_services.complaint_record_visit(complaint=visited, actor=org.agent, outcome="satisfied", satisfaction=5)
    [visit] = receiver.bodies("complaint.visit_recorded")
    assert visit["data"]["complaint"]["satisfaction"] == 5 and visit["data"]["complaint"]["status"] == Status.CLOSED
    assert visit["data"]["event"]["type"] == "visited"


def test_nobody_subscribed_writes_nothing(org, pinned_clock, receiver, subscribe):
    Subscription.objects.create(name="off", url=receiver.url, event_types=[EventType.COMPLAINT_RECEIVED], active=False)
    subscribe(EventType.ESCALATED)
    receive(org)
    assert Event.objects.count() == 0 and receiver.requests == []
