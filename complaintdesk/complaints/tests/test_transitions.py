"""Every action of the workflow table, tried in every state through the services:
allowed ones succeed and land in the table's target, forbidden ones are refused and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.tests.factories import PATH, PLAN, RECEIPT, make
from complaintdesk.core import clock
from complaintdesk.core.errors import InvalidTransition
from complaintdesk.enforcement import actions as enforcement


def _upgrade(c, o):
    if c.status in workflow.ACTIONS["classify"].sources:
        services.complaint_classify(complaint=c, actor=o.agent, nature="help")
    return services.complaint_upgrade_nature(complaint=c, actor=o.agent, reason="沟通不当，客户不满升级")


CALLS = {
    "review_valid": lambda c, o: services.complaint_review_valid(complaint=c, actor=o.agent),
    "review_invalid": lambda c, o: services.complaint_review_invalid(
        complaint=c, actor=o.agent, reason="非我方责任", explanation="已向客户说明原因"
    ),
    "resolve_on_spot": lambda c, o: services.complaint_resolve_on_spot(
        complaint=c, actor=o.agent, resolution="电话指导后恢复正常", customer_confirmed=True
    ),
    "dispatch": lambda c, o: services.complaint_dispatch(complaint=c, actor=o.agent, department=o.engineering),
    "transfer": lambda c, o: services.complaint_transfer(
        complaint=c, actor=o.agent, department=o.aftersales, reason="属于售后问题"
    ),
    "hand_back": lambda c, o: services.complaint_hand_back(complaint=c, actor=o.handler, reason="派错部门"),
    "accept_ticket": lambda c, o: services.complaint_accept_ticket(complaint=c, actor=o.handler),
    "submit_plan": lambda c, o: services.complaint_submit_plan(complaint=c, actor=o.handler, **PLAN),
    "request_approval": lambda c, o: services.complaint_submit_plan(
        complaint=c, actor=o.handler, compensation_amount=50, compensation_description="代金券", **PLAN
    ),
    "approve_plan": lambda c, o: services.complaint_approve_plan(complaint=c, actor=o.supervisor),
    "reject_plan": lambda c, o: services.complaint_reject_plan(complaint=c, actor=o.supervisor, comment="补偿过高"),
    "submit_receipt": lambda c, o: services.complaint_submit_receipt(complaint=c, actor=o.handler, text=RECEIPT),
    "accept_receipt": lambda c, o: services.complaint_accept_receipt(complaint=c, actor=o.agent),
    "reject_receipt": lambda c, o: services.complaint_reject_receipt(complaint=c, actor=o.agent, reason="未写明联系客户时间"),
    "visit_satisfied": lambda c, o: services.complaint_record_visit(
        complaint=c, actor=o.agent, outcome="satisfied", satisfaction=5
    ),
    "visit_unsatisfied": lambda c, o: services.complaint_record_visit(
        complaint=c, actor=o.agent, outcome="unsatisfied", satisfaction=2
    ),
    "visit_declined": lambda c, o: services.complaint_record_visit(complaint=c, actor=o.agent, outcome="declined"),
    "close_exempt": lambda c, o: services.complaint_close_exempt(
        complaint=c, actor=o.agent, exemption="exempt_no_contact", note="三次致电均无人接听"
    ),
    "archive": lambda c, o: services.complaint_archive(complaint=c, actor=o.supervisor),
    "reopen": lambda c, o: services.complaint_reopen(complaint=c, actor=o.supervisor, reason="客户再次反映"),
    "upgrade_nature": _upgrade,
    "classify": lambda c, o: services.complaint_classify(complaint=c, actor=o.agent, dimension="empathy"),
    "escalate": lambda c, o: services.complaint_escalate(complaint=c, actor=o.agent, reason="客户要求找领导"),
    "three_changes": lambda c, o: services.complaint_three_changes(
        complaint=c, actor=o.supervisor, changes=["time"], reason="客户情绪激动，改约时间",
        contact_time=clock.now() + dt.timedelta(days=1),
    ),
    "log_contact": lambda c, o: services.complaint_log_contact(
        complaint=c, actor=o.agent, kind="progress_update", note="您好，您的问题正在处理中，预计明天上门。"
    ),
    "add_note": lambda c, o: services.complaint_add_note(complaint=c, actor=o.agent, text="内部备注"),
    "add_attachment": lambda c, o: services.complaint_add_attachment(
        complaint=c, actor=o.agent, upload=SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    ),
    "request_extension": lambda c, o: enforcement.complaint_request_extension(
        complaint=c, actor=o.handler, working_days=2, reason="等待厂家配件"
    ),
    "decide_extension": lambda c, o: enforcement.complaint_decide_extension(
        complaint=c, actor=o.supervisor, approve=True, comment="同意"
    ),
}


def test_every_action_has_a_service_call():
    assert set(CALLS) == set(workflow.ACTIONS)


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("status", PATH)
def test_every_action_in_every_state(org, pinned_clock, status):
    complaint = make(org, status)
    for name, action in workflow.ACTIONS.items():
        events_before = TimelineEvent.objects.filter(complaint=complaint).count()
        if status in action.sources:
            try:
                with transaction.atomic():
                    if name == "decide_extension":
                        CALLS["request_extension"](complaint, org)
                    CALLS[name](Complaint.objects.get(pk=complaint.pk), org)
                    after = Complaint.objects.get(pk=complaint.pk)
                    assert after.status == action.leads_to(status), name
                    assert TimelineEvent.objects.filter(complaint=complaint).count() > events_before, name
                    raise _Rollback
            except _Rollback:
                pass
        else:
            with pytest.raises(InvalidTransition):
                CALLS[name](Complaint.objects.get(pk=complaint.pk), org)
            assert Complaint.objects.get(pk=complaint.pk).status == status, name
            assert TimelineEvent.objects.filter(complaint=complaint).count() == events_before, name


@pytest.mark.parametrize("name", list(workflow.ACTIONS))
def test_table_refuses_roles_not_listed(name):
    action = workflow.ACTIONS[name]
    subject = workflow.Subject(status=action.sources[0], department_id=1, first_owner_id=7)
    for role in {"agent", "handler", "supervisor", "manager", "admin"} - set(action.roles):
        actor = workflow.Actor(role=role, department_id=1, is_service_centre=True, user_id=7)
        with pytest.raises(workflow.Refusal) as refused:
            workflow.check(name, actor, subject)
        assert refused.value.kind == "role"


def test_department_actions_need_the_assigned_department():
    subject = workflow.Subject(status=Status.HANDLING, department_id=1, first_owner_id=None)
    outsider = workflow.Actor(role="handler", department_id=2, is_service_centre=False, user_id=3)
    insider = workflow.Actor(role="handler", department_id=1, is_service_centre=False, user_id=4)
    with pytest.raises(workflow.Refusal) as refused:
        workflow.check("submit_plan", outsider, subject)
    assert refused.value.kind == "relation"
    assert workflow.check("submit_plan", insider, subject).target == Status.IMPLEMENTING


def test_desk_actions_need_service_centre_or_first_owner():
    subject = workflow.Subject(status=Status.RECEIVED, department_id=None, first_owner_id=9)
    stranger = workflow.Actor(role="agent", department_id=5, is_service_centre=False, user_id=3)
    owner = workflow.Actor(role="agent", department_id=5, is_service_centre=False, user_id=9)
    with pytest.raises(workflow.Refusal):
        workflow.check("review_valid", stranger, subject)
    assert workflow.check("review_valid", owner, subject).name == "review_valid"


def test_archived_is_terminal_except_reopen():
    allowed = [a.name for a in workflow.ACTIONS.values() if Status.ARCHIVED in a.sources]
    assert allowed == ["reopen"]
