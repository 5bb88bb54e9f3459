import pytest
from rest_framework.test import APIClient

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import PLAN, make, receive

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_is_refused(org):
    response = APIClient().get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_receive_returns_number_and_promised_time(org, pinned_clock):
    response = client_for(org.agent).post(
        "/api/v1/complaints/receive/",
        {"phone": "13812345678", "customer_name": "王五", "subject": "电梯故障", "description": "电梯困人十分钟",
         "demand": "检修电梯", "category": "repair_quality"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("TS") and body["first_answer_due_at"]
    assert body["first_owner"] == "agent" and body["status"] == Status.RECEIVED


@pytest.mark.parametrize("text", [
    "电梯困人十分钟，物业半小时才来人",  # a plain first complaint
    "我要打12315投诉你们，再不修我就找媒体曝光",  # high risk: escalated at intake
])
def test_the_create_answer_is_the_complaint_as_a_read_returns_it(org, pinned_clock, text):
    """Answered from memory (no second read), it must equal what a GET returns; a repeat's
    original and an escalation made during intake included."""
    client = client_for(org.agent)
    first = receive(org, phone="13812345678", description=text)
    created = client.post(
        "/api/v1/complaints/receive/",
        {"phone": "13812345678", "customer_name": "王五", "subject": "电梯故障", "description": text,
         "demand": "检修电梯", "category": "repair_quality", "psychology": ["respect"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == client.get(f"/api/v1/complaints/{body['id']}/").json()
    assert body["repeat_of"] == first.number


def test_the_create_answer_reads_no_records_a_new_complaint_cannot_have(org, pinned_clock):
    """Contacts, attachments, visits and extension requests of a complaint written in this very
    request are empty: the answer does not look for them (it still equals a GET's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.agent)
    with CaptureQueriesContext(connection) as queries:
        created = client.post("/api/v1/complaints/receive/", {
            "phone": "13812345678", "customer_name": "王五", "subject": "电梯故障", "description": "电梯困人十分钟",
            "category": "repair_quality"}, format="json")
    assert created.status_code == 201, created.content
    read = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    for table in ("complaints_contactlog", "complaints_attachment", "complaints_visitrecord", "sla_extensionrequest"):
        assert not [sql for sql in read if f'FROM "{table}"' in sql], table
    body = created.json()
    assert body == client.get(f"/api/v1/complaints/{body['id']}/").json()
    assert body["contacts"] == body["attachments"] == body["visits"] == body["extensions"] == []


def test_bad_phone_is_a_400_with_a_translated_field_error(org, pinned_clock):
    response = client_for(org.agent).post(
        "/api/v1/complaints/receive/", {"phone": "123", "subject": "x", "description": "y", "customer_name": "a"},
        format="json",
    )
    assert response.status_code == 400
    assert "电话号码格式不正确" in response.json()["error"]["fields"]["phone"][0]


def test_forbidden_transition_is_409_and_wrong_role_is_403(org, pinned_clock):
    c = receive(org)
    agent = client_for(org.agent)
    response = agent.post(f"/api/v1/complaints/{c.pk}/actions/accept_receipt/", {}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_transition"
    response = client_for(org.handler).post(f"/api/v1/complaints/{c.pk}/actions/review_valid/", {}, format="json")
    assert response.status_code in (403, 404)


def test_actions_move_the_complaint_and_show_on_the_timeline(org, pinned_clock):
    c = make(org, Status.HANDLING)
    response = client_for(org.handler).post(
        f"/api/v1/complaints/{c.pk}/actions/submit_plan/", {**PLAN, "compensation_amount": "0"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.IMPLEMENTING
    timeline = client_for(org.agent).get(f"/api/v1/complaints/{c.pk}/timeline/").json()["results"]
    assert timeline[-1]["type"] == "plan_submitted" and timeline[-1]["actor"] == "handler"


def test_handlers_only_see_their_department(org, pinned_clock):
    c = make(org, Status.DISPATCHED)
    assert client_for(org.handler).get(f"/api/v1/complaints/{c.pk}/").status_code == 200
    assert client_for(org.other_handler).get(f"/api/v1/complaints/{c.pk}/").status_code == 404
    listed = client_for(org.other_handler).get("/api/v1/complaints/").json()
    assert listed["results"] == []


def test_list_filters_and_search(org, pinned_clock):
    receive(org, phone="13800000001", description="门禁卡失灵")
    receive(org, phone="13800000002", description="电梯异响严重")
    agent = client_for(org.agent)
    assert len(agent.get("/api/v1/complaints/", {"search": "13800000002"}).json()["results"]) == 1
    assert len(agent.get("/api/v1/complaints/", {"queue": "to_review"}).json()["results"]) == 2
    assert agent.get("/api/v1/complaints/", {"status": "closed"}).json()["results"] == []
    assert agent.get("/api/v1/complaints/", {"status": "nonsense"}).status_code == 400


def test_phrase_check_endpoint(org):
    response = client_for(org.agent).post("/api/v1/language/check/", {"text": "这事你找领导去"}, format="json")
    assert response.status_code == 200
    assert response.json()["violations"]


def test_phrase_check_for_a_complaint_keeps_the_flag_on_it(org):
    from complaintdesk.complaints.choices import EventType
    from complaintdesk.complaints.models import TimelineEvent

    c = make(org, Status.HANDLING)
    body = {"text": "这事你找领导去", "complaint": c.pk, "field": "receipt"}
    for _ in range(2):
        response = client_for(org.handler).post("/api/v1/language/check/", body, format="json")
        assert response.status_code == 200 and response.json()["violations"]
    flagged = TimelineEvent.objects.filter(complaint=c, type=EventType.LANGUAGE_FLAGGED)
    assert flagged.count() == 1 and flagged.get().after["field"] == "receipt"
    hidden = receive(org)  # the engineering handler may not see it: 404, nothing written
    response = client_for(org.handler).post("/api/v1/language/check/", {**body, "complaint": hidden.pk}, format="json")
    assert response.status_code == 404
    assert not TimelineEvent.objects.filter(complaint=hidden, type=EventType.LANGUAGE_FLAGGED).exists()


def test_openapi_schema_builds(org):
    response = client_for(org.admin).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/complaints/receive/" in response.content
