"""Issue 11 in the workspace: the visit card and answers, plan history, 不成立 shown consistently,
what the customer was told, and constant query counts on the complaint page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT, make, receive

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db

ANSWERS = {"process": "上门太慢", "measures": "吊顶颜色和原来不一样", "result": "没解决"}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _returned(org):
    c = make(org, Status.AWAITING_VISIT)
    services.complaint_record_visit(
        complaint=c, actor=org.agent, outcome="unsatisfied", satisfaction=2, answers=ANSWERS, notes="客户要求返工",
    )
    return c


def test_visit_form_answers_reach_the_complaint_page_and_the_ticket(as_user, org):
    c = make(org, Status.AWAITING_VISIT)
    client = as_user(org.agent)
    response = client.post(reverse("web:act", args=[c.pk, "visit"]), {
        "origin": "visit", "visit-method": "on_site", "visit-satisfaction": "2", "visit-outcome": "unsatisfied",
        "visit-process": "上门太慢", "visit-measures": "吊顶颜色和原来不一样", "visit-result": "没解决",
    }, **HTMX)
    assert response.status_code == 200
    page = client.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'id="visits"' in page and "吊顶颜色和原来不一样" in page and "上门太慢" in page and "2/5" in page
    ticket = client.get(reverse("web:print_ticket", args=[c.pk])).content.decode()
    assert "吊顶颜色和原来不一样" in ticket and "上门太慢" in ticket


def test_handler_sees_the_last_visit_prominently_after_reescalation(as_user, org):
    c = _returned(org)
    page = as_user(org.handler).get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'id="last-visit"' in page
    box = page.split('id="last-visit"')[1].split("</section>")[0]
    assert "吊顶颜色和原来不一样" in box and "2/5" in box and "客户要求返工" in box


def test_no_last_visit_box_before_any_visit(as_user, org):
    c = make(org, Status.HANDLING)
    page = as_user(org.handler).get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'id="last-visit"' not in page and 'id="visits"' not in page


def test_second_round_plan_form_is_not_prefilled_with_the_approved_amount(as_user, org):
    c = _returned(org)
    page = as_user(org.handler).get(reverse("web:complaint", args=[c.pk])).content.decode()
    form = page.split('data-action="plan"')[1].split("</details>")[0]
    assert 'name="plan-compensation_amount"' in form
    assert 'name="plan-compensation_amount" value="100' not in form
    assert "已批准过的补偿" in form and "¥100.00" in form


def test_plan_history_marks_a_repeated_amount_and_keeps_the_first_comment(as_user, org):
    c = _returned(org)
    services.complaint_submit_plan(
        complaint=c, actor=org.handler, compensation_amount=100, compensation_description="赠送延保一年", **PLAN
    )
    page = as_user(org.supervisor).get(reverse("web:complaint", args=[c.pk])).content.decode()
    history = page.split('id="plans"')[1].split("</section>")[0]
    assert history.count("data-plan=") == 2
    assert 'data-decision="approved"' in history and 'data-decision="pending"' in history
    assert "同意" in history and "已实施" in history
    assert "repeat-amount" in history and "该金额已于" in history and str(org.supervisor) in history


def test_invalid_is_shown_consistently_with_the_contact_and_the_sms(as_user, org):
    c = receive(org)
    client = as_user(org.agent)
    response = client.post(reverse("web:act", args=[c.pk, "review_invalid"]), {
        "review_invalid-reason": "不属于本公司服务范围", "review_invalid-explanation": "该路段由市政负责维修",
    }, **HTMX)
    assert response.status_code == 200
    page = client.get(reverse("web:complaint", args=[c.pk])).content.decode()
    classification = page.split('id="cls-h"')[1].split("</section>")[0]
    assert "不成立" in classification and "有效投诉</dd>" not in classification
    contacts = page.split('id="ct-h"')[1].split("</section>")[0]
    assert "不成立解释" in contacts and "该路段由市政负责维修" in contacts
    told = page.split('id="messages"')[1].split("</section>")[0]
    assert "该路段由市政负责维修" in told and "短信" in told


def test_what_the_customer_was_told_lists_every_message(as_user, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    page = as_user(org.agent).get(reverse("web:complaint", args=[c.pk])).content.decode()
    told = page.split('id="messages"')[1].split("</section>")[0]
    assert "您的投诉已受理" in told and 'data-status="' in told


def test_complaint_page_queries_stay_constant_with_more_visits_plans_and_messages(as_user, org, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaintdesk.sla import deadlines

    monkeypatch.setattr(deadlines, "_RECHECK_SECONDS", 3600.0)
    c = _returned(org)
    client = as_user(org.supervisor)
    url = reverse("web:complaint", args=[c.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    services.complaint_submit_plan(
        complaint=c, actor=org.handler, compensation_amount=100, compensation_description="赠送延保一年", **PLAN
    )
    services.complaint_approve_plan(complaint=c, actor=org.supervisor, comment="再同意")
    services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
    services.complaint_accept_receipt(complaint=c, actor=org.agent)
    services.complaint_record_visit(complaint=c, actor=org.agent, outcome="unsatisfied", satisfaction=1, answers=ANSWERS)
    assert count() == before


def test_merge_from_the_complaint_page_shows_the_link_on_both(as_user, org):
    keep = make(org, Status.DISPATCHED)
    dup = receive(org, phone="13700000009", description="同一栋楼，电梯困人，物业迟迟不来")
    client = as_user(org.agent)
    page = client.get(reverse("web:complaint", args=[dup.pk])).content.decode()
    assert 'data-action="duplicate"' in page
    response = client.post(reverse("web:act", args=[dup.pk, "duplicate"]), {
        "duplicate-other": keep.number, "duplicate-merge": "on", "duplicate-reason": "同一户同一故障",
    }, **HTMX)
    assert response.status_code == 200
    merged = client.get(reverse("web:complaint", args=[dup.pk])).content.decode()
    assert keep.number in merged.split('id="duplicates"')[1] and "合并结案" in merged
    assert 'data-event="duplicate_merged"' in merged
    root = client.get(reverse("web:complaint", args=[keep.pk])).content.decode()
    assert dup.number in root.split('id="duplicates"')[1] and 'data-event="duplicate_linked"' in root


def test_merge_with_an_unknown_number_is_an_inline_error(as_user, org):
    dup = receive(org)
    response = as_user(org.agent).post(reverse("web:act", args=[dup.pk, "duplicate"]), {
        "duplicate-other": "TS999", "duplicate-merge": "on", "duplicate-reason": "同一事项",
    }, **HTMX)
    assert response.status_code == 422 and "找不到该投诉编号" in response.content.decode()


def test_handler_is_not_offered_the_duplicate_action(as_user, org):
    c = make(org, Status.HANDLING)
    page = as_user(org.handler).get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'data-action="duplicate"' not in page
