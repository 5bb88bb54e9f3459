"""Every action of the transition table has an endpoint with its own input serializer — generated
from the table, so they cannot drift — and the rules that had no API before work over it."""

import datetime as dt
import io

import pytest
from django.urls import resolve
from rest_framework import serializers

from complaintdesk.api.tests.helpers import error, token_client
from complaintdesk.api.v1 import actions
from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Nature, Status
from complaintdesk.complaints.models import Attachment, TimelineEvent
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT, make, receive

pytestmark = pytest.mark.django_db


def test_every_action_of_the_table_has_an_endpoint_and_an_input_serializer():
    assert set(actions.ENDPOINTS) == set(workflow.ACTIONS)
    for name in workflow.ACTIONS:
        endpoint = actions.ENDPOINTS[name]
        assert issubclass(endpoint.input, serializers.Serializer), name
        match = resolve(f"/api/v1/complaints/1/actions/{name}/")
        assert match.func.view_class is actions.VIEWS[name]


def test_the_published_schema_documents_every_action(org):
    schema = token_client(org.admin).get("/api/schema/", {"format": "json"}).json()
    for name in workflow.ACTIONS:
        operation = schema["paths"][f"/api/v1/complaints/{{id}}/actions/{name}/"]["post"]
        assert operation["operationId"] == f"complaint_{name}"
        assert "requestBody" in operation or not actions.ENDPOINTS[name].input().fields
    upload = schema["paths"]["/api/v1/complaints/{id}/actions/add_attachment/"]["post"]["requestBody"]
    assert list(upload["content"]) == ["multipart/form-data"]


def test_an_unknown_action_is_404(org, pinned_clock):
    c = receive(org)
    response = token_client(org.agent).post(f"/api/v1/complaints/{c.pk}/actions/fly_away/", {}, format="json")
    assert response.status_code == 404 and error(response)["code"] == "not_found"


def post(user, c, action, data=None, **kwargs):
    return token_client(user).post(f"/api/v1/complaints/{c.pk}/actions/{action}/", data or {}, format="json", **kwargs)


def test_resolve_on_spot(org, pinned_clock):
    c = receive(org)
    refused = post(org.agent, c, "resolve_on_spot", {"resolution": "当场更换门禁卡", "customer_confirmed": False})
    assert refused.status_code == 400 and "customer_confirmed" in error(refused)["fields"]
    response = post(org.agent, c, "resolve_on_spot", {"resolution": "当场更换门禁卡", "customer_confirmed": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.CLOSED and body["closure_reason"] == "exempt_on_spot"
    assert body["resolved_by_first_owner"] is True and body["solvability"] == "immediate"


def test_reclassify_and_upgrade_a_communication_case(org, pinned_clock):
    c = receive(org)
    response = post(org.agent, c, "classify", {"nature": Nature.INQUIRY, "dimension": "empathy", "reason": "实为咨询"})
    assert response.status_code == 200, response.content
    assert response.json()["nature"] == Nature.INQUIRY and response.json()["dimension"] == "empathy"
    response = post(org.agent, c, "upgrade_nature", {"reason": "答复后客户仍不满意，升级为有效投诉"})
    assert response.status_code == 200 and response.json()["nature"] == Nature.VALID
    assert post(org.agent, c, "upgrade_nature", {"reason": "再升一次"}).status_code == 400
    types = list(TimelineEvent.objects.filter(complaint=c).values_list("type", flat=True))
    assert "classified" in types and "nature_upgraded" in types


def test_three_changes_by_a_supervisor_only(org, pinned_clock):
    c = make(org, Status.HANDLING)
    when = (pinned_clock.now() + dt.timedelta(days=1)).isoformat()
    data = {"changes": ["person", "time"], "new_handler": "handler_b", "contact_time": when, "reason": "客户情绪激烈"}
    assert post(org.agent, c, "three_changes", data).status_code == 403
    response = post(org.supervisor, c, "three_changes", data)
    assert response.status_code == 200, response.content
    assert response.json()["handler"] == "handler_b" and response.json()["next_callback_due_at"]


def test_extensions_request_and_decision(org, pinned_clock):
    c = make(org, Status.HANDLING)
    due_before = c.implement_due_at
    response = post(org.handler, c, "request_extension", {"working_days": 2, "reason": "等待厂家配件"})
    assert response.status_code == 200, response.content
    assert response.json()["extensions"][0]["status"] == "pending"
    assert post(org.handler, c, "request_extension", {"working_days": 2, "reason": "再来"}).status_code == 409
    assert post(org.handler, c, "request_extension", {"working_days": 99, "reason": "x"}).status_code == 400
    response = post(org.supervisor, c, "decide_extension", {"approve": True, "comment": "同意"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["extensions"][0]["status"] == "approved" and body["implement_due_at"] > due_before.isoformat()[:10]


def test_attachment_upload_is_multipart_and_listed(org, pinned_clock):
    c = receive(org)
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    png.name = "photo.png"
    response = token_client(org.agent).post(
        f"/api/v1/complaints/{c.pk}/actions/add_attachment/", {"file": png}, format="multipart"
    )
    assert response.status_code == 200, response.content
    [attachment] = response.json()["attachments"]
    assert attachment["original_name"] == "photo.png" and attachment["content_type"] == "image/png"
    assert attachment["download_url"] == f"/c/{c.pk}/attachments/{attachment['id']}/"
    download = token_client(org.agent).get(attachment["api_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Type"] == "image/png"
    assert token_client(org.other_handler).get(attachment["api_url"]).status_code == 404
    fake = io.BytesIO(b"not an image")
    fake.name = "x.png"
    refused = token_client(org.agent).post(
        f"/api/v1/complaints/{c.pk}/actions/add_attachment/", {"file": fake}, format="multipart"
    )
    assert refused.status_code == 400 and "file" in error(refused)["fields"]
    assert Attachment.objects.filter(complaint=c).count() == 1


def test_visit_with_per_dimension_scores_and_answers(org, pinned_clock):
    c = make(org, Status.AWAITING_VISIT)
    data = {"satisfaction": 4, "dimensions": {"empathy": 5, "responsiveness": 3}, "process": "响应及时",
            "measures": "认可", "result": "已解决", "notes": "客户满意"}
    bad = post(org.agent, c, "visit_satisfied", {**data, "dimensions": {"speed": 5}})
    assert bad.status_code == 400 and "dimensions" in error(bad)["fields"]
    response = post(org.agent, c, "visit_satisfied", data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.CLOSED and body["satisfaction_dimensions"] == {"empathy": 5, "responsiveness": 3}
    [visit] = body["visits"]
    assert visit["outcome"] == "satisfied" and visit["dimensions"]["empathy"] == 5
    assert visit["answers"] == {"process": "响应及时", "measures": "认可", "result": "已解决"}


def test_unsatisfied_visit_goes_back_up_and_request_approval_forces_a_supervisor(org, pinned_clock):
    c = make(org, Status.AWAITING_VISIT)
    response = post(org.agent, c, "visit_unsatisfied", {"satisfaction": 2, "notes": "问题依旧"})
    assert response.status_code == 200 and response.json()["status"] == Status.HANDLING
    response = post(org.handler, c, "request_approval", {**PLAN, "compensation_amount": "0"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.PENDING_APPROVAL and body["needs_approval"] is True


def test_the_whole_main_path_over_the_api(org, pinned_clock):
    c = receive(org)
    steps = [
        (org.agent, "review_valid", {}),
        (org.agent, "dispatch", {"department": "engineering", "note": "请尽快处理"}),
        (org.handler, "accept_ticket", {}),
        (org.handler, "submit_plan", {**PLAN, "compensation_amount": "100.00", "compensation_description": "赠送延保"}),
        (org.supervisor, "approve_plan", {"comment": "同意"}),
        (org.handler, "submit_receipt", {"text": RECEIPT}),
        (org.agent, "accept_receipt", {}),
        (org.agent, "visit_satisfied", {"satisfaction": 5}),
        (org.supervisor, "archive", {}),
    ]
    for user, action, data in steps:
        response = post(user, c, action, data)
        assert response.status_code == 200, (action, response.content)
    body = token_client(org.agent).get(f"/api/v1/complaints/{c.pk}/").json()
    assert body["status"] == Status.ARCHIVED
    assert body["cause_analysis"] == PLAN["cause_analysis"] and body["responsibility"] == PLAN["responsibility"]
    assert body["plan_options"] == PLAN["plan_options"] and body["chosen_plan_text"] == PLAN["plan_options"][0]
    assert body["compensation_amount"] == "100.00" and body["approved_by"] == "supervisor"
    assert body["approval_comment"] == "同意" and body["receipt_text"] == RECEIPT
    assert body["closure_reason"] == "satisfied" and body["allowed_actions"] == []
    assert body["department"] == "engineering" and body["handler"] == "handler"
