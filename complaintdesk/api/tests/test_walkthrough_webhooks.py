"""Another system drives a complaint through the API with a token and receives, signed, a webhook
for every step it took (webhooks leave after commit, so this test commits for real)."""

import json

import pytest

from complaintdesk.api.tests.test_walkthrough import Desk
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT
from complaintdesk.core import clock
from complaintdesk.webhooks import signing
from complaintdesk.webhooks.models import EventType, Subscription
from complaintdesk.webhooks.tests.test_webhooks import receiver  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_path_driven_through_the_api_arrives_as_signed_webhooks(org, pinned_clock, receiver):  # noqa: F811
    subscription = Subscription.objects.create(
        name="CRM", url=receiver.url, secret="crm-secret-1234",
        event_types=[EventType.COMPLAINT_RECEIVED, EventType.STATUS_CHANGED, EventType.VISIT_RECORDED],
    )
    desk = Desk(org)
    c = desk.receive(key="crm-42")
    steps = [
        (desk.agent, "review_valid", {}),
        (desk.agent, "dispatch", {"department": "engineering"}),
        (desk.handler, "accept_ticket", {}),
        (desk.handler, "submit_plan", {**PLAN, "cause_detail": "product"}),
        (desk.handler, "submit_receipt", {"text": RECEIPT}),
        (desk.agent, "accept_receipt", {}),
        (desk.agent, "visit_satisfied", {"method": "phone", "satisfaction": 5, "process": "及时",
                                         "measures": "认可", "result": "已解决"}),
        (desk.supervisor, "archive", {}),
    ]
    for client, action, data in steps:
        desk.act(client, c, action, data)

    bodies = receiver.bodies()
    assert bodies[0]["type"] == "complaint.received"
    assert bodies[0]["data"]["complaint"]["number"] == c["number"]
    changed = [b["data"]["action"] for b in receiver.bodies("complaint.status_changed")]
    assert [action for _client, action, _data in steps if action in changed] == changed
    assert {"review_valid", "dispatch", "accept_ticket", "accept_receipt", "archive"} <= set(changed)
    assert receiver.bodies("complaint.visit_recorded")
    assert receiver.bodies()[-1]["data"]["complaint"]["status"] == "archived"
    for request in receiver.requests:
        header = request["headers"][signing.HEADER.lower()]
        assert signing.verify(subscription.secret, request["body"], header, now=clock.now().timestamp())
        assert json.loads(request["body"])["data"]["complaint"]["number"] == c["number"]
