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
    page = as_user(org.handler).get(reverse("web:action_form", args=[c.pk, "plan"])).content.decode()
    form = page.split('data-action="plan"')[1].split('<button type="submit"')[0]
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
    told = page.split('id="messages"')[1].split("</details>")[0]
    assert "该路段由市政负责维修" in told and "短信" in told


def test_what_the_customer_was_told_lists_every_message(as_user, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = receive(org)
    page = as_user(org.agent).get(reverse("web:complaint", args=[c.pk])).content.decode()
    told = page.split('id="messages"')[1].split("</details>")[0]
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


def test_visit_plan_page_plans_the_ticked_cases(as_user, org):
    import datetime as dt

    from django.utils import timezone

    from complaintdesk.followups.models import ReturnVisitTask, VisitPlan

    a = make(org, Status.AWAITING_VISIT)
    b = make(org, Status.AWAITING_VISIT, phone="13700000021", description="楼道灯不亮")
    client = as_user(org.agent)
    page = client.get(reverse("web:visit_plans")).content.decode()
    assert f'data-complaint="{a.pk}"' in page and f'data-complaint="{b.pk}"' in page
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("web:visit_plans"), {
        "complaints": [a.pk], "scheduled_for": day, "method": "intercom", "assigned_to": org.agent2.pk,
        "name": "周三对讲回访",
    })
    assert response.status_code == 302
    plan = VisitPlan.objects.get()
    assert ReturnVisitTask.objects.get(plan=plan).complaint == a
    page = client.get(reverse("web:visit_plans")).content.decode()
    assert "周三对讲回访" in page and f'data-complaint="{a.pk}"' not in page and f'data-complaint="{b.pk}"' in page


def test_visit_plan_without_cases_is_an_inline_error(as_user, org):
    from complaintdesk.followups.models import VisitPlan

    make(org, Status.AWAITING_VISIT)
    response = as_user(org.agent).post(reverse("web:visit_plans"), {
        "scheduled_for": "2099-01-01", "method": "phone", "assigned_to": org.agent.pk,
    })
    assert response.status_code == 422 and "请至少选择一件待回访的投诉" in response.content.decode()
    assert not VisitPlan.objects.exists()


def test_handlers_cannot_open_visit_pages(as_user, org):
    client = as_user(org.handler)
    assert client.get(reverse("web:visit_plans")).status_code == 403
    assert client.get(reverse("web:visit_reviews")).status_code == 403


def test_review_queue_counts_and_sends_a_doubtful_visit_back(as_user, org):
    from complaintdesk.complaints.models import VisitRecord

    c = make(org, Status.CLOSED)
    make(org, Status.CLOSED, phone="13700000023", description="门禁卡失灵")
    client = as_user(org.supervisor)
    page = client.get(reverse("web:visit_reviews")).content.decode()
    assert '<span class="badge" id="review-count">2</span>' in page
    visit = VisitRecord.objects.get(complaint=c)
    response = client.post(reverse("web:visit_review", args=[visit.pk]), {
        f"v{visit.pk}-verdict": "revisit", f"v{visit.pk}-comment": "记录过于简单，请再次回访核实",
    }, **HTMX)
    assert response.status_code == 200 and 'data-verdict="revisit"' in response.content.decode()
    page = client.get(reverse("web:visit_reviews")).content.decode()
    assert '<span class="badge" id="review-count">1</span>' in page
    # The visiting agent is now offered the re-visit on the closed complaint and records it.
    agent = as_user(org.agent)
    complaint_page = agent.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'data-action="revisit"' in complaint_page
    response = agent.post(reverse("web:act", args=[c.pk, "revisit"]), {
        "revisit-method": "phone", "revisit-outcome": "satisfied", "revisit-satisfaction": "4",
        "revisit-result": "问题确已解决",
    }, **HTMX)
    assert response.status_code == 200
    assert VisitRecord.objects.filter(complaint=c).count() == 2


def test_revisit_without_comment_is_an_inline_error(as_user, org):
    from complaintdesk.complaints.models import VisitRecord

    c = make(org, Status.CLOSED)
    visit = VisitRecord.objects.get(complaint=c)
    response = as_user(org.supervisor).post(reverse("web:visit_review", args=[visit.pk]), {
        f"v{visit.pk}-verdict": "revisit", f"v{visit.pk}-comment": "",
    }, **HTMX)
    assert response.status_code == 422 and "退回重访时请写明存疑之处" in response.content.decode()


def test_closed_complaint_without_review_is_not_offered_a_revisit(as_user, org):
    c = make(org, Status.CLOSED)
    page = as_user(org.agent).get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'data-action="revisit"' not in page


def test_every_customer_facing_box_has_the_quick_reply_picker(as_user, org):
    c = make(org, Status.HANDLING)
    page = as_user(org.handler).get(reverse("web:complaint", args=[c.pk]), {"action": "plan"}).content.decode()
    plan = page.split('data-action="plan"')[1].split('<button type="submit"')[0]
    assert 'hx-vals=\'{"target": "id_plan-option_1"}\'' in page
    assert "插入规范用语/预案" in plan


def test_quick_reply_search_returns_insertable_items(as_user, org):
    from complaintdesk.language.models import HandlingTemplate
    from complaintdesk.language.services import handling_template_save, seed_default_phrases

    seed_default_phrases()
    handling_template_save(template=HandlingTemplate(title="漏水维修", situation="漏水", body="师傅明天上午上门维修。"))
    client = as_user(org.agent)
    html = client.get(reverse("web:quick_replies"), {"q": "漏水", "target": "id_x"}).content.decode()
    assert 'data-insert-into="id_x"' in html and 'data-text="师傅明天上午上门维修。"' in html
    html = client.get(reverse("web:quick_replies"), {"q": "等待", "target": "id_x"}).content.decode()
    assert "等待" in html and 'data-kind="phrase"' in html
    assert "没有匹配" in client.get(reverse("web:quick_replies"), {"q": "不存在的词"}).content.decode()


def test_admin_refuses_a_template_with_a_forbidden_phrase(client, org):
    from complaintdesk.language.models import HandlingTemplate

    org.admin.is_staff = True
    org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    response = client.post(reverse("admin:language_handlingtemplate_add"), {
        "title": "推脱", "situation": "", "body": "这不是我负责的", "is_active": "on",
    })
    assert response.status_code == 200 and "服务禁语" in response.content.decode()
    assert not HandlingTemplate.objects.filter(title="推脱").exists()
    ok = client.post(reverse("admin:language_handlingtemplate_add"), {
        "title": "致歉", "situation": "补偿致歉", "body": "给您带来不便，非常抱歉。", "is_active": "on",
    })
    assert ok.status_code == 302 and HandlingTemplate.objects.get(title="致歉").updated_by == org.admin


def test_case_records_read_in_english(as_user, org):
    c = _returned(org)
    client = as_user(org.supervisor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert "The customer&#x27;s answers at the last visit" in page or "The customer's answers at the last visit" in page
    assert "Plans and approvals" in page and "What the customer was told" in page and "Round 1 · visit 1" in page
    reviews = client.get(reverse("web:visit_reviews")).content.decode()
    assert "Visit review" in reviews and "sample rate 100%" in reviews


def test_second_visit_page_shows_what_the_customer_said_last_time(as_user, org):
    c = _returned(org)
    services.complaint_submit_plan(complaint=c, actor=org.handler, **PLAN)
    services.complaint_submit_receipt(complaint=c, actor=org.handler, text=RECEIPT)
    services.complaint_accept_receipt(complaint=c, actor=org.agent)
    page = as_user(org.agent).get(reverse("web:visit", args=[c.pk])).content.decode()
    previous = page.split('id="visits"')[1].split("</section>")[0]
    assert "吊顶颜色和原来不一样" in previous and "2/5" in previous
