"""Issue 11, the day at the desk: due-soon by the policy's warning lead, time left in every queue
row, bulk actions beyond dispatch, the supervisor board, notifications at volume, intake, receipt."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import EscalationLevel, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import clock
from complaintdesk.sla.models import SlaPolicy

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def steady_calendar(monkeypatch):
    """Hold the calendar cache still while counting queries (see test_views)."""
    from complaintdesk.sla import deadlines

    monkeypatch.setattr(deadlines, "_RECHECK_SECONDS", 3600.0)


def _phone(i: int) -> str:
    return f"137{i:08d}"


def _rows(html: str) -> list[str]:
    return re.findall(r'data-number="([^"]+)"', html)


# -- 即将超时 ------------------------------------------------------------------------------------


def test_due_soon_is_the_policy_warning_lead_not_every_new_complaint(as_user, org):
    """A complaint received a minute ago (23 h 59 min to its first answer) is not due soon; one
    whose first answer falls inside the 4-hour warning lead is, with the deadline named."""
    start = clock.now()
    old = receive(org, phone=_phone(1))
    with clock.frozen(start + dt.timedelta(hours=21)):
        fresh = receive(org, phone=_phone(2))
        html = as_user(org.agent).get(reverse("web:queue", args=["due_soon"])).content.decode()
        assert _rows(html) == [old.number]
        assert fresh.number not in html
        assert "首次答复" in html and "剩余 3小时" in html
        assert selectors.queue_counts(org.agent)["due_soon"] == 1


def test_due_soon_follows_a_longer_policy_lead_for_its_category(as_user, org):
    SlaPolicy.objects.create(name="维修类提前预警", category=org.category, warning_lead_hours=30)
    repair = receive(org, phone=_phone(3))
    other = receive(org, phone=_phone(4), category=org.category2)
    codes = {c.number for c in selectors.complaint_list(user=org.agent, queue="due_soon")}
    assert repair.number in codes and other.number not in codes
    assert selectors.queue_counts(org.agent)["due_soon"] == 1


def test_due_soon_is_sorted_by_the_nearest_deadline_and_names_it(as_user, org):
    start = clock.now()
    later = receive(org, phone=_phone(5))
    with clock.frozen(start + dt.timedelta(hours=1)):
        sooner_by_callback = receive(org, phone=_phone(6))
        services.complaint_log_contact(
            complaint=sooner_by_callback, actor=org.agent, kind="callback_promised", note="下午回电告知进展",
            promised_for=start + dt.timedelta(hours=22),
        )
    with clock.frozen(start + dt.timedelta(hours=21)):
        html = as_user(org.agent).get(reverse("web:queue", args=["due_soon"])).content.decode()
    assert _rows(html) == [sooner_by_callback.number, later.number]
    assert "约定回话" in html


def test_due_soon_query_is_one_query_whatever_the_number_of_complaints(org):
    """The policy table, one range per deadline on its own index (the candidates), then the rows
    (none to read when no deadline is near): the same whatever the number of complaints."""
    counts = []
    for start in (10, 20):
        for i in range(5):
            receive(org, phone=_phone(start + i))
        with clock.frozen(clock.now() + dt.timedelta(hours=21)):  # their first answers are near
            with CaptureQueriesContext(connection) as ctx:
                assert len(list(selectors.complaint_list(user=org.agent, queue="due_soon"))) == start // 2
        counts.append(len(ctx.captured_queries))
    assert counts == [1 + len(selectors.DEADLINES) + 1] * 2


def test_every_queue_row_shows_the_time_left_and_sorts_by_it(as_user, org):
    start = clock.now()
    later = receive(org, phone=_phone(21))
    with clock.frozen(start + dt.timedelta(hours=2)):
        sooner = make(org, Status.HANDLING, phone=_phone(20))
        services.complaint_log_contact(
            complaint=sooner, actor=org.agent, kind="first_answer", note="已告知客户处理安排",
        )
    closed = make(org, Status.CLOSED, phone=_phone(22))
    client = as_user(org.agent)
    html = client.get(reverse("web:queue", args=["all"]), {"sort": "next_due"}).content.decode()
    sooner.refresh_from_db()
    assert sooner.first_answered_at is not None
    # the implementation deadline (5 working days) comes after the other's first answer (24 h)
    assert _rows(html) == [later.number, sooner.number, closed.number]
    assert 'data-clock="first_answer"' in html and 'data-clock="implement"' in html
    assert html.count('class="clock-text"') == 2  # the closed case has no clock
    newest_first = client.get(reverse("web:queue", args=["all"])).content.decode()
    assert _rows(newest_first) == [sooner.number, closed.number, later.number]


# -- bulk actions -------------------------------------------------------------------------------


def test_bulk_escalate_reports_each_row(as_user, org):
    a = receive(org, phone=_phone(30))
    b = receive(org, phone=_phone(31))
    response = as_user(org.supervisor).post(
        reverse("web:bulk", args=["all"]), {"action": "escalate", "ids": [a.pk, b.pk], "reason": "客户情绪激烈"}, **HTMX,
    )
    assert response.status_code == 200
    assert set(Complaint.objects.filter(pk__in=[a.pk, b.pk]).values_list("escalation_level", flat=True)) == {
        a.escalation_level + 1
    }
    assert response.content.decode().count("✔") == 2


def test_bulk_escalate_needs_a_reason(as_user, org):
    a = receive(org, phone=_phone(32))
    response = as_user(org.supervisor).post(
        reverse("web:bulk", args=["all"]), {"action": "escalate", "ids": [a.pk]}, **HTMX
    )
    assert response.status_code == 422 and "请填写升级原因" in response.content.decode()


def test_bulk_archive_archives_closed_and_refuses_open_with_reason(as_user, org):
    closed = make(org, Status.CLOSED, phone=_phone(33))
    open_ = receive(org, phone=_phone(34))
    response = as_user(org.supervisor).post(
        reverse("web:bulk", args=["all"]), {"action": "archive", "ids": [closed.pk, open_.pk]}, **HTMX
    )
    body = response.content.decode()
    closed.refresh_from_db()
    open_.refresh_from_db()
    assert closed.status == Status.ARCHIVED and open_.status == Status.RECEIVED
    assert body.count("✔") == 1 and body.count("✖") == 1


def test_bulk_archive_is_refused_for_an_agent_by_the_service(as_user, org):
    closed = make(org, Status.CLOSED, phone=_phone(35))
    response = as_user(org.agent).post(
        reverse("web:bulk", args=["all"]), {"action": "archive", "ids": [closed.pk]}, **HTMX
    )
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED and "✖" in response.content.decode()


def test_bulk_assign_handler_dispatches_to_the_handlers_department(as_user, org):
    ready = make(org, Status.ACCEPTED, phone=_phone(36))
    response = as_user(org.agent).post(
        reverse("web:bulk", args=["all"]), {"action": "assign", "ids": [ready.pk], "handler": org.other_handler.pk},
        **HTMX,
    )
    ready.refresh_from_db()
    assert response.status_code == 200
    assert ready.handler == org.other_handler and ready.department == org.aftersales
    assert ready.status == Status.DISPATCHED


def test_bulk_assign_without_handler_is_422(as_user, org):
    ready = make(org, Status.ACCEPTED, phone=_phone(37))
    response = as_user(org.agent).post(
        reverse("web:bulk", args=["all"]), {"action": "assign", "ids": [ready.pk]}, **HTMX
    )
    assert response.status_code == 422 and "请选择处理人" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.ACCEPTED



# -- the supervisor's board ---------------------------------------------------------------------


def _escalated(org, n: int, start: int = 100) -> list:
    rows = []
    for i in range(n):
        c = receive(org, phone=_phone(start + i), customer_name=f"客户{i}", address=f"翠湖苑{start + i}栋")
        assert c.escalation_level < EscalationLevel.SUPERVISOR
        services.complaint_escalate(
            complaint=c, actor=org.supervisor, reason="客户要求找领导", level=EscalationLevel.SUPERVISOR
        )
        rows.append(c)
    return rows


def test_board_escalated_count_agrees_with_the_sidebar_and_says_when_cut(as_user, org, monkeypatch):
    from complaintdesk.web.views import supervisor

    monkeypatch.setattr(supervisor, "LIMIT", 3)
    _escalated(org, 5)
    html = as_user(org.supervisor).get(reverse("web:supervisor"), {"tab": "escalated"}).content.decode()
    sidebar = re.search(r'data-queue="escalated"[^>]*>\s*<span>[^<]*</span><span class="n"[^>]*>(\d+)<', html)
    tab = re.search(r'data-tab="escalated"[^>]*>[^<]*\(<span class="n">(\d+)<', html)
    assert sidebar.group(1) == tab.group(1) == "5"
    assert len(_rows(html)) == 3
    assert "显示前 3 条，共 5 条" in html
    assert f'href="{reverse("web:queue", args=["escalated"])}"' in html


def test_board_list_that_fits_is_not_marked_cut(as_user, org):
    _escalated(org, 2)
    html = as_user(org.supervisor).get(reverse("web:supervisor"), {"tab": "escalated"}).content.decode()
    assert "data-truncated" not in html and len(_rows(html)) == 2


def test_board_approvals_show_every_option_and_the_responsibility_with_search_and_sort(as_user, org):
    a = make(org, Status.PENDING_APPROVAL, phone=_phone(200), customer_name="欧阳娜娜")
    b = make(org, Status.PENDING_APPROVAL, phone=_phone(201))
    client = as_user(org.supervisor)
    html = client.get(reverse("web:supervisor")).content.decode()
    assert "上门免费更换温控阀" in html and "更换整机" in html  # both options, the chosen one marked
    assert "产品质量问题，由我方负责" in html
    assert html.index(f'id="row-{a.pk}"') < html.index(f'id="row-{b.pk}"')
    newest = client.get(reverse("web:supervisor"), {"sort": "-received_at"}).content.decode()
    assert newest.index(f'id="row-{b.pk}"') < newest.index(f'id="row-{a.pk}"')
    found = client.get(reverse("web:supervisor"), {"q": "欧阳"}).content.decode()
    assert f'id="row-{a.pk}"' in found and f'id="row-{b.pk}"' not in found


def test_board_to_archive_lists_closed_cases_and_archives_in_bulk(as_user, org):
    closed = [make(org, Status.CLOSED, phone=_phone(210 + i)) for i in range(2)]
    client = as_user(org.supervisor)
    html = client.get(reverse("web:supervisor"), {"tab": "to_archive"}).content.decode()
    assert sorted(_rows(html)) == sorted(c.number for c in closed)
    assert 'name="action" value="archive"' in html
    response = client.post(
        reverse("web:bulk", args=["to_archive"]), {"action": "archive", "ids": [c.pk for c in closed]}, **HTMX
    )
    assert response.status_code == 200
    assert set(Complaint.objects.filter(pk__in=[c.pk for c in closed]).values_list("status", flat=True)) == {
        Status.ARCHIVED
    }


def test_board_reopen_is_one_collapsed_form_per_case(as_user, org):
    for i in range(3):
        make(org, Status.CLOSED, phone=_phone(220 + i))
    html = as_user(org.supervisor).get(reverse("web:supervisor"), {"tab": "closed"}).content.decode()
    forms = re.findall(r'<details class="action[^"]*" data-action="reopen"([^>]*)>', html)
    assert len(forms) == 3 and not any("open" in attrs for attrs in forms)


def test_board_shows_no_spec_references(as_user, org):
    make(org, Status.PENDING_APPROVAL, phone=_phone(230))
    html = as_user(org.supervisor).get(reverse("web:supervisor")).content.decode()
    assert not re.search(r"\d{3} §", html)


@pytest.mark.parametrize("tab", ["approvals", "escalated", "to_archive", "closed"])
def test_board_query_count_is_constant(as_user, org, tab, steady_calendar):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(org.supervisor)
    url = reverse("web:supervisor")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"tab": tab}).status_code == 200
        return len(ctx.captured_queries)

    make(org, Status.PENDING_APPROVAL, phone=_phone(240))
    make(org, Status.CLOSED, phone=_phone(241))
    _escalated(org, 1, start=242)
    few = count()
    for i in range(4):
        make(org, Status.PENDING_APPROVAL, phone=_phone(250 + i))
        make(org, Status.CLOSED, phone=_phone(260 + i))
    _escalated(org, 4, start=270)
    assert count() == few


# -- notifications at volume --------------------------------------------------------------------


def _notice(user, complaint, i: int, kind: str = "deadline_warning", when=None):
    from complaintdesk.notifications.models import Notification

    return Notification.objects.create(
        recipient=user, complaint=complaint, kind=kind, text=f"通知 {i}",
        created_at=when or clock.now() - dt.timedelta(minutes=i), idempotency_key=f"test-{user.pk}-{i}",
    )


def test_inbox_filters_unread_and_kind_and_paginates(as_user, org):
    open_ = receive(org, phone=_phone(300))
    for i in range(35):
        _notice(org.agent, open_, i)
    _notice(org.agent, open_, 99, kind="escalated")
    client = as_user(org.agent)
    html = client.get(reverse("web:inbox")).content.decode()
    assert "共 36 条" in html and html.count('data-notice="') == 30 and "第 1 / 2 页" in html
    escalations = client.get(reverse("web:inbox"), {"kind": "escalated"}).content.decode()
    assert escalations.count('data-notice="') == 1
    client.post(reverse("web:mark_read"), **HTMX)
    assert "没有未读通知" in client.get(reverse("web:inbox")).content.decode()
    assert client.get(reverse("web:inbox"), {"show": "all"}).content.decode().count('data-notice="') == 30


def test_inbox_groups_by_complaint_and_by_day(as_user, org):
    a = receive(org, phone=_phone(301))
    b = receive(org, phone=_phone(302), customer_name="赵六", address="翠湖苑1栋")
    now = clock.now()
    _notice(org.agent, a, 1, when=now)
    _notice(org.agent, b, 2, when=now - dt.timedelta(minutes=1))
    _notice(org.agent, a, 3, when=now - dt.timedelta(days=1))
    client = as_user(org.agent)
    by_complaint = client.get(reverse("web:inbox"), {"group": "complaint"}).content.decode()
    groups = re.findall(r'data-group="([^"]+)"', by_complaint)
    assert sorted(groups) == sorted([a.number, b.number])
    by_day = client.get(reverse("web:inbox"), {"group": "day"}).content.decode()
    assert len(re.findall(r'data-group="([^"]+)"', by_day)) == 2


def test_notices_about_closed_cases_leave_the_bell_and_the_unread_list(as_user, org):
    from complaintdesk.web.selectors import unread_notifications

    closed = make(org, Status.CLOSED, phone=_phone(303))
    open_ = receive(org, phone=_phone(304), customer_name="赵六", address="翠湖苑2栋")
    _notice(org.agent, closed, 1, kind="visit_task")
    _notice(org.agent, open_, 2)
    assert unread_notifications(org.agent) == 1
    client = as_user(org.agent)
    unread = client.get(reverse("web:inbox")).content.decode()
    assert unread.count('data-notice="') == 1 and closed.number not in unread
    everything = client.get(reverse("web:inbox"), {"show": "all"}).content.decode()
    assert closed.number in everything and "案件已结" in everything


def test_inbox_has_no_doubled_bullets(as_user, org):
    _notice(org.agent, receive(org, phone=_phone(305)), 1)
    html = as_user(org.agent).get(reverse("web:inbox")).content.decode()
    assert "●" not in html
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "static" / "web" / "app.css").read_text()
    assert "ul.notices { list-style: none" in css


def test_inbox_query_count_is_constant(as_user, org, steady_calendar):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(org.agent)
    c = receive(org, phone=_phone(306))

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("web:inbox"), params).status_code == 200
        return len(ctx.captured_queries)

    _notice(org.agent, c, 0)
    few = {g: count(group=g) for g in ("day", "complaint")}
    for i in range(1, 40):
        other = receive(org, phone=_phone(310 + i), customer_name=f"客户{i}", address=f"翠湖苑{i}号") if i % 10 == 0 else c
        _notice(org.agent, other, i)
    assert {g: count(group=g) for g in ("day", "complaint")} == few


# -- small things (item 12) ---------------------------------------------------------------------


def test_upgrade_to_valid_is_offered_only_for_a_communication_case(as_user, org):
    valid = make(org, Status.ACCEPTED, phone=_phone(400))
    inquiry = receive(org, phone=_phone(401), customer_name="赵六", address="翠湖苑3栋")
    services.complaint_review_valid(complaint=inquiry, actor=org.agent, nature="inquiry")
    client = as_user(org.supervisor)
    assert valid.nature == "valid"
    assert 'data-action="upgrade_nature"' not in client.get(reverse("web:complaint", args=[valid.pk])).content.decode()
    assert 'data-action="upgrade_nature"' in client.get(reverse("web:complaint", args=[inquiry.pk])).content.decode()


def test_visit_result_updates_the_heading_badge_too(as_user, org):
    c = make(org, Status.AWAITING_VISIT, phone=_phone(402))
    response = as_user(org.agent).post(
        reverse("web:act", args=[c.pk, "visit"]),
        {"origin": "visit", "visit-outcome": "unsatisfied", "visit-method": "phone", "visit-satisfaction": "2",
         "visit-result": "上门太慢", "visit-notes": "客户仍不满意"},
        **HTMX,
    )
    body = response.content.decode()
    c.refresh_from_db()
    assert response.status_code == 200, body
    badge = r'id="visit-status" hx-swap-oob="true"><span class="badge [^"]+" data-status="(\w+)"'
    assert re.search(badge, body).group(1) == c.status
    assert c.status != Status.AWAITING_VISIT


def test_receipt_names_the_centre_hotline_and_tracking_page(as_user, org, settings):
    settings.SERVICE_CENTRE_NAME = "翠湖苑物业客户服务中心"
    settings.SERVICE_CENTRE_HOTLINE = "400-123-4567"
    c = receive(org, phone=_phone(403))
    html = as_user(org.agent).get(reverse("web:print_receipt", args=[c.pk])).content.decode()
    assert "翠湖苑物业客户服务中心" in html and "400-123-4567" in html
    assert 'href="http://testserver/portal/track/"' in html


# -- intake (item 9) ----------------------------------------------------------------------------


def test_saved_intake_resets_the_side_panels(as_user, org):
    response = as_user(org.agent).post(reverse("web:intake"), {
        "phone": _phone(410), "customer_name": "韩梅梅", "salutation": "ms", "channel": "phone",
        "subject": "电梯停运", "description": "3栋电梯停运两天无人维修，老人上下楼很困难", "demand": "尽快修复",
        "category": org.category.code,
    }, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200, body
    assert '<div id="lookup" hx-swap-oob="true"' in body and '<div id="assist" hx-swap-oob="true"' in body


def test_lookup_carries_the_returning_callers_details(as_user, org):
    c = receive(org, phone=_phone(411), customer_name="李", salutation="ms", address="阳光花园3栋", room="1201")
    html = as_user(org.agent).get(reverse("web:lookup"), {"phone": c.contact_phone}).content.decode()
    assert 'data-customer_name="李"' in html and 'data-salutation="ms"' in html
    assert 'data-address="阳光花园3栋"' in html and 'data-room="1201"' in html


def test_forbidden_phrase_hint_shows_the_reason_not_the_rule_code(as_user, org):
    html = as_user(org.agent).post(reverse("web:assist"), {"description": "你尽管投诉好了"}).content.decode()
    assert "go_complain" not in html and "挑衅" in html


def test_repeat_badge_reads_as_the_customer_would_say_it(as_user, org):
    receive(org, phone=_phone(412))
    again = receive(org, phone=_phone(412))
    assert again.repeat_count >= 1
    html = as_user(org.agent).get(reverse("web:complaint", args=[again.pk])).content.decode()
    # Counted as the customer counts it: the original filing is the first.
    assert f"同一事项第 {again.filing_number} 次投诉" in html and again.filing_number == again.repeat_count + 1
    assert "次重复投诉" not in html
