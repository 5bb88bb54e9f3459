"""What other systems read: typed complaint detail, customers by phone, messages sent, the
caller's notifications, the calendar and deadlines — paged by cursor, filtered like the queues."""

import datetime as dt

import pytest

from complaintdesk.api.tests.helpers import error, token_client
from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_invalid_review_reason_and_explanation_are_typed_fields(org, pinned_clock):
    c = receive(org)
    services.complaint_review_invalid(complaint=c, actor=org.agent, reason="非我司责任范围",
                                      explanation="您好，此事属于燃气公司负责，我们已帮您转达。")
    body = token_client(org.agent).get(f"/api/v1/complaints/{c.pk}/").json()
    assert body["is_valid"] is False and body["invalid_reason"] == "非我司责任范围"
    assert body["invalid_explanation"].startswith("您好") and body["closure_reason"] == "invalid"


def test_breach_flags_missed_call_backs_and_deadlines_are_in_the_detail(org, pinned_clock):
    c = make(org, Status.HANDLING)
    body = token_client(org.agent).get(f"/api/v1/complaints/{c.pk}/").json()
    for field in ("first_answer_due_at", "implement_due_at", "next_callback_due_at", "visit_due_at",
                  "first_answer_breached", "implement_breached", "callbacks_missed", "dispatched_at"):
        assert field in body, field
    assert body["implement_due_at"] and body["callbacks_missed"] == 0 and body["first_answer_breached"] is False


def test_list_pages_by_cursor_and_filters_like_the_queues(org, pinned_clock):
    for i in range(5):
        receive(org, phone=f"1380000000{i}", description=f"第{i}个问题：门禁卡失灵")
    make(org, Status.DISPATCHED, phone="13900000009")
    client = token_client(org.agent)
    first = client.get("/api/v1/complaints/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["previous"] is None and first["next"]
    seen = [r["id"] for r in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [r["id"] for r in page["results"]]
    assert len(seen) == len(set(seen)) == 6
    assert len(client.get("/api/v1/complaints/", {"queue": "to_review"}).json()["results"]) == 5
    assert len(client.get("/api/v1/complaints/", {"status": "dispatched"}).json()["results"]) == 1
    assert len(token_client(org.handler).get("/api/v1/complaints/", {"queue": "department"}).json()["results"]) == 1
    assert client.get("/api/v1/complaints/", {"queue": "nope"}).status_code == 400


def test_customer_lookup_by_phone_and_history(org, pinned_clock):
    c = receive(org, phone="13812345678")
    client = token_client(org.agent)
    found = client.get("/api/v1/customers/", {"phone": "138 1234 5678"}).json()
    assert found["phone"] == "13812345678" and found["results"][0]["name"] == "王五"
    customer_id = found["results"][0]["id"]
    detail = client.get(f"/api/v1/customers/{customer_id}/").json()
    assert [x["number"] for x in detail["complaints"]] == [c.number]
    assert client.get("/api/v1/customers/", {"phone": "13900000000"}).json()["results"] == []
    assert client.get("/api/v1/customers/", {"phone": "12"}).status_code == 400
    # Customer records are the desk's: a handler is refused.
    assert token_client(org.handler).get("/api/v1/customers/", {"phone": "13812345678"}).status_code == 403


def test_messages_sent_to_the_customer(org, pinned_clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    body = token_client(org.agent).get(f"/api/v1/complaints/{c.pk}/messages/").json()
    assert body["results"], "the receipt SMS is listed"
    assert body["results"][0]["template_code"] == "receipt" and body["results"][0]["to"] == "13812345678"


def test_notifications_are_the_callers_own(org, pinned_clock):
    c = receive(org)
    Notification.objects.create(recipient=org.agent, complaint=c, kind="assigned", text="给 agent",
                                created_at=pinned_clock.now(), idempotency_key="t1")
    Notification.objects.create(recipient=org.agent2, kind="assigned", text="给 agent2",
                                created_at=pinned_clock.now(), idempotency_key="t2")
    client = token_client(org.agent)
    mine = client.get("/api/v1/notifications/").json()["results"]
    assert [n["text"] for n in mine] == ["给 agent"] and mine[0]["complaint"] == c.number
    assert client.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"] == []
    assert Notification.objects.get(idempotency_key="t2").read_at is None


def test_calendar_and_deadlines(org, pinned_clock):
    client = token_client(org.agent)
    days = client.get("/api/v1/calendar/", {"date_from": "2026-10-01", "date_to": "2026-10-08"}).json()["days"]
    assert len(days) == 8 and days[0]["is_working_day"] is False  # 国庆节
    refused = client.get("/api/v1/calendar/", {"date_from": "2026-01-01", "date_to": "2028-01-01"})
    assert refused.status_code == 400 and "date_to" in error(refused)["fields"]
    assert client.get("/api/v1/calendar/", {"date_from": "0001-01-01"}).status_code == 400
    c = receive(org)
    assert client.get("/api/v1/deadlines/", {"which": "overdue"}).json()["results"] == []
    with pinned_clock.frozen(pinned_clock.now() + dt.timedelta(days=5)):
        late = client.get("/api/v1/deadlines/", {"which": "overdue"}).json()["results"]
    assert [d["number"] for d in late] == [c.number] and late[0]["first_answer_due_at"]


def test_the_detail_reads_the_complaint_once(org, pinned_clock):
    """The complaint's own row is read once per request (it was read twice: 8 joins each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = make(org, Status.HANDLING)
    client = token_client(org.agent)
    for path in (f"/api/v1/complaints/{c.pk}/", f"/api/v1/complaints/by-number/{c.number}/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        reads = [q["sql"] for q in queries.captured_queries
                 if q["sql"].startswith('SELECT "complaints_complaint"."id", "complaints_complaint"."number"')]
        assert len(reads) == 1, reads


def test_the_list_is_three_queries_whatever_the_rows_hold(org, pinned_clock):
    """Repeats, handlers and labels of 12 rows cost no query per row; long texts are not read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = receive(org, phone="13800000100", description="门禁卡又失灵了，刷了好几次都进不去")
    for i in range(10):
        receive(org, phone=f"1380000020{i}", description=f"第{i}次反映：电梯异响，晚上吵得睡不着")
    services.complaint_review_valid(complaint=first, actor=org.agent)
    again = receive(org, phone="13800000100", description="门禁卡又失灵了，刷了好几次都进不去")
    client = token_client(org.agent)
    client.get("/api/v1/complaints/")  # the token and session rows are warm
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/complaints/").json()
    assert len(queries.captured_queries) <= 3, [q["sql"][:120] for q in queries.captured_queries]
    rows = {row["number"]: row for row in body["results"]}
    assert len(rows) == 12
    assert again.repeat_of_id == first.pk and rows[again.number]["repeat_of"] == first.number
    assert rows[first.number]["status_label"] == str(Status.ACCEPTED.label) == "待派单"
    listing = next(q["sql"] for q in queries.captured_queries if "complaints_complaint" in q["sql"])
    assert '"complaints_complaint"."description"' not in listing
