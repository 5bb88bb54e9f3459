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
