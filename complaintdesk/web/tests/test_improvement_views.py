"""Improvement pages over HTTP: who may see them, the opening form, the actions on the detail page,
htmx partials, English, and a constant number of queries on the list pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaintdesk.core import clock
from complaintdesk.improvement import services
from complaintdesk.improvement.models import CorrectiveAction
from complaintdesk.improvement.tests.fixtures import at, received

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = at(2026, 3, 31, 12)
LIFT = [("电梯故障", "电梯又坏了，困在里面半小时"), ("电梯停运", "电梯停运两天没人来修"),
        ("电梯老出问题", "电梯经常故障停运，老人上下楼很困难")]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def group(org, building: str, start: int = 0, category=None):
    return [
        received(org, at(2026, 3, 10 + i), building=building, subject=s, text=t, category=category,
                 phone=f"139{start + i:08d}")
        for i, (s, t) in enumerate(LIFT)
    ]


def open_action(org, **kw):
    data = dict(actor=org.supervisor, title="3栋电梯", problem="反复停运", department=org.engineering,
                due_date=dt.date(2026, 4, 10))
    data.update(kw)
    return services.corrective_action_open(**data)


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["web:hotspots", "web:causes", "web:corrective_action_new"])
@pytest.mark.parametrize("who", ["agent", "handler"])
def test_analysis_pages_are_for_supervisors(as_user, org, name, who):
    assert as_user(getattr(org, who)).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("who", ["supervisor", "manager"])
def test_nav_links_for_supervisors_and_managers(as_user, org, who):
    page = as_user(getattr(org, who)).get(reverse("web:corrective_actions")).content.decode()
    assert reverse("web:hotspots") in page


def test_handlers_get_the_list_of_their_department(as_user, org):
    mine = open_action(org)
    theirs = open_action(org, department=org.aftersales, title="售后")
    page = as_user(org.handler).get(reverse("web:corrective_actions")).content.decode()
    assert f'data-number="{mine.number}"' in page and theirs.number not in page
    assert as_user(org.handler).get(reverse("web:corrective_action", args=[theirs.pk])).status_code == 404
    assert as_user(org.agent).get(reverse("web:corrective_action", args=[mine.pk])).status_code == 404


def test_hotspots_page_lists_groups_with_links(as_user, org):
    complaints = group(org, "阳光花园3栋")
    page = as_user(org.supervisor).get(reverse("web:hotspots")).content.decode()
    assert page.count('class="card hotspot"') == 1
    for c in complaints:
        assert reverse("web:complaint", args=[c.pk]) in page
    ids = ",".join(str(c.pk) for c in sorted(complaints, key=lambda c: c.received_at, reverse=True))
    assert f"ids={ids}&amp;category={org.category.pk}&amp;area=%E9%98%B3" in page


def test_hotspots_page_query_count_is_constant(as_user, org):
    client = as_user(org.supervisor)
    group(org, "阳光花园3栋")
    one = count_queries(client, reverse("web:hotspots"))
    group(org, "阳光花园5栋", start=10)
    group(org, "翠湖苑1栋", start=20, category=org.category2)
    page = client.get(reverse("web:hotspots")).content.decode()
    assert page.count('class="card hotspot"') == 3
    assert count_queries(client, reverse("web:hotspots")) == one


def test_action_list_query_count_is_constant(as_user, org):
    client = as_user(org.supervisor)
    open_action(org, complaint_ids=[c.pk for c in group(org, "阳光花园3栋")])
    url = reverse("web:corrective_actions")
    one = count_queries(client, url)
    for i in range(6):
        action = open_action(org, title=f"整改 {i}", complaint_ids=[c.pk for c in group(org, f"{i}栋", start=10 * i + 10)])
        services.corrective_action_start(action=action, actor=org.handler)
    assert count_queries(client, url) == one
    assert count_queries(client, url, **HTMX, HTTP_HX_TARGET="results") < one


def test_list_filters(as_user, org):
    with clock.frozen(at(2026, 3, 1)):
        late = open_action(org, title="逾期的", due_date=dt.date(2026, 3, 5))
        started = services.corrective_action_start(action=open_action(org, title="进行中"), actor=org.handler)
        other = open_action(org, title="售后的", department=org.aftersales)
    client = as_user(org.supervisor)
    url = reverse("web:corrective_actions")

    def numbers(**params):
        page = client.get(url, params, **HTMX, HTTP_HX_TARGET="results").content.decode()
        return set(re.findall(r'data-number="([^"]+)"', page))

    assert numbers() == {late.number, started.number, other.number}
    assert numbers(overdue="on") == {late.number}
    assert numbers(status="in_progress") == {started.number}
    assert numbers(department=str(org.aftersales.pk)) == {other.number}
    assert numbers(q="售后") == {other.number}
    page = client.get(url).content.decode()
    assert 'data-count="overdue">1<' in page and 'data-count="open">3<' in page


def test_open_from_a_group_prefills_and_creates(as_user, org):
    complaints = group(org, "阳光花园3栋2单元")
    ids = ",".join(str(c.pk) for c in complaints)
    client = as_user(org.supervisor)
    form = client.get(reverse("web:corrective_action_new"),
                      {"ids": ids, "category": org.category.pk, "area": "阳光花园3栋"})
    html = form.content.decode()
    assert form.status_code == 200 and "阳光花园3栋" in html and complaints[0].number in html
    key = form.context["form"].initial["submission_key"]
    data = {"title": "3栋电梯反复停运", "problem": "三次停运", "department": str(org.engineering.pk),
            "due_date": "2026-04-15", "complaint_ids": ids, "category": str(org.category.pk),
            "area": "阳光花园3栋", "match_text": "电梯故障 电梯停运", "submission_key": key}
    response = client.post(reverse("web:corrective_action_new"), data)
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:corrective_action", args=[action.pk])
    assert set(action.complaints.values_list("pk", flat=True)) == {c.pk for c in complaints}
    assert (action.category, action.area, action.department) == (org.category, "阳光花园3栋", org.engineering)
    # The same form submitted again (double click, back button) opens nothing new.
    client.post(reverse("web:corrective_action_new"), data)
    assert CorrectiveAction.objects.count() == 1


def test_open_by_hand_with_errors_keeps_input(as_user, org):
    client = as_user(org.supervisor)
    response = client.post(reverse("web:corrective_action_new"), {
        "title": "", "problem": "保留的描述", "department": str(org.engineering.pk), "due_date": "2026-03-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "保留的描述" in html and 'class="errorlist' in html
    response = client.post(reverse("web:corrective_action_new"), {
        "title": "标题", "problem": "描述", "department": str(org.engineering.pk), "due_date": "2026-03-01"})
    assert response.status_code == 422 and "整改期限不能早于今天。" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_detail_actions_through_htmx(as_user, org):
    action = open_action(org)
    handler = as_user(org.handler)
    page = handler.get(reverse("web:corrective_action", args=[action.pk])).content.decode()
    assert 'data-action="start"' in page and 'data-action="verify"' not in page
    do = lambda verb: reverse("web:corrective_action_do", args=[action.pk, verb])  # noqa: E731
    started = handler.post(do("start"), **HTMX)
    assert started.status_code == 200 and 'data-status="in_progress"' in started.content.decode()
    assert started["HX-Trigger"] == "counts-changed"
    empty = handler.post(do("complete"), {"complete-changes": " "}, **HTMX)
    assert empty.status_code == 422 and 'data-status="in_progress"' in empty.content.decode()
    done = handler.post(do("complete"), {"complete-changes": "更换了曳引机"}, **HTMX)
    assert 'data-status="done"' in done.content.decode()
    forbidden = handler.post(do("verify"), {"verify-comment": "自己验证"}, **HTMX)
    assert forbidden.status_code == 403
    again = handler.post(do("complete"), {"complete-changes": "再提交一次"}, **HTMX)
    assert again.status_code == 409
    supervisor = as_user(org.supervisor)
    rejected = supervisor.post(do("reject"), {"reject-comment": ""}, **HTMX)
    assert rejected.status_code == 422
    verified = supervisor.post(do("verify"), {"verify-comment": "复查正常"})
    assert verified.status_code == 302
    page = supervisor.get(reverse("web:corrective_action", args=[action.pk])).content.decode()
    assert 'data-status="verified"' in page and page.count("<li data-event=") == 4 and "更换了曳引机" in page
    assert supervisor.post(reverse("web:corrective_action_do", args=[action.pk, "delete"])).status_code == 404


def test_detail_shows_complaints_after_the_fix(as_user, org):
    complaints = group(org, "阳光花园3栋")
    with clock.frozen(at(2026, 3, 20)):
        action = open_action(org, complaint_ids=[c.pk for c in complaints], category=org.category,
                             area="阳光花园3栋", match_text="电梯故障 电梯停运")
        services.corrective_action_start(action=action, actor=org.handler)
        services.corrective_action_complete(action=action, actor=org.handler, changes="更换主板")
    later = received(org, at(2026, 3, 25), building="阳光花园3栋", subject="电梯又停了", text="电梯停运困人",
                     phone="13700000001")
    page = as_user(org.supervisor).get(reverse("web:corrective_action", args=[action.pk])).content.decode()
    after = page.split('id="after-fix"')[1]
    assert later.number in after and complaints[0].number not in after


def test_causes_page(as_user, org):
    page = as_user(org.manager).get(reverse("web:causes"), {"by": "department", "period": "week"})
    assert page.status_code == 200 and 'id="cause-totals"' in page.content.decode()


def test_pages_in_english(as_user, org):
    client = as_user(org.supervisor)
    group(org, "阳光花园3栋")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:hotspots")).content.decode()
    assert "Recurring problems" in page and "Open a corrective action" in page
    action = open_action(org)
    detail = client.get(reverse("web:corrective_action", args=[action.pk])).content.decode()
    assert "History" in detail and "Similar complaints after the fix" in detail and "Open</span>" in detail


def test_bad_query_values_do_not_break_the_form(as_user, org):
    client = as_user(org.supervisor)
    assert client.get(reverse("web:corrective_action_new"), {"ids": "1,x"}).status_code == 404
    c = group(org, "阳光花园3栋")[0]
    assert client.get(reverse("web:corrective_action_new"), {"ids": str(c.pk), "category": "x"}).status_code == 200
    response = client.post(reverse("web:corrective_action_new"), {
        "title": "标题", "problem": "描述", "department": str(org.engineering.pk), "due_date": "2026-04-01",
        "category": "abc", "complaint_ids": "1,z"})
    assert response.status_code == 200 and not CorrectiveAction.objects.exists()
