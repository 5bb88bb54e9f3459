"""SPEC §1–§6 end to end as another system would do it: only the documented API, only a token.

Each path starts at intake and ends where the rules say (closed, archived, back to the
department …); the assertions read the typed fields of the detail, never the timeline JSON.
"""

import datetime as dt
import io

import pytest

from complaintdesk.api.tests.helpers import token_client
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT

pytestmark = pytest.mark.django_db

INTAKE = {"phone": "13812345678", "customer_name": "王五", "salutation": "mr", "address": "阳光花园3栋",
          "room": "1201", "channel": "phone", "subject": "热水器不出热水",
          "description": "家里热水器坏了三天没人来修，请尽快上门维修", "demand": "尽快上门维修",
          "category": "repair_quality"}


class Desk:
    """The systems of one centre, each with its own token (a staff account per system)."""

    def __init__(self, org):
        self.agent, self.handler = token_client(org.agent), token_client(org.handler)
        self.supervisor, self.other = token_client(org.supervisor), token_client(org.other_handler)

    def receive(self, key=None, **extra):
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        response = self.agent.post("/api/v1/complaints/receive/", {**INTAKE, **extra}, format="json", **headers)
        assert response.status_code in (200, 201), response.content
        return response.json()

    def act(self, client, c, action, data=None, expect=200, **kwargs):
        response = client.post(f"/api/v1/complaints/{c['id']}/actions/{action}/", data or {},
                               format=kwargs.pop("format", "json"), **kwargs)
        assert response.status_code == expect, (action, response.content)
        return response.json() if response.content else {}

    def get(self, c):
        return self.agent.get(f"/api/v1/complaints/{c['id']}/").json()


@pytest.fixture
def desk(org, pinned_clock):
    return Desk(org)


def _later(clock, **delta) -> str:
    return (clock.now() + dt.timedelta(**delta)).isoformat()


def test_intake_is_numbered_promised_and_not_repeated_on_retry(desk):
    """§1: number and first-answer time on save; a retried call creates nothing new."""
    c = desk.receive(key="cti-1")
    again = desk.receive(key="cti-1")
    assert again["id"] == c["id"] and c["number"].startswith("TS") and c["first_answer_due_at"]
    assert c["first_owner"] == "agent" and c["status"] == "received"
    found = desk.agent.get("/api/v1/customers/", {"phone": INTAKE["phone"]}).json()["results"]
    assert found[0]["name"] == "王五"


def test_not_valid_is_closed_with_reason_and_explanation(desk):
    """§2: 不成立 — the reason recorded, the explanation to the customer logged."""
    c = desk.receive()
    body = desk.act(desk.agent, c, "review_invalid", {"reason": "属燃气公司管辖",
                                                     "explanation": "您好，燃气问题由燃气公司负责，我们已帮您转告。"})
    assert body["status"] == "closed" and body["closure_reason"] == "invalid" and body["is_valid"] is False
    assert body["invalid_reason"] == "属燃气公司管辖" and body["invalid_explanation"].startswith("您好")


def test_a_communication_case_is_upgraded_and_solved_on_the_spot(desk):
    """§2: 沟通型 reclassified, then upgraded to 有效投诉; §6: on-the-spot closure needs no visit."""
    c = desk.receive()
    assert desk.act(desk.agent, c, "classify", {"nature": "inquiry", "reason": "客户来咨询"})["nature"] == "inquiry"
    assert desk.act(desk.agent, c, "upgrade_nature", {"reason": "解释后仍不满意"})["nature"] == "valid"
    body = desk.act(desk.agent, c, "resolve_on_spot", {"resolution": "电话指导复位，热水恢复", "customer_confirmed": True})
    assert body["status"] == "closed" and body["closure_reason"] == "exempt_on_spot"
    assert body["resolved_by_first_owner"] is True


def test_misrouted_transferred_plan_rejected_receipt_returned_then_closed_and_archived(desk, pinned_clock):
    """§3: dispatch, hand back, transfer, plan with compensation → 主管批示 (rejected, then
    approved), a vague 回单 refused, a returned 回单, acceptance; §6: visit satisfied; §8 archive."""
    c = desk.receive()
    desk.act(desk.agent, c, "review_valid")
    desk.act(desk.agent, c, "dispatch", {"department": "aftersales"})
    # Handed back, the ticket leaves the department's sight: 204, and the desk sees it to dispatch.
    assert desk.act(desk.other, c, "hand_back", {"reason": "不属于售后，应派工程部"}, expect=204) == {}
    assert desk.get(c)["status"] == "accepted"
    desk.act(desk.agent, c, "dispatch", {"department": "aftersales"})
    assert desk.act(desk.agent, c, "transfer", {"department": "engineering", "reason": "改派工程维修部"})[
        "department"] == "engineering"
    desk.act(desk.handler, c, "accept_ticket")
    plan = {**PLAN, "cause_detail": "product", "compensation_amount": "100.00", "compensation_description": "赠送延保一年"}
    assert desk.act(desk.handler, c, "submit_plan", plan)["status"] == "pending_approval"
    assert desk.act(desk.supervisor, c, "reject_plan", {"comment": "补偿过高"})["status"] == "handling"
    desk.act(desk.handler, c, "submit_plan", {**plan, "compensation_amount": "50.00"})
    body = desk.act(desk.supervisor, c, "approve_plan", {"comment": "同意"})
    assert body["status"] == "implementing" and body["approved_by"] == "supervisor"
    assert body["cause_type"] == "objective" and body["compensation_amount"] == "50.00"
    assert desk.act(desk.handler, c, "submit_receipt", {"text": "已处理"}, expect=400)
    desk.act(desk.handler, c, "submit_receipt", {"text": RECEIPT})
    assert desk.act(desk.agent, c, "reject_receipt", {"reason": "缺客户反馈"})["status"] == "implementing"
    desk.act(desk.handler, c, "submit_receipt", {"text": RECEIPT})
    body = desk.act(desk.agent, c, "accept_receipt")
    assert body["status"] == "awaiting_visit" and body["visit_due_at"]
    body = desk.act(desk.agent, c, "visit_satisfied", {"method": "phone", "satisfaction": 5,
                                                        "dimensions": {"reliability": 5, "empathy": 4},
                                                        "process": "及时", "measures": "认可", "result": "已解决"})
    assert body["closure_reason"] == "satisfied" and body["visits"][0]["dimensions"] == {"reliability": 5, "empathy": 4}
    assert desk.act(desk.supervisor, c, "archive")["status"] == "archived"
    assert desk.act(desk.agent, c, "add_note", {"text": "归档后不能写"}, expect=409)
    assert desk.act(desk.supervisor, c, "reopen", {"reason": "客户再次反映"})["status"] == "accepted"


def test_time_limits_call_backs_extension_escalation_and_three_changes(desk, pinned_clock):
    """§4: a promised call-back, kept; an extension asked and approved; §5: escalation by hand and
    三变法 by a supervisor; an attachment on the record."""
    c = desk.receive()
    promised = desk.act(desk.agent, c, "log_contact", {"kind": "callback_promised", "note": "约定明早回电",
                                                       "promised_for": _later(pinned_clock, hours=20)})
    assert promised["next_callback_due_at"] and promised["contacts"][0]["kind"] == "callback_promised"
    kept = desk.act(desk.agent, c, "log_contact", {"kind": "callback_done", "note": "已按约回电，告知进度"})
    assert kept["next_callback_due_at"] is None and kept["callbacks_missed"] == 0
    desk.act(desk.agent, c, "review_valid")
    desk.act(desk.agent, c, "dispatch", {"department": "engineering"})
    desk.act(desk.handler, c, "accept_ticket")
    before = desk.get(c)["implement_due_at"]
    desk.act(desk.handler, c, "request_extension", {"working_days": 3, "reason": "等待厂家配件"})
    body = desk.act(desk.supervisor, c, "decide_extension", {"approve": True, "comment": "同意"})
    assert body["implement_due_at"] > before and body["extensions"][0]["status"] == "approved"
    assert desk.act(desk.agent, c, "escalate", {"reason": "客户扬言投诉到12315"})["escalation_level"] >= 2
    body = desk.act(desk.supervisor, c, "three_changes", {"changes": ["person", "place"], "new_handler": "handler_b",
                                                          "place": "物业服务中心会客室", "reason": "客户与原处理人冲突"})
    assert body["handler"] == "handler_b"
    photo = io.BytesIO(b"\xff\xd8\xff\xe0" + b"0" * 32)
    photo.name = "site.jpg"
    body = desk.act(desk.handler, c, "add_attachment", {"file": photo}, format="multipart")
    assert body["attachments"][0]["content_type"] == "image/jpeg"
    events = [e["type"] for e in desk.agent.get(f"/api/v1/complaints/{c['id']}/timeline/").json()["results"]]
    for expected in ("received", "contact_logged", "extension_requested", "extension_decided", "escalated",
                     "three_changes", "attachment_added"):
        assert expected in events, expected


def test_visits_unsatisfied_declined_and_exempt(desk):
    """§6: unsatisfied goes back up to the department (escalated); declined closes as handled; no
    contact possible closes with its reason."""
    closed = {}
    for outcome in ("visit_unsatisfied", "visit_declined", "close_exempt"):
        c = desk.receive(phone=f"1390000{len(closed):04d}")
        desk.act(desk.agent, c, "review_valid")
        desk.act(desk.agent, c, "dispatch", {"department": "engineering"})
        desk.act(desk.handler, c, "accept_ticket")
        desk.act(desk.handler, c, "submit_plan", PLAN)
        desk.act(desk.handler, c, "submit_receipt", {"text": RECEIPT})
        desk.act(desk.agent, c, "accept_receipt")
        data = {"close_exempt": {"exemption": "exempt_no_contact", "note": "三次致电无人接听"},
                "visit_unsatisfied": {"satisfaction": 2, "notes": "问题依旧"}}.get(outcome, {})
        closed[outcome] = desk.act(desk.agent, c, outcome, data)
    assert closed["visit_unsatisfied"]["status"] == "handling" and closed["visit_unsatisfied"]["handling_rounds"] == 2
    assert closed["visit_declined"]["closure_reason"] == "declined"
    assert closed["close_exempt"]["closure_reason"] == "exempt_no_contact"
