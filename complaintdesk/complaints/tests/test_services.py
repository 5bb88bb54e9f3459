"""SPEC §1–§6 through the service layer: every path, every rule, bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import ClosureReason, EscalationLevel, EventType, Priority, Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.models.timeline import ImmutableError
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT, make, receive
from complaintdesk.core import clock
from complaintdesk.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from complaintdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def events(c) -> list[str]:
    return list(TimelineEvent.objects.filter(complaint=c).values_list("type", flat=True))


def test_intake_sets_number_first_owner_and_promised_time(org, pinned_clock):
    c = receive(org)
    assert c.number.startswith("TS20260310")
    assert c.first_owner == org.agent
    assert c.status == Status.RECEIVED
    # 24 hours for the first answer (SPEC §4, seed 001).
    assert c.first_answer_due_at == clock.now() + dt.timedelta(hours=24)
    assert c.contact_phone == "13812345678"
    assert events(c) == [EventType.RECEIVED]
    first = TimelineEvent.objects.get(complaint=c)
    assert first.actor == org.agent and first.after["first_owner"] == org.agent.pk


def test_numbers_are_unique_and_sequential(org, pinned_clock):
    a = receive(org, phone="13800000001", description="门禁坏了")
    b = receive(org, phone="13800000002", description="电梯异响")
    assert a.number != b.number
    assert int(b.number[-5:]) == int(a.number[-5:]) + 1


def test_customer_is_deduplicated_by_normalised_phone(org, pinned_clock):
    receive(org, phone="138-1234-5678")
    receive(org, phone="+86 138 1234 5678", description="另一件事：物业费账单有误", customer_name="")
    assert Customer.objects.count() == 1
    assert Customer.objects.get().name == "王五"


@pytest.mark.parametrize("phone", ["12345", "1381234567", "23812345678", "abc", "138123456789"])
def test_malformed_phone_is_refused_and_nothing_is_stored(org, pinned_clock, phone):
    with pytest.raises(ValidationFailed) as err:
        receive(org, phone=phone)
    assert "phone" in err.value.errors
    assert "电话号码格式不正确" in err.value.errors["phone"][0]
    assert Complaint.objects.count() == 0 and Customer.objects.count() == 0


def test_missing_required_fields_are_listed(org, pinned_clock):
    with pytest.raises(ValidationFailed) as err:
        services.complaint_receive(actor=org.agent, phone="13812345678", subject="", description=" ")
    assert set(err.value.errors) == {"subject", "description"}
    assert err.value.errors["subject"] == ["此项为必填项。"]


def test_handlers_cannot_take_in_complaints(org, pinned_clock):
    with pytest.raises(NotPermitted):
        receive(org, actor=org.handler)


def test_first_owner_never_changes(org, pinned_clock):
    c = make(org, Status.CLOSED)
    assert c.first_owner == org.agent
    services.complaint_reopen(complaint=c, actor=org.supervisor, reason="客户再次来电")
    services.complaint_dispatch(complaint=c, actor=org.agent2, department=org.aftersales)
    c.refresh_from_db()
    assert c.first_owner == org.agent
    assert Complaint._meta.get_field("first_owner").editable is False


def test_main_path_with_approval_receipt_rejection_and_unsatisfied_visit(org, pinned_clock):
    c = receive(org)
    services.complaint_review_valid(complaint=c, actor=org.agent)
    services.complaint_dispatch(complaint=c, actor=org.agent, department=org.engineering, handler=org.handler)
    c.refresh_from_db()
    # 5 working days from Tuesday 10 March 2026 09:00 → Tuesday 17 March 09:00.
    assert c.implement_due_at == clock.now() + dt.timedelta(days=7)
    services.complaint_accept_ticket(complaint=c, actor=org.handler)
    services.complaint_submit_plan(
        complaint=c, actor=org.handler, compensation_amount="200", compensation_description="赔偿维修费", **PLAN
    )
    assert c.status == Status.PENDING_APPROVAL
    services.complaint_reject_plan(complaint=c, actor=org.supervisor, comment="补偿金额过高，请与客户再协商")
    assert c.status == Status.HANDLING
    services.complaint_submit_plan(
        complaint=c, actor=org.handler, compensation_amount="80", compensation_description="赠送延保", **PLAN
    )
    services.complaint_approve_plan(complaint=c, actor=org.supervisor, comment="同意")
    assert c.status == Status.IMPLEMENTING and c.approved_by == org.supervisor
    assert c.compensation_amount == Decimal("80.00")
    with pytest.raises(ValidationFailed) as vague:
        services.complaint_submit_receipt(complaint=c, actor=org.handler, text="已处理")
    assert vague.value.errors["text"]
    c.refresh_from_db()
    assert c.status == Status.IMPLEMENTING and c.receipt_text == ""
    services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
    services.complaint_reject_receipt(complaint=c, actor=org.agent, reason="请补充客户反馈原话")
    assert c.status == Status.IMPLEMENTING
    services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
    services.complaint_accept_receipt(complaint=c, actor=org.agent)
    assert c.status == Status.AWAITING_VISIT and c.visit_due_at is not None
    services.complaint_record_visit(
        complaint=c, actor=org.agent, outcome="unsatisfied", satisfaction=2, notes="热水还是时有时无"
    )
    assert c.status == Status.HANDLING and c.handling_rounds == 2
    assert c.escalation_level == EscalationLevel.SUPERVISOR
    services.complaint_submit_plan(complaint=c, actor=org.handler, **PLAN)
    assert c.status == Status.IMPLEMENTING
    services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
    services.complaint_accept_receipt(complaint=c, actor=org.agent)
    services.complaint_record_visit(
        complaint=c, actor=org.agent, outcome="satisfied", satisfaction=5,
        dimensions={"responsiveness": 4, "empathy": 5}, answers={"process": "及时", "measures": "换阀", "result": "正常"},
    )
    assert c.status == Status.CLOSED and c.closure_reason == ClosureReason.SATISFIED
    assert c.satisfaction_dimensions == {"responsiveness": 4, "empathy": 5}
    services.complaint_archive(complaint=c, actor=org.supervisor)
    assert c.status == Status.ARCHIVED
    kinds = events(c)
    for expected in [
        EventType.RECEIVED, EventType.REVIEWED_VALID, EventType.DISPATCHED, EventType.TICKET_ACCEPTED,
        EventType.PLAN_SUBMITTED, EventType.PLAN_REJECTED, EventType.PLAN_APPROVED, EventType.RECEIPT_SUBMITTED,
        EventType.RECEIPT_REJECTED, EventType.RECEIPT_ACCEPTED, EventType.RETURNED_TO_DEPARTMENT,
        EventType.ESCALATED, EventType.VISITED, EventType.ARCHIVED,
    ]:
        assert expected in kinds
    every = TimelineEvent.objects.filter(complaint=c)
    assert all(e.created_at for e in every)
    assert every.filter(type=EventType.PLAN_REJECTED).get().reason == "补偿金额过高，请与客户再协商"
    assert every.filter(type=EventType.PLAN_REJECTED).get().actor == org.supervisor


def test_plan_without_compensation_skips_approval_and_exceeding_authority_needs_it(org, pinned_clock):
    c = make(org, Status.HANDLING)
    services.complaint_submit_plan(complaint=c, actor=org.handler, **PLAN)
    assert c.status == Status.IMPLEMENTING
    d = make(org, Status.HANDLING, phone="13900000000", description="电梯停运")
    services.complaint_submit_plan(complaint=d, actor=org.handler, exceeds_authority=True, **PLAN)
    assert d.status == Status.PENDING_APPROVAL


def test_compensation_needs_description_and_a_number(org, pinned_clock):
    c = make(org, Status.HANDLING)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_submit_plan(complaint=c, actor=org.handler, compensation_amount="100", **PLAN)
    assert "compensation_description" in err.value.errors
    with pytest.raises(ValidationFailed):
        services.complaint_submit_plan(complaint=c, actor=org.handler, compensation_amount="abc", **PLAN)
    c.refresh_from_db()
    assert c.status == Status.HANDLING and c.plan_options == []


def test_only_the_assigned_department_handles(org, pinned_clock):
    c = make(org, Status.DISPATCHED)
    with pytest.raises(NotPermitted):
        services.complaint_accept_ticket(complaint=c, actor=org.other_handler)
    with pytest.raises(NotPermitted):
        services.complaint_accept_ticket(complaint=c, actor=org.supervisor)
    services.complaint_accept_ticket(complaint=c, actor=org.handler)
    assert c.handler == org.handler


def test_only_supervisors_approve_reopen_and_apply_three_changes(org, pinned_clock):
    c = make(org, Status.PENDING_APPROVAL)
    for actor in (org.agent, org.handler):
        with pytest.raises(NotPermitted):
            services.complaint_approve_plan(complaint=c, actor=actor)
        with pytest.raises(NotPermitted):
            services.complaint_three_changes(complaint=c, actor=actor, changes=["person"], reason="x", new_handler=org.handler_b)
    services.complaint_three_changes(
        complaint=c, actor=org.supervisor, changes=["person", "place"], reason="客户对原处理人不满",
        new_handler=org.handler_b, place="物业服务中心会客室",
    )
    c.refresh_from_db()
    assert c.handler == org.handler_b
    event = TimelineEvent.objects.get(complaint=c, type=EventType.THREE_CHANGES)
    assert event.after["changes"] == ["person", "place"] and event.actor == org.supervisor
    closed = make(org, Status.CLOSED, phone="13900000001", description="保安态度差")
    with pytest.raises(NotPermitted):
        services.complaint_reopen(complaint=closed, actor=org.agent, reason="x")


def test_invalid_complaint_records_reason_and_explanation(org, pinned_clock):
    c = receive(org)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_review_invalid(complaint=c, actor=org.agent, reason="", explanation="")
    assert set(err.value.errors) == {"reason", "explanation"}
    services.complaint_review_invalid(
        complaint=c, actor=org.agent, reason="属于正常使用损耗", explanation="已向客户解释保修条款，客户表示理解"
    )
    assert c.status == Status.CLOSED and c.closure_reason == ClosureReason.INVALID and c.is_valid is False
    assert c.invalid_explanation == "已向客户解释保修条款，客户表示理解"


def test_explanation_with_forbidden_phrase_is_blocked_unless_supervisor_overrides(org, pinned_clock):
    c = receive(org)
    bad = "这不是我负责的，你尽管投诉好了"
    with pytest.raises(ValidationFailed) as err:
        services.complaint_review_invalid(complaint=c, actor=org.agent, reason="不成立", explanation=bad)
    assert "服务禁语" in err.value.errors["explanation"][0]
    with pytest.raises(NotPermitted):
        services.complaint_review_invalid(complaint=c, actor=org.agent, reason="不成立", explanation=bad, override_language=True)
    assert Complaint.objects.get(pk=c.pk).status == Status.RECEIVED
    services.complaint_review_invalid(
        complaint=c, actor=org.supervisor, reason="不成立", explanation=bad, override_language=True
    )
    assert EventType.LANGUAGE_OVERRIDE in events(c)


def test_a_refused_text_is_kept_on_the_complaint_for_language_quality(org, pinned_clock):
    c = receive(org)
    bad = "这不是我负责的，你尽管投诉好了"
    with pytest.raises(ValidationFailed):
        services.complaint_review_invalid(complaint=c, actor=org.agent, reason="不成立", explanation=bad)
    blocked = TimelineEvent.objects.get(complaint=c, type=EventType.LANGUAGE_BLOCKED)
    assert blocked.actor == org.agent and blocked.after["field"] == "explanation"
    assert blocked.after["phrases"] == ["不是我负责的", "你尽管投诉好了"] and blocked.reason == ""  # the text itself is not kept
    c.refresh_from_db()
    assert c.status == Status.RECEIVED  # nothing of the refused submission was stored
    with pytest.raises(ValidationFailed):
        services.complaint_log_contact(complaint=c, actor=org.agent, kind="first_answer", note="你尽管投诉好了")
    assert TimelineEvent.objects.filter(complaint=c, type=EventType.LANGUAGE_BLOCKED).count() == 2
    services.complaint_review_invalid(complaint=c, actor=org.agent, reason="不成立", explanation="已向客户解释保修条款")
    assert TimelineEvent.objects.filter(complaint=c, type=EventType.LANGUAGE_BLOCKED).count() == 2  # clean: none


def test_phrases_flagged_while_typing_are_kept_once_per_author_field_and_day(org, pinned_clock):
    from complaintdesk.complaints.services.texts import flag_customer_text

    c = receive(org)
    text = "这不是我负责的"
    for typed in (text, text + "，请", text + "，请稍等"):  # the hints are re-checked as the agent types
        found = flag_customer_text(complaint=c, actor=org.agent, field="note", text=typed)
        assert [v.phrase for v in found] == ["不是我负责的"]
    flagged = TimelineEvent.objects.filter(complaint=c, type=EventType.LANGUAGE_FLAGGED)
    assert flagged.count() == 1 and flagged.get().actor == org.agent
    flag_customer_text(complaint=c, actor=org.handler, field="note", text=text)  # another author
    flag_customer_text(complaint=c, actor=org.agent, field="explanation", text=text)  # another field
    assert flagged.count() == 3
    pinned_clock.advance(dt.timedelta(days=1))
    flag_customer_text(complaint=c, actor=org.agent, field="note", text=text)  # the next day
    assert flagged.count() == 4
    assert flag_customer_text(complaint=c, actor=org.agent, field="note", text="您好，我们马上处理") == []
    assert flagged.count() == 4


def test_upgrade_of_communication_case(org, pinned_clock):
    c = receive(org)
    with pytest.raises(ValidationFailed):
        services.complaint_upgrade_nature(complaint=c, actor=org.agent, reason="x")
    services.complaint_classify(complaint=c, actor=org.agent, nature="inquiry")
    services.complaint_upgrade_nature(complaint=c, actor=org.agent, reason="咨询未得到答复，客户不满")
    assert c.nature == "valid"
    assert EventType.NATURE_UPGRADED in events(c)


def test_classification_corrections_are_kept(org, pinned_clock):
    from complaintdesk.language.models import TrainingExample

    c = receive(org)
    suggested = c.suggestions["dimension"]["label"]
    new = "empathy" if suggested != "empathy" else "reliability"
    services.complaint_classify(complaint=c, actor=org.agent, dimension=new)
    event = TimelineEvent.objects.get(complaint=c, type=EventType.CLASSIFIED)
    assert event.before == {"dimension": suggested}
    assert event.after["dimension"] == new
    assert TrainingExample.objects.filter(field="dimension", label=new, source="correction").count() == 1


def test_dispatch_requires_the_complaint_to_be_understood(org, pinned_clock):
    c = receive(org, demand="")
    services.complaint_review_valid(complaint=c, actor=org.agent)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_dispatch(complaint=c, actor=org.agent, department=org.engineering)
    assert "demand" in err.value.errors
    assert Complaint.objects.get(pk=c.pk).status == Status.ACCEPTED


def test_dispatch_to_a_handler_of_another_department_is_refused(org, pinned_clock):
    c = make(org, Status.ACCEPTED)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_dispatch(complaint=c, actor=org.agent, department=org.engineering, handler=org.other_handler)
    assert "handler" in err.value.errors


def test_transfer_and_hand_back(org, pinned_clock):
    c = make(org, Status.DISPATCHED)
    with pytest.raises(ValidationFailed):
        services.complaint_transfer(complaint=c, actor=org.agent, department=org.aftersales, reason="")
    services.complaint_transfer(complaint=c, actor=org.agent, department=org.aftersales, reason="属于售后")
    assert c.department == org.aftersales
    with pytest.raises(NotPermitted):
        services.complaint_hand_back(complaint=c, actor=org.handler, reason="不是我们部门")
    services.complaint_hand_back(complaint=c, actor=org.other_handler, reason="应由工程部处理")
    assert c.status == Status.ACCEPTED and c.department is None
    assert TimelineEvent.objects.get(complaint=c, type=EventType.HANDED_BACK).reason == "应由工程部处理"


def test_closures_record_their_reason(org, pinned_clock):
    declined = make(org, Status.AWAITING_VISIT)
    services.complaint_record_visit(complaint=declined, actor=org.agent, outcome="declined")
    assert declined.closure_reason == ClosureReason.DECLINED
    exempt = make(org, Status.AWAITING_VISIT, phone="13700000000", description="小区路灯不亮")
    with pytest.raises(ValidationFailed):
        services.complaint_close_exempt(complaint=exempt, actor=org.agent, exemption="satisfied", note="x")
    services.complaint_close_exempt(complaint=exempt, actor=org.agent, exemption="exempt_unsuitable", note="客户明确表示不希望再被打扰")
    assert exempt.closure_reason == ClosureReason.EXEMPT_UNSUITABLE


def test_satisfied_closure_needs_a_score_and_rejects_low_scores(org, pinned_clock):
    c = make(org, Status.AWAITING_VISIT)
    with pytest.raises(ValidationFailed):
        services.complaint_record_visit(complaint=c, actor=org.agent, outcome="satisfied")
    with pytest.raises(ValidationFailed):
        services.complaint_record_visit(complaint=c, actor=org.agent, outcome="satisfied", satisfaction=9)
    with pytest.raises(ValidationFailed):
        services.complaint_record_visit(complaint=c, actor=org.agent, outcome="satisfied", satisfaction=1)
    assert Complaint.objects.get(pk=c.pk).status == Status.AWAITING_VISIT


def test_on_spot_resolution_counts_as_first_contact_resolution(org, pinned_clock):
    c = receive(org)
    with pytest.raises(ValidationFailed):
        services.complaint_resolve_on_spot(complaint=c, actor=org.agent, resolution="已解决", customer_confirmed=False)
    services.complaint_resolve_on_spot(complaint=c, actor=org.agent, resolution="电话指导复位后恢复", customer_confirmed=True)
    assert c.status == Status.CLOSED and c.closure_reason == ClosureReason.EXEMPT_ON_SPOT
    assert c.resolved_by_first_owner is True


def test_archived_is_read_only_until_reopened(org, pinned_clock):
    c = make(org, Status.ARCHIVED)
    with pytest.raises(InvalidTransition) as err:
        services.complaint_add_note(complaint=c, actor=org.agent, text="补充")
    assert "归档" in err.value.message
    services.complaint_reopen(complaint=c, actor=org.supervisor, reason="客户反映问题复发")
    assert c.status == Status.ACCEPTED and c.archived_at is None
    assert TimelineEvent.objects.get(complaint=c, type=EventType.REOPENED).actor == org.supervisor


def test_manual_escalation_goes_up_one_level_and_stops_at_management(org, pinned_clock):
    c = receive(org)
    with pytest.raises(ValidationFailed):
        services.complaint_escalate(complaint=c, actor=org.agent, reason="")
    for expected in (1, 2, 3):
        services.complaint_escalate(complaint=c, actor=org.agent, reason="客户要求找领导")
        c.refresh_from_db()
        assert c.escalation_level == expected
    with pytest.raises(ValidationFailed):
        services.complaint_escalate(complaint=c, actor=org.agent, reason="再升")


def test_escalation_with_idempotency_key_happens_once(org, pinned_clock):
    c = receive(org)
    first = services.complaint_escalate(complaint_id=c.pk, reason="超时", idempotency_key=f"breach:{c.pk}:x")
    second = services.complaint_escalate(complaint_id=c.pk, reason="超时", idempotency_key=f"breach:{c.pk}:x")
    assert first is not None and second is None
    assert TimelineEvent.objects.filter(complaint=c, type=EventType.ESCALATED).count() == 1


def test_high_risk_words_escalate_at_intake(org, pinned_clock):
    c = receive(org, description="三天了还没人来修，再不处理我就打12315投诉，还要找媒体曝光")
    assert c.escalation_risk == "high"
    assert c.escalation_level >= EscalationLevel.SUPERVISOR
    assert EventType.ESCALATED in events(c)


def test_repeat_complaints_are_linked_counted_and_raise_priority(org, pinned_clock):
    first = receive(org)
    clock.advance(dt.timedelta(days=2))
    second = receive(org, description="热水器还是坏的，没有热水，上次投诉了也没人来修")
    assert second.repeat_of == first and second.repeat_count == 1
    assert second.priority == Priority.HIGH
    clock.advance(dt.timedelta(days=2))
    third = receive(org, phone="13812345678", description="第三次投诉热水器没有热水，一直没人上门维修")
    assert third.repeat_of == first and third.repeat_count == 2
    assert third.escalation_level >= EscalationLevel.SUPERVISOR
    other = receive(org, phone="13600000000", description="小区门口垃圾堆放无人清理", address="幸福里")
    assert other.repeat_of is None


def test_contacts_promised_callbacks_and_progress_updates(org, pinned_clock):
    c = make(org, Status.HANDLING)
    with pytest.raises(ValidationFailed):
        services.complaint_log_contact(complaint=c, actor=org.agent, kind="callback_promised", note="约明天回电")
    promised = clock.now() + dt.timedelta(hours=5)
    services.complaint_log_contact(complaint=c, actor=org.agent, kind="callback_promised", note="约定下午回电", promised_for=promised)
    assert c.next_callback_due_at == promised
    with pytest.raises(ValidationFailed):
        services.complaint_log_contact(complaint=c, actor=org.agent, kind="progress_update", note="我不知道，你问我我问谁")
    services.complaint_log_contact(complaint=c, actor=org.agent, kind="callback_done", note="您好，已按约回电，配件明天到货。")
    assert c.next_callback_due_at is None
    assert c.contacts.count() == 2


def test_attachments_are_checked_before_anything_is_stored(org, pinned_clock, settings):
    from complaintdesk.complaints.models import Attachment

    settings.ATTACHMENT_MAX_BYTES = 1024
    c = receive(org)
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"0" * 2000, content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as err:
        services.complaint_add_attachment(complaint=c, actor=org.agent, upload=big)
    assert "过大" in err.value.errors["file"][0]
    with pytest.raises(ValidationFailed) as err:
        services.complaint_add_attachment(
            complaint=c, actor=org.agent, upload=SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")
        )
    assert "不支持" in err.value.errors["file"][0]
    with pytest.raises(ValidationFailed) as err:
        services.complaint_add_attachment(
            complaint=c, actor=org.agent, upload=SimpleUploadedFile("fake.png", b"not a png", content_type="image/png")
        )
    assert "不符" in err.value.errors["file"][0]
    assert Attachment.objects.count() == 0
    ok = services.complaint_add_attachment(
        complaint=c, actor=org.agent, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    )
    assert ok.size == 13 and ok.content_type == "application/pdf"
    assert EventType.ATTACHMENT_ADDED in events(c)


def test_timeline_is_immutable(org, pinned_clock):
    c = receive(org)
    event = TimelineEvent.objects.get(complaint=c)
    event.reason = "tampered"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        TimelineEvent.objects.filter(complaint=c).update(reason="x")
    with pytest.raises(ImmutableError):
        TimelineEvent.objects.filter(complaint=c).delete()
    assert TimelineEvent.objects.get(complaint=c).reason == ""


def _flags(c) -> tuple[bool, bool]:
    c.refresh_from_db()
    return c.reworked, c.handed_back


def test_rework_flags_are_kept_with_the_events_that_set_them(org, pinned_clock):
    """一次办结率 and 退单率 read the complaint's flags; every path that writes such an event sets them
    in the same transaction, and nothing else does."""
    plain = make(org, Status.HANDLING)
    services.complaint_submit_plan(complaint=plain, actor=org.handler, **PLAN)
    services.complaint_submit_receipt(complaint=plain, actor=org.handler, text=RECEIPT)
    services.complaint_accept_receipt(complaint=plain, actor=org.agent)
    assert _flags(plain) == (False, False)

    rejected = make(org, Status.HANDLING)
    services.complaint_submit_plan(complaint=rejected, actor=org.handler, **PLAN)
    services.complaint_submit_receipt(complaint=rejected, actor=org.handler, text=RECEIPT)
    services.complaint_reject_receipt(complaint=rejected, actor=org.agent, reason="请补充客户反馈原话")
    assert _flags(rejected) == (True, False)

    unsatisfied = make(org, Status.AWAITING_VISIT)
    services.complaint_record_visit(complaint=unsatisfied, actor=org.agent, outcome="unsatisfied", satisfaction=2,
                                    notes="还是不行")
    assert unsatisfied.status == Status.HANDLING and _flags(unsatisfied) == (True, False)

    archived = make(org, Status.ARCHIVED)
    services.complaint_reopen(complaint=archived, actor=org.supervisor, reason="客户反映问题复发")
    assert _flags(archived) == (True, False)

    handed = make(org, Status.DISPATCHED)
    services.complaint_hand_back(complaint=handed, actor=org.handler, reason="应由售后处理")
    assert _flags(handed) == (False, True)
    assert "reworked" not in TimelineEvent.objects.get(complaint=handed, type=EventType.HANDED_BACK).after
