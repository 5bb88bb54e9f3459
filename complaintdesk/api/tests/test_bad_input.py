"""What an attacker or a buggy system sends gets a clear, translated 4xx — never a 500 — and
nothing already stored is lost or polluted."""

import datetime as dt

import pytest

from complaintdesk.api.tests.helpers import error, token_client
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint, ContactLog, TimelineEvent
from complaintdesk.complaints.tests.factories import PLAN, make, receive
from complaintdesk.core import limits

pytestmark = pytest.mark.django_db

INTAKE = {"phone": "13812345678", "customer_name": "王五", "subject": "电梯故障", "description": "电梯困人十分钟",
          "demand": "检修电梯", "category": "repair_quality"}


def _raw_post(client, url, body: str):
    return client.generic("POST", url, body, content_type="application/json")


def test_deeply_nested_json_is_a_400(org, pinned_clock):
    client = token_client(org.agent)
    hostile = '{"phone": ' + "[" * 100000 + "]" * 100000 + "}"
    response = _raw_post(client, "/api/v1/complaints/receive/", hostile)
    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"
    moderately = '{"phone": "13812345678", "psychology": ' + "[" * 50 + "]" * 50 + "}"
    assert _raw_post(client, "/api/v1/complaints/receive/", moderately).status_code == 400
    assert Complaint.objects.count() == 0


def test_by_number_with_a_nul_byte_is_a_404(org, pinned_clock):
    c = receive(org)
    client = token_client(org.agent)
    response = client.get("/api/v1/complaints/by-number/%00/")
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert client.get(f"/api/v1/complaints/by-number/{c.number}/").json()["id"] == c.pk
    assert client.get(f"/api/v1/complaints/by-number/{c.number.lower()}/").json()["id"] == c.pk


@pytest.mark.parametrize("kind", ["other", "callback_promised", "callback_done"])
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59"])
def test_log_contact_with_an_absurd_promise_is_a_400(org, pinned_clock, kind, when):
    c = receive(org)
    response = token_client(org.agent).post(
        f"/api/v1/complaints/{c.pk}/actions/log_contact/",
        {"kind": kind, "note": "已联系客户", "promised_for": when}, format="json",
    )
    assert response.status_code == 400, response.content
    assert "promised_for" in error(response)["fields"]
    assert not ContactLog.objects.filter(complaint=c).exists()
    c.refresh_from_db()
    assert c.next_callback_due_at is None


def test_a_promise_within_the_year_is_kept(org, pinned_clock):
    c = receive(org)
    when = (pinned_clock.now() + dt.timedelta(days=2)).isoformat()
    response = token_client(org.agent).post(
        f"/api/v1/complaints/{c.pk}/actions/log_contact/",
        {"kind": "callback_promised", "note": "约定后天回电", "promised_for": when}, format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["next_callback_due_at"]
    assert response.json()["contacts"][0]["kind"] == "callback_promised"


@pytest.mark.parametrize("url", ["receive", "review_valid"])
def test_a_nul_character_in_category_is_a_400(org, pinned_clock, url):
    client = token_client(org.agent)
    if url == "receive":
        response = client.post("/api/v1/complaints/receive/", {**INTAKE, "category": "repair\x00quality"}, format="json")
    else:
        c = receive(org)
        response = client.post(f"/api/v1/complaints/{c.pk}/actions/review_valid/", {"category": "a\x00"}, format="json")
    assert response.status_code == 400, response.content
    assert "category" in error(response)["fields"]


def test_a_nul_character_in_dispatch_department_is_a_400(org, pinned_clock):
    c = make(org, Status.ACCEPTED)
    response = token_client(org.agent).post(
        f"/api/v1/complaints/{c.pk}/actions/dispatch/", {"department": "eng\x00"}, format="json"
    )
    assert response.status_code == 400 and "department" in error(response)["fields"]


def test_a_one_megabyte_note_is_refused_and_nothing_is_stored(org, pinned_clock):
    c = receive(org)
    before = TimelineEvent.objects.filter(complaint=c).count()
    client = token_client(org.agent)
    huge = "字" * (1024 * 1024)
    response = client.post(f"/api/v1/complaints/{c.pk}/actions/add_note/", {"text": huge}, format="json")
    assert response.status_code == 400 and "text" in error(response)["fields"]
    response = client.post(
        f"/api/v1/complaints/{c.pk}/actions/log_contact/", {"kind": "other", "note": huge}, format="json"
    )
    assert response.status_code == 400 and "note" in error(response)["fields"]
    assert TimelineEvent.objects.filter(complaint=c).count() == before
    ok = client.post(f"/api/v1/complaints/{c.pk}/actions/add_note/", {"text": "字" * limits.TEXT}, format="json")
    assert ok.status_code == 200


def test_the_service_layer_refuses_long_texts_for_every_caller(org, pinned_clock):
    from complaintdesk.complaints import services
    from complaintdesk.core.errors import ValidationFailed

    c = receive(org)
    with pytest.raises(ValidationFailed) as raised:
        services.complaint_add_note(complaint=c, actor=org.agent, text="x" * (limits.TEXT + 1))
    assert "text" in raised.value.errors
    with pytest.raises(ValidationFailed):
        services.complaint_escalate(complaint=c, actor=org.agent, reason="x" * (limits.REASON + 1))
    with pytest.raises(ValidationFailed):
        services.complaint_add_note(complaint=c, actor=org.agent, text="bad\x00byte")


def test_a_plan_with_a_thousand_options_is_refused(org, pinned_clock):
    c = make(org, Status.HANDLING)
    client = token_client(org.handler)
    response = client.post(
        f"/api/v1/complaints/{c.pk}/actions/submit_plan/",
        {**PLAN, "plan_options": [f"方案{i}" for i in range(1000)]}, format="json",
    )
    assert response.status_code == 400 and "plan_options" in error(response)["fields"]
    from complaintdesk.complaints import services
    from complaintdesk.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.complaint_submit_plan(
            complaint=c, actor=org.handler, **{**PLAN, "plan_options": [f"方案{i}" for i in range(1000)]}
        )
    c.refresh_from_db()
    assert c.status == Status.HANDLING and c.plan_options == []


def test_compensation_text_longer_than_its_column_is_a_400_not_a_database_error(org, pinned_clock):
    c = make(org, Status.HANDLING)
    response = token_client(org.handler).post(
        f"/api/v1/complaints/{c.pk}/actions/submit_plan/",
        {**PLAN, "compensation_amount": "50", "compensation_description": "补" * 300}, format="json",
    )
    assert response.status_code == 400 and "compensation_description" in error(response)["fields"]


def test_three_changes_time_is_bounded(org, pinned_clock):
    c = make(org, Status.HANDLING)
    response = token_client(org.supervisor).post(
        f"/api/v1/complaints/{c.pk}/actions/three_changes/",
        {"changes": ["time"], "reason": "客户情绪激动，改约时间", "contact_time": "9999-12-31T10:00:00"}, format="json",
    )
    assert response.status_code == 400 and "contact_time" in error(response)["fields"]


def test_unknown_paths_wrong_methods_and_bad_cursors_use_the_error_format(org):
    client = token_client(org.agent)
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    response = client.delete("/api/v1/complaints/")
    assert response.status_code == 405 and error(response)["code"] == "method_not_allowed"
    response = client.get("/api/v1/complaints/", {"cursor": "garbage"})
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    response = client.get("/api/v1/complaints/999999/")
    assert response.status_code == 404 and error(response)["code"] == "not_found"


def test_an_unexpected_failure_is_a_500_in_the_error_format(org, monkeypatch):
    from complaintdesk.complaints import selectors

    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(selectors, "complaint_list", boom)
    response = token_client(org.agent).get("/api/v1/complaints/")
    assert response.status_code == 500
    body = error(response)
    assert body["code"] == "server_error" and "disk on fire" not in body["message"]


def test_messages_follow_accept_language(org, pinned_clock):
    c = receive(org)
    url = f"/api/v1/complaints/{c.pk}/actions/accept_receipt/"
    chinese = token_client(org.agent).post(url, {}, format="json")
    english = token_client(org.agent, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").post(url, {}, format="json")
    assert chinese.status_code == english.status_code == 409
    assert "不能执行" in error(chinese)["message"]
    assert "is not possible" in error(english)["message"]
    assert error(token_client(org.agent, HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/x/"))["message"] == "Not found."


def test_limit_messages_are_translated(org, pinned_clock):
    c = receive(org)
    client = token_client(org.agent, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"/api/v1/complaints/{c.pk}/actions/log_contact/",
                           {"kind": "other", "note": "x", "promised_for": "0001-01-01T00:00:00"}, format="json")
    assert error(response)["fields"]["promised_for"] == ["The time must lie between the years 2000 and 2100."]
    from django.utils import translation

    from complaintdesk.complaints import services
    from complaintdesk.core.errors import ValidationFailed

    with translation.override("en"), pytest.raises(ValidationFailed) as raised:
        services.complaint_add_note(complaint=c, actor=org.agent, text="x" * (limits.TEXT + 1))
    assert raised.value.errors["text"] == [f"At most {limits.TEXT} characters (this has {limits.TEXT + 1})."]


def test_ids_beyond_a_bigint_are_a_400(org):
    client = token_client(org.agent)
    response = client.post("/api/v1/notifications/read/", {"ids": [2**70]}, format="json")
    assert response.status_code == 400 and "ids.0" in error(response)["fields"]
    assert client.get("/api/v1/complaints/", {"department": str(2**70)}).status_code == 400
