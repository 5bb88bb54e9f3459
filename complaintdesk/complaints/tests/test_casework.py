"""Issue 11 at the service layer: visit answers kept, plan history, 不成立 reaches the customer,
escalation signals on a first filing, filings counted as the customer does, the first owner told."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from complaintdesk.complaints import events, services
from complaintdesk.complaints.choices import ContactKind, EscalationLevel, EventType, PlanDecision, Status
from complaintdesk.complaints.models import ContactLog, PlanRecord, TimelineEvent, VisitRecord
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT, make, receive
from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.notifications.messages import render
from complaintdesk.notifications.models import Notification, NotificationKind, OutboundMessage

pytestmark = pytest.mark.django_db


def _unsatisfied(org, c):
    return services.complaint_record_visit(
        complaint=c, actor=org.agent, outcome="unsatisfied", satisfaction=2,
        dimensions={"responsiveness": 1},
        answers={"process": "上门太慢", "measures": "吊顶颜色和原来不一样", "result": "没解决"},
        notes="客户要求重新处理",
    )


def test_visit_answers_are_kept_per_round_and_travel_after_reescalation(org, pinned_clock):
    c = make(org, Status.AWAITING_VISIT)
    _unsatisfied(org, c)
    c.refresh_from_db()
    assert c.status == Status.HANDLING and c.handling_rounds == 2
    visit = VisitRecord.objects.get(complaint=c)
    assert visit.round == 1 and visit.outcome == "unsatisfied" and visit.satisfaction == 2
    assert visit.answers == {"process": "上门太慢", "measures": "吊顶颜色和原来不一样", "result": "没解决"}
    assert visit.dimensions == {"responsiveness": 1} and visit.by == org.agent
    event = TimelineEvent.objects.get(complaint=c, type=EventType.RETURNED_TO_DEPARTMENT)
    assert event.after["visit"] == visit.pk


def test_a_refused_visit_stores_no_record(org, pinned_clock):
    c = make(org, Status.AWAITING_VISIT)
    with pytest.raises(ValidationFailed):
        services.complaint_record_visit(complaint=c, actor=org.agent, outcome="satisfied", satisfaction=1)
    assert not VisitRecord.objects.filter(complaint=c).exists()


def _second_round(org, amount=100):
    c = make(org, Status.AWAITING_VISIT)
    _unsatisfied(org, c)
    services.complaint_submit_plan(
        complaint=c, actor=org.handler, compensation_amount=amount, compensation_description="赠送延保一年", **PLAN
    )
    return c


def test_plan_history_keeps_every_plan_and_approval(org, pinned_clock):
    c = _second_round(org)
    first, second = PlanRecord.objects.filter(complaint=c).order_by("submitted_at", "id")
    assert first.decision == PlanDecision.APPROVED and first.comment == "同意" and first.decided_by == org.supervisor
    assert first.implemented_at is not None and first.round == 1
    assert second.decision == PlanDecision.PENDING and second.round == 2
    # The same 100 元 comes back for approval marked as already approved.
    assert second.repeats == first
    services.complaint_reject_plan(complaint=c, actor=org.supervisor, comment="上一轮已补偿，不再重复")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.comment == "同意" and first.decision == PlanDecision.APPROVED
    assert second.decision == PlanDecision.REJECTED and second.comment == "上一轮已补偿，不再重复"


def test_a_different_amount_is_not_marked_as_repeated(org, pinned_clock):
    c = _second_round(org, amount=50)
    assert PlanRecord.objects.filter(complaint=c, round=2).get().repeats is None


def test_plan_without_compensation_is_recorded_as_not_needing_approval(org, pinned_clock):
    c = make(org, Status.HANDLING)
    services.complaint_submit_plan(complaint=c, actor=org.handler, **PLAN)
    plan = PlanRecord.objects.get(complaint=c)
    assert plan.decision == PlanDecision.NOT_NEEDED and plan.compensation_amount == Decimal("0")
    assert plan.chosen_text == PLAN["plan_options"][0]


def test_invalid_decision_is_a_contact_and_texts_the_customer(org, pinned_clock, django_capture_on_commit_callbacks):
    c = receive(org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complaint_review_invalid(
            complaint=c, actor=org.agent, reason="不属于本公司服务范围", explanation="该路段由市政负责维修，已告知市政热线"
        )
    contact = ContactLog.objects.get(complaint=c)
    assert contact.kind == ContactKind.INVALID_EXPLAINED and contact.by == org.agent
    assert contact.note == "该路段由市政负责维修，已告知市政热线"
    message = OutboundMessage.objects.get(complaint=c)
    assert message.template_code == "invalid" and "该路段由市政负责维修" in message.body
    assert message.to == c.contact_phone
    assert callbacks, "the SMS is delivered only after commit"
    c.refresh_from_db()
    assert c.first_answered_at is not None
    event = TimelineEvent.objects.get(complaint=c, type=EventType.REVIEWED_INVALID)
    assert event.after["contact"] == contact.pk and event.after["message"] == message.pk
    assert event.reason == "不属于本公司服务范围"


def test_invalid_without_explanation_stores_nothing(org, pinned_clock):
    c = receive(org)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_review_invalid(complaint=c, actor=org.agent, reason="不属实", explanation=" ")
    assert "explanation" in err.value.errors
    assert not ContactLog.objects.exists() and not OutboundMessage.objects.filter(template_code="invalid").exists()
    c.refresh_from_db()
    assert c.status == Status.RECEIVED


@pytest.mark.parametrize(
    "text",
    ["空调漏水修了两次，我要找你们总经理", "再不处理我就打12315", "我要找律师起诉你们", "我去找消协", "我要找媒体曝光"],
)
def test_escalation_signals_escalate_a_first_filing(org, pinned_clock, text):
    c = receive(org, description=text)
    assert c.repeat_count == 0
    assert c.escalation_risk == "high"
    assert c.escalation_level >= EscalationLevel.SUPERVISOR
    assert TimelineEvent.objects.filter(complaint=c, type=EventType.ESCALATED).exists()


def test_plain_complaint_does_not_escalate(org, pinned_clock):
    c = receive(org, description="家里热水器坏了，请安排师傅上门")
    assert c.escalation_risk != "high" and c.escalation_level == EscalationLevel.AGENT


def test_third_filing_is_counted_as_the_customer_counts(org, pinned_clock):
    first = receive(org)
    clock.advance(dt.timedelta(days=1))
    second = receive(org, description="热水器还是坏的，没有热水，上次投诉了也没人来修")
    assert second.filing_number == 2
    assert second.escalation_level == EscalationLevel.AGENT
    clock.advance(dt.timedelta(days=1))
    third = receive(org, description="热水器没有热水，一直没人上门维修，请尽快处理")
    assert third.repeat_of == first and third.filing_number == 3
    escalation = TimelineEvent.objects.get(complaint=third, type=EventType.ESCALATED)
    assert escalation.after["signals"]["filing"] == 3
    assert "同一事项第3次投诉" in events.describe(escalation)
    link = TimelineEvent.objects.get(complaint=third, type=EventType.REPEAT_LINKED)
    assert link.after["filing"] == 3 and "这是第3次投诉" in events.describe(link)


def test_first_owner_is_told_when_the_receipt_comes_back(org, pinned_clock):
    c = make(org, Status.IMPLEMENTING)
    assert not Notification.objects.filter(kind=NotificationKind.RECEIPT_RETURNED).exists()
    services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
    notice = Notification.objects.get(kind=NotificationKind.RECEIPT_RETURNED)
    assert notice.recipient == org.agent and notice.complaint_id == c.pk
    text = render(notice.message, notice.text)
    assert "回单已返回" in text and c.number in text


def test_a_refused_receipt_tells_no_one(org, pinned_clock):
    c = make(org, Status.IMPLEMENTING)
    with pytest.raises(ValidationFailed):
        services.complaint_submit_receipt(complaint=c, actor=org.handler, text="已处理")
    assert not Notification.objects.filter(kind=NotificationKind.RECEIPT_RETURNED).exists()
