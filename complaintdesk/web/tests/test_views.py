"""The workspace over HTTP: pages render for each role, actions go through the services, errors
come back inline with 4xx for htmx, and list pages keep a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.complaints.tests.factories import PLAN, make, receive

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _phone(i: int) -> str:
    return f"139{i:08d}"


def test_login_page_and_redirect(client, org):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(reverse("login"))
    assert "投诉工单台" in page.content.decode()
    ok = client.post(reverse("login"), {"username": "agent", "password": "pw-12345678"})
    assert ok.status_code == 302
    assert client.get("/").url == reverse("web:queue", args=["my_tasks"])


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("agent", ["mine_first", "to_review", "to_visit", "intake"], ["to_approve", "department", "supervisor"]),
        ("handler", ["department", "my_tasks"], ["mine_first", "intake", "to_visit", "supervisor"]),
        ("supervisor", ["to_approve", "escalated", "supervisor", "intake"], []),
    ],
)
def test_navigation_by_role(as_user, org, role, visible, hidden):
    html = as_user(getattr(org, role)).get(reverse("web:queue", args=["all"])).content.decode()
    links = {"intake": f'href="{reverse("web:intake")}"', "supervisor": f'href="{reverse("web:supervisor")}"'}
    for code in visible:
        assert links.get(code, f'data-queue="{code}"') in html
    for code in hidden:
        assert links.get(code, f'data-queue="{code}"') not in html


def test_queue_counts_in_navigation(as_user, org):
    make(org, Status.RECEIVED)
    make(org, Status.RECEIVED, phone=_phone(1))
    html = as_user(org.agent).get(reverse("web:queue", args=["to_review"])).content.decode()
    assert 'data-queue="to_review"' in html
    counts = selectors.queue_counts(org.agent)
    assert counts["to_review"] == 2
    assert '<span class="n" aria-label="2 件">2</span>' in html


@pytest.mark.parametrize(
    ("code", "status", "user"),
    [
        ("mine_first", Status.RECEIVED, "agent"),
        ("my_tasks", Status.HANDLING, "handler"),
        ("department", Status.DISPATCHED, "handler"),
        ("to_review", Status.RECEIPT_SUBMITTED, "agent"),
        ("to_approve", Status.PENDING_APPROVAL, "supervisor"),
        ("to_visit", Status.AWAITING_VISIT, "agent"),
        ("all", Status.CLOSED, "agent"),
    ],
)
def test_each_queue_lists_its_cases(as_user, org, code, status, user):
    inside = make(org, status)
    outside = make(org, Status.ARCHIVED, phone=_phone(2))
    html = as_user(getattr(org, user)).get(reverse("web:queue", args=[code])).content.decode()
    assert inside.number in html
    if code == "mine_first":
        assert inside.number not in as_user(org.agent2).get(reverse("web:queue", args=[code])).content.decode()
    elif code != "all":
        assert outside.number not in html


def test_overdue_due_soon_and_escalated_queues(as_user, org):
    from complaintdesk.core import clock

    c = make(org, Status.HANDLING)
    services.complaint_escalate(complaint=c, actor=org.supervisor, reason="客户情绪激烈")
    client = as_user(org.supervisor)
    assert c.number in client.get(reverse("web:queue", args=["escalated"])).content.decode()
    with clock.frozen(c.implement_due_at + (c.implement_due_at - c.received_at)):
        html = client.get(reverse("web:queue", args=["overdue"])).content.decode()
    assert c.number in html


def test_queue_filters_search_sort_and_pagination(as_user, org):
    first = make(org, Status.RECEIVED, phone="13811112222", customer_name="欧阳娜娜")
    for i in range(30):
        make(org, Status.ACCEPTED, phone=_phone(100 + i))
    client = as_user(org.agent)
    url = reverse("web:queue", args=["all"])
    by_phone = client.get(url, {"q": "13811112222"}).content.decode()
    assert first.number in by_phone and "共 1 件" in by_phone
    by_name = client.get(url, {"q": "欧阳"}).content.decode()
    assert first.number in by_name
    by_number = client.get(url, {"q": first.number}).content.decode()
    assert "共 1 件" in by_number
    by_status = client.get(url, {"status": Status.ACCEPTED}).content.decode()
    assert "共 30 件" in by_status and first.number not in by_status
    page2 = client.get(url, {"page": 2, "sort": "received_at"}, **HTMX, HTTP_HX_TARGET="results")
    body = page2.content.decode()
    assert page2.status_code == 200 and "<html" not in body and "第 2 / 2 页" in body
    assert first.number not in body  # oldest first: it is on page one
    assert client.get(url, {"channel": "letter"}).content.decode().count('data-number="') == 0
    assert client.get(url, {"overdue": "on"}).status_code == 200
    assert client.get(url, {"category": org.category.code, "department": org.engineering.pk}).status_code == 200


def test_unknown_or_forbidden_queue_is_404(as_user, org):
    assert as_user(org.handler).get(reverse("web:queue", args=["to_approve"])).status_code == 404
    assert as_user(org.agent).get(reverse("web:queue", args=["nope"])).status_code == 404


def test_bulk_assignment_dispatches_and_reports_each_case(as_user, org):
    ready = make(org, Status.ACCEPTED)
    fresh = make(org, Status.RECEIVED, phone=_phone(3))
    response = as_user(org.agent).post(
        reverse("web:bulk", args=["all"]),
        {"ids": [ready.pk, fresh.pk], "department": org.engineering.pk, "reason": ""},
        **HTMX,
    )
    assert response.status_code == 200
    assert "counts-changed" in response["HX-Trigger"]
    ready.refresh_from_db()
    fresh.refresh_from_db()
    assert ready.status == Status.DISPATCHED and ready.department == org.engineering
    assert fresh.status == Status.RECEIVED
    assert "不能派单或转派" in response.content.decode()


def test_bulk_assignment_without_selection_is_422(as_user, org):
    response = as_user(org.agent).post(
        reverse("web:bulk", args=["all"]), {"department": org.engineering.pk}, **HTMX
    )
    assert response.status_code == 422 and "请先勾选投诉" in response.content.decode()


@pytest.fixture
def steady_calendar(monkeypatch):
    """The calendar cache re-reads its fingerprint every few seconds; on a slow run that one
    extra query would land in one of the two measured requests. Hold it still while counting."""
    from complaintdesk.sla import deadlines

    monkeypatch.setattr(deadlines, "_RECHECK_SECONDS", 3600.0)


def _count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def test_queue_page_query_count_is_constant(as_user, org, django_assert_max_num_queries, steady_calendar):
    client = as_user(org.agent)
    url = reverse("web:queue", args=["all"])
    for i in range(3):
        make(org, Status.DISPATCHED, phone=_phone(10 + i))
    few = _count_queries(client, url)
    for i in range(30):
        make(org, Status.HANDLING, phone=_phone(40 + i))
    many = _count_queries(client, url)
    assert few == many
    # session, user, SLA policies (due-soon leads), queue counts (open queues in one aggregate, 全部
    # and 我首问的 capped), bell, categories, departments, handlers (bulk bar), page count, page rows
    with django_assert_max_num_queries(13):
        client.get(url)
    partial = _count_queries(client, url, **HTMX, HTTP_HX_TARGET="results")
    assert partial < many


def test_complaint_page_query_count_is_constant(as_user, org, django_assert_max_num_queries, steady_calendar):
    c = make(org, Status.HANDLING)
    client = as_user(org.handler)
    url = reverse("web:complaint", args=[c.pk])
    before = _count_queries(client, url)
    for i in range(15):
        services.complaint_add_note(complaint=c, actor=org.handler, text=f"备注 {i}")
        services.complaint_log_contact(complaint=c, actor=org.handler, kind="other", note=f"联系 {i}")
    after = _count_queries(client, url)
    assert before == after
    with django_assert_max_num_queries(25):
        client.get(url)


def test_complaint_page_shows_record_clocks_timeline_and_only_allowed_actions(as_user, org):
    c = make(org, Status.RECEIVED)
    agent_html = as_user(org.agent).get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert c.number in agent_html and "热水器不出热水" in agent_html
    assert 'data-clock="first_answer"' in agent_html and "剩余" in agent_html
    assert 'data-event="received"' in agent_html
    for key in ("review_valid", "review_invalid", "resolve_on_spot", "add_note"):
        assert f'data-action="{key}"' in agent_html
    for key in ("dispatch", "accept_ticket", "approve_plan", "archive"):
        assert f'data-action="{key}"' not in agent_html


def test_handler_cannot_see_other_departments_case(as_user, org):
    c = make(org, Status.DISPATCHED)
    assert as_user(org.other_handler).get(reverse("web:complaint", args=[c.pk])).status_code == 404


def test_action_validation_error_is_inline_and_translated(as_user, org):
    c = make(org, Status.RECEIPT_SUBMITTED)
    response = as_user(org.agent).post(
        reverse("web:act", args=[c.pk, "reject_receipt"]), {"reject_receipt-reason": ""}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="errorlist' in html and 'data-action="reject_receipt"' in html
    assert 'aria-invalid="true"' in html
    client = as_user(org.agent)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.post(reverse("web:act", args=[c.pk, "reject_receipt"]), {"reject_receipt-reason": ""}, **HTMX)
    assert "This field is required." in english.content.decode()


def test_service_error_becomes_field_error(as_user, org):
    c = make(org, Status.IMPLEMENTING)
    response = as_user(org.handler).post(
        reverse("web:act", args=[c.pk, "submit_receipt"]), {"submit_receipt-text": "已处理"}, **HTMX
    )
    assert response.status_code == 422
    c.refresh_from_db()
    assert c.status == Status.IMPLEMENTING
    assert 'class="errorlist' in response.content.decode()


def test_forbidden_action_is_403(as_user, org):
    c = make(org, Status.PENDING_APPROVAL)
    response = as_user(org.agent).post(reverse("web:act", args=[c.pk, "approve_plan"]), {}, **HTMX)
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.status == Status.PENDING_APPROVAL


def test_successful_action_rerenders_complaint_and_refreshes_counts(as_user, org):
    c = make(org, Status.RECEIVED)
    response = as_user(org.agent).post(
        reverse("web:act", args=[c.pk, "review_valid"]), {"review_valid-category": org.category.code}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#complaint" and "counts-changed" in response["HX-Trigger"]
    assert 'data-status="accepted"' in response.content.decode()
    c.refresh_from_db()
    assert c.status == Status.ACCEPTED


def test_plain_post_without_htmx_redirects(as_user, org):
    c = make(org, Status.ACCEPTED)
    response = as_user(org.agent).post(
        reverse("web:act", args=[c.pk, "dispatch"]), {"dispatch-department": org.engineering.pk}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.DISPATCHED


def test_plan_with_compensation_goes_to_approval(as_user, org):
    c = make(org, Status.HANDLING)
    data = {
        "plan-cause_analysis": PLAN["cause_analysis"], "plan-responsibility": PLAN["responsibility"],
        "plan-option_1": PLAN["plan_options"][0], "plan-option_2": PLAN["plan_options"][1],
        "plan-chosen_plan": "1", "plan-compensation_amount": "200", "plan-compensation_description": "赠送延保",
    }
    response = as_user(org.handler).post(reverse("web:act", args=[c.pk, "plan"]), data, **HTMX)
    assert response.status_code == 200
    c.refresh_from_db()
    assert c.status == Status.PENDING_APPROVAL and c.chosen_plan == 1 and c.compensation_amount == 200


def test_classification_correction_is_kept_on_timeline(as_user, org):
    c = make(org, Status.ACCEPTED)
    response = as_user(org.agent).post(
        reverse("web:act", args=[c.pk, "classify"]),
        {"classify-category": org.category2.code, "classify-reason": "实为服务态度问题"}, **HTMX,
    )
    assert response.status_code == 200
    c.refresh_from_db()
    assert c.category == org.category2
    html = response.content.decode()
    assert 'data-event="classified"' in html and "<del>维修质量</del>" in html


def test_attachment_upload(as_user, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = make(org, Status.HANDLING)
    upload = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    response = as_user(org.handler).post(
        reverse("web:act", args=[c.pk, "add_attachment"]), {"add_attachment-file": upload}, **HTMX
    )
    assert response.status_code == 200 and "现场.png" in response.content.decode()
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    refused = as_user(org.handler).post(
        reverse("web:act", args=[c.pk, "add_attachment"]), {"add_attachment-file": bad}, **HTMX
    )
    assert refused.status_code == 422 and "不支持的文件类型" in refused.content.decode()


def test_intake_page_lookup_assist_and_save(as_user, org):
    make(org, Status.HANDLING, phone="13822223333")
    client = as_user(org.agent)
    page = client.get(reverse("web:intake")).content.decode()
    for step in ("先处理情感，后处理事件", "确认问题", "评估期望", "相互协商", "妥善处理", "安抚情绪"):
        assert step in page
    lookup = client.get(reverse("web:lookup"), {"phone": "138 2222 3333"}, **HTMX).content.decode()
    assert "王五" in lookup and "未结投诉" in lookup and "重复投诉" in lookup
    new = client.get(reverse("web:lookup"), {"phone": "13900001111"}, **HTMX).content.decode()
    assert "新客户" in new
    hints = client.post(reverse("web:assist"), {"description": "这个我不知道，你尽管投诉好了"}, **HTMX)
    assert hints.status_code == 200 and "禁语" in hints.content.decode()
    saved = client.post(reverse("web:intake"), {
        "phone": "13900001111", "customer_name": "李雷", "salutation": "mr", "channel": "phone",
        "subject": "电梯停运", "description": "电梯停了一天没人管", "demand": "尽快修好电梯",
    }, **HTMX)
    assert saved.status_code == 200
    c = Complaint.objects.get(contact_phone="13900001111")
    html = saved.content.decode()
    assert c.number in html and "您的投诉已经受理" in html
    assert c.first_owner == org.agent


def test_intake_errors_are_inline(as_user, org):
    response = as_user(org.agent).post(
        reverse("web:intake"), {"phone": "123", "channel": "phone", "subject": "x", "description": "y"}, **HTMX
    )
    assert response.status_code == 422
    assert "电话号码格式不正确" in response.content.decode()
    assert as_user(org.handler).get(reverse("web:intake")).status_code == 403


def test_print_pages(as_user, org):
    c = make(org, Status.IMPLEMENTING)
    client = as_user(org.agent)
    ticket = client.get(reverse("web:print_ticket", args=[c.pk])).content.decode()
    assert "投诉处理单" in ticket and c.number in ticket and "data-print" in ticket and "@media print" in ticket
    receipt = client.get(reverse("web:print_receipt", args=[c.pk])).content.decode()
    assert "回执单" in receipt and "承诺答复时间" in receipt


def test_customer_page(as_user, org):
    c = make(org, Status.CLOSED)
    make(org, Status.RECEIVED)
    html = as_user(org.agent).get(reverse("web:customer", args=[c.customer_id])).content.decode()
    assert c.number in html and "满意度历史" in html and "13812345678" in html and "5/5" in html
    assert as_user(org.handler).get(reverse("web:customer", args=[c.customer_id])).status_code == 403


def test_visit_page_records_unsatisfied_then_satisfied(as_user, org):
    c = make(org, Status.AWAITING_VISIT)
    client = as_user(org.agent)
    page = client.get(reverse("web:visit", args=[c.pk])).content.decode()
    assert "对处理过程" in page and "同理度" in page and "免回访原因" in page
    response = client.post(reverse("web:act", args=[c.pk, "visit"]), {
        "origin": "visit", "visit-method": "phone", "visit-satisfaction": "2", "visit-outcome": "unsatisfied",
        "visit-result": "热水器仍时好时坏", "visit-dim_empathy": "3",
    }, **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#visit-area"
    c.refresh_from_db()
    assert c.status == Status.HANDLING and c.handling_rounds == 2


def test_supervisor_board_approves_inline(as_user, org):
    c = make(org, Status.PENDING_APPROVAL)
    client = as_user(org.supervisor)
    html = client.get(reverse("web:supervisor")).content.decode()
    assert c.number in html and "¥100" in html
    response = client.post(reverse("web:act", args=[c.pk, "approve_plan"]),
                           {"origin": "board", "approve_plan-comment": "同意"}, **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == f"#row-{c.pk}"
    c.refresh_from_db()
    assert c.status == Status.IMPLEMENTING and c.approved_by == org.supervisor
    for tab in ("escalated", "closed"):
        assert client.get(reverse("web:supervisor"), {"tab": tab}).status_code == 200
    assert as_user(org.agent).get(reverse("web:supervisor")).status_code == 403


def test_english_switch(as_user, org):
    client = as_user(org.agent)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("web:queue", args=["my_tasks"])).content.decode()
    assert "My tasks" in html and "Take a complaint" in html


def test_nav_partial_and_bell(as_user, org):
    client = as_user(org.agent)
    response = client.get(reverse("web:nav"), **HTMX)
    assert response.status_code == 200 and 'data-queue="my_tasks"' in response.content.decode()
    assert client.get(reverse("web:bell"), **HTMX).status_code == 200


def test_receipt_text_hints_while_typing(as_user, org):
    response = as_user(org.handler).post(
        reverse("web:check_text"), {"submit_receipt-text": "我不知道，这不是我负责的"},
        HTTP_HX_TRIGGER_NAME="submit_receipt-text", **HTMX,
    )
    assert response.status_code == 200 and "禁语" in response.content.decode()


def test_hints_on_a_complaints_page_are_kept_on_that_complaint(as_user, org):
    c = make(org, Status.HANDLING)
    client = as_user(org.handler)
    page = client.get(reverse("web:action_form", args=[c.pk, "plan"])).content.decode()
    assert f'name="complaint_ref" value="{c.pk}"' in page  # the action forms post it with each check
    data = {"submit_receipt-text": "我不知道，这不是我负责的", "complaint_ref": str(c.pk)}
    for _ in range(2):
        response = client.post(reverse("web:check_text"), data, HTTP_HX_TRIGGER_NAME="submit_receipt-text", **HTMX)
        assert response.status_code == 200 and "禁语" in response.content.decode()
    flagged = TimelineEvent.objects.filter(complaint=c, type=EventType.LANGUAGE_FLAGGED)
    assert sorted(p for e in flagged for p in e.after["phrases"]) == ["不是我负责的", "不知道"]
    assert {e.after["field"] for e in flagged} == {"submit_receipt-text"}
    # A complaint the user may not see is not written to (the hints still come back).
    hidden = receive(org)  # not dispatched: not the engineering handler's
    assert not selectors.complaint_visible_to(user=org.handler, complaint=hidden)
    response = client.post(
        reverse("web:check_text"), {**data, "complaint_ref": str(hidden.pk)},
        HTTP_HX_TRIGGER_NAME="submit_receipt-text", **HTMX,
    )
    assert response.status_code == 200 and "禁语" in response.content.decode()
    assert not TimelineEvent.objects.filter(complaint=hidden, type=EventType.LANGUAGE_FLAGGED).exists()


def test_extension_is_requested_by_the_handler_and_decided_by_a_supervisor(as_user, org):
    c = make(org, Status.HANDLING)
    handler = as_user(org.handler)
    page = handler.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert "申请延期" in page and "审批延期" not in page
    bad = handler.post(reverse("web:act", args=[c.pk, "request_extension"]),
                       {"request_extension-working_days": "90", "request_extension-reason": "等配件"}, **HTMX)
    assert bad.status_code == 422
    ok = handler.post(reverse("web:act", args=[c.pk, "request_extension"]),
                      {"request_extension-working_days": "2", "request_extension-reason": "等待厂家配件"}, **HTMX)
    assert ok.status_code == 200
    due_before = Complaint.objects.get(pk=c.pk).implement_due_at
    supervisor = as_user(org.supervisor)
    page = supervisor.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert "审批延期" in page
    refused = supervisor.post(reverse("web:act", args=[c.pk, "decide_extension"]),
                              {"decide_extension-approve": "no", "decide_extension-comment": ""}, **HTMX)
    assert refused.status_code == 422
    approved = supervisor.post(reverse("web:act", args=[c.pk, "decide_extension"]),
                               {"decide_extension-approve": "yes", "decide_extension-comment": "同意"}, **HTMX)
    assert approved.status_code == 200
    assert Complaint.objects.get(pk=c.pk).implement_due_at > due_before


def test_navigation_counts_open_queues_exactly_and_caps_the_history_queues(as_user, org, monkeypatch):
    """The open-work queues are counted exactly (from the open rows only); 全部 / 我首问的 / 待归档
    grow with the whole history and are counted up to a cap, shown as "N+"."""
    monkeypatch.setattr(selectors, "NAV_COUNT_CAP", 2)
    from complaintdesk.web.templatetags import desk

    monkeypatch.setattr(desk, "NAV_COUNT_CAP", 2)
    for i, status in enumerate([Status.RECEIVED, Status.RECEIVED, Status.DISPATCHED, Status.PENDING_APPROVAL,
                                Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.ARCHIVED]):
        make(org, status, phone=_phone(10 + i))
    for user in (org.agent, org.supervisor, org.handler):
        counts = selectors.queue_counts(user)
        for queue in selectors.queues_for(user):
            exact = selectors.complaint_list(user=user, queue=queue.code).count()
            if queue.code in selectors.UNBOUNDED_QUEUES:
                assert counts[queue.code] == min(exact, 3), (user.role, queue.code)
            else:
                assert counts[queue.code] == exact, (user.role, queue.code)
    assert selectors.queue_counts(org.supervisor)["all"] == 3  # 8 complaints: more than the cap
    html = as_user(org.supervisor).get(reverse("web:queue", args=["to_review"])).content.decode()
    assert '<span class="n" aria-label="2+ 件">2+</span>' in html


def test_nav_counts_are_kept_briefly_but_never_hide_the_users_own_action(
    as_user, org, settings, django_capture_on_commit_callbacks
):
    """With ``NAV_COUNTS_TTL`` the sidebar does not count on every page; another user's change
    shows within the TTL, the user's own action at once (its counts are dropped on commit)."""
    from django.core.cache import cache

    from complaintdesk.web.views.nav import counts_key

    settings.NAV_COUNTS_TTL = 60
    cache.clear()
    client = as_user(org.agent)
    page = reverse("web:queue", args=["all"])
    client.get(page)
    with CaptureQueriesContext(connection) as ctx:
        client.get(page)
    assert not any("FILTER (WHERE" in q["sql"] for q in ctx.captured_queries)  # kept: no count query
    kept = cache.get(counts_key(org.agent.pk))["counts"]["mine_first"]
    with django_capture_on_commit_callbacks(execute=True):
        receive(org, actor=org.supervisor)  # someone else's intake: shown within the TTL, not at once
    assert cache.get(counts_key(org.agent.pk))["counts"]["mine_first"] == kept
    with django_capture_on_commit_callbacks(execute=True):
        receive(org, actor=org.agent, phone="13812345679")  # the agent's own: counted on the next page
    assert cache.get(counts_key(org.agent.pk)) is None
    client.get(page)
    assert cache.get(counts_key(org.agent.pk))["counts"]["mine_first"] == kept + 1
    fresh = client.get(reverse("web:nav"), HTTP_HX_REQUEST="true")  # after an action the page asks afresh
    assert fresh.status_code == 200
    cache.clear()


def test_an_unreachable_cache_only_means_counting_afresh(as_user, org, settings, monkeypatch):
    """The kept counts are a shortcut: with the cache (Redis) down every page still works."""
    from django.core.cache import cache

    settings.NAV_COUNTS_TTL = 60

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    for method in ("get", "set", "delete"):
        monkeypatch.setattr(cache, method, down)
    make(org, Status.RECEIVED)
    client = as_user(org.agent)
    response = client.get(reverse("web:queue", args=["all"]))
    assert response.status_code == 200 and 'data-queue="all"' in response.content.decode()
    assert client.get(reverse("web:nav"), HTTP_HX_REQUEST="true").status_code == 200
