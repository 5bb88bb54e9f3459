"""The customer's SMS is composed on the worker, not in the person's request (issue 12), and is
never lost: keyed once per occasion, composed in-process when the broker refuses the task."""

import pytest

from complaintdesk.complaints import tasks
from complaintdesk.complaints.tests.factories import receive
from complaintdesk.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_intake_only_queues_the_sms_and_the_worker_composes_it_once(org, pinned_clock, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.send_customer_sms, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    assert queued == [(c.pk, "receipt", "receipt")]
    assert not OutboundMessage.objects.filter(complaint=c).exists()  # nothing composed in the request
    tasks.send_customer_sms(*queued[0])  # the worker
    tasks.send_customer_sms(*queued[0])  # delivered twice by the broker: still one text
    message = OutboundMessage.objects.get(complaint=c)
    assert message.template_code == "receipt" and message.to == c.contact_phone and c.number in message.body


def test_a_broker_that_refuses_the_task_does_not_lose_the_sms(org, pinned_clock, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    def refuse(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_customer_sms, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    assert OutboundMessage.objects.filter(complaint=c, template_code="receipt").count() == 1


def test_the_worker_sends_the_sms_in_the_task_that_composed_it(org, pinned_clock, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    """One task per SMS: composing it does not queue a second task to send it."""
    from complaintdesk.notifications import tasks as delivery
    from complaintdesk.notifications.models import OutboundStatus

    second = []
    monkeypatch.setattr(delivery.deliver_outbound, "delay", lambda *args: second.append(args))
    monkeypatch.setattr(delivery.deliver_outbound, "apply_async", lambda *args, **kw: second.append((args, kw)))
    monkeypatch.setattr(tasks.send_customer_sms, "delay", lambda *args: None)
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_customer_sms(c.pk, "receipt", "receipt")
    message = OutboundMessage.objects.get(complaint=c)
    assert message.status == OutboundStatus.SENT and message.sent_at is not None and second == []


def test_a_provider_error_in_that_task_is_retried_by_the_delivery_task(org, pinned_clock, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    from complaintdesk.notifications import services as notification_services
    from complaintdesk.notifications import tasks as delivery
    from complaintdesk.notifications.models import OutboundStatus
    from complaintdesk.notifications.sms import SmsError

    class Down:
        name = "down"

        def send(self, message):
            raise SmsError("gateway timeout", retryable=True)

    retried = []
    monkeypatch.setattr(notification_services, "get_backend", Down)
    monkeypatch.setattr(delivery.deliver_outbound, "apply_async", lambda *args, **kw: retried.append((args, kw)))
    monkeypatch.setattr(tasks.send_customer_sms, "delay", lambda *args: None)
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    tasks.send_customer_sms(c.pk, "receipt", "receipt")
    message = OutboundMessage.objects.get(complaint=c)
    assert message.status == OutboundStatus.QUEUED and message.attempts == 1
    assert retried == [(((message.pk,),), {"countdown": 30})]
