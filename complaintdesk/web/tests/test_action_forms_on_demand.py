"""The complaint page builds an action's form only when its fold is opened (or the page is opened on
it with ``?action=``, or the form comes back with errors): the page's cost does not grow with the
number of handlers, departments and categories (docs/BENCHMARKS.md, "At 10,000,000")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make
from complaintdesk.org.models import Role, User

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(client, c, **params) -> str:
    response = client.get(reverse("web:complaint", args=[c.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_the_actions_and_fetches_a_form_when_it_is_opened(client, org):
    c = make(org, Status.HANDLING)
    client.force_login(org.supervisor)
    page = _page(client, c)
    url = reverse("web:action_form", args=[c.pk, "transfer"])
    assert 'data-action="transfer"' in page and f'hx-get="{url}"' in page and 'hx-trigger="toggle once"' in page
    assert 'name="transfer-department"' not in page  # not built until opened
    form = client.get(url, **HTMX)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="transfer-department"' in html and 'name="transfer-handler"' in html and " open>" in html
    assert f'hx-post="{reverse("web:act", args=[c.pk, "transfer"])}"' in html


def test_without_javascript_the_fold_links_to_the_page_opened_on_that_form(client, org):
    c = make(org, Status.HANDLING)
    client.force_login(org.supervisor)
    assert 'href="?action=transfer#action-transfer"' in _page(client, c)
    page = _page(client, c, action="transfer")
    assert 'id="action-transfer"' in page and 'name="transfer-department"' in page


def test_a_form_the_user_is_not_offered_is_refused(client, org):
    c = make(org, Status.HANDLING)
    client.force_login(org.handler)  # the handler of the case does not transfer it
    response = client.get(reverse("web:action_form", args=[c.pk, "transfer"]), **HTMX)
    assert response.status_code == 409 and "transfer-department" not in response.content.decode()
    assert client.get(reverse("web:action_form", args=[c.pk, "no_such_action"]), **HTMX).status_code == 404


def test_a_complaint_the_user_may_not_read_gives_no_form(client, org):
    c = make(org, Status.RECEIVED)  # not dispatched: not the handler's department
    other = User.objects.create_user(username="h-other", password="x", role=Role.HANDLER, department=org.aftersales)
    client.force_login(other)
    assert client.get(reverse("web:action_form", args=[c.pk, "submit_receipt"]), **HTMX).status_code in (403, 404)


def test_the_page_costs_the_same_with_many_handlers(client, org):
    c = make(org, Status.HANDLING)
    client.force_login(org.supervisor)
    _page(client, c)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            html = _page(client, c)
        return len(ctx.captured_queries), len(html)

    queries, size = measure()
    User.objects.bulk_create(
        User(username=f"h{i}", role=Role.HANDLER, department=org.engineering, display_name=f"处理人{i}")
        for i in range(200)
    )
    assert measure() == (queries, size)


def test_the_timeline_names_only_the_departments_and_categories_it_refers_to(client, org):
    """A centre has hundreds of departments and categories: the page reads the ones its timeline
    names, not every one of them for each page."""
    from complaintdesk.complaints import selectors
    from complaintdesk.complaints.models import Category
    from complaintdesk.org.models import Department
    from complaintdesk.web.selectors import timeline_names

    c = make(org, Status.HANDLING)
    Department.objects.bulk_create(Department(code=f"d{i}", name=f"部门{i}") for i in range(60))
    Category.objects.bulk_create(Category(code=f"k{i}", name=f"类别{i}") for i in range(60))
    timeline = list(selectors.complaint_timeline(complaint=c))
    referred = {
        values["department"] for e in timeline for values in (e.before or {}, e.after or {})
        if isinstance(values.get("department"), int)
    }
    assert referred  # dispatched: the timeline names its department
    names = timeline_names(timeline)
    assert names["departments"] == {d.pk: str(d) for d in Department.objects.filter(pk__in=referred)}
    assert names["categories"] == {}
    client.force_login(org.supervisor)
    assert 'data-event="dispatched"' in _page(client, c)


def test_the_classifiers_suggestions_are_shown_with_their_names(client, org):
    c = make(org, Status.HANDLING)
    c.suggestions = {
        "category": {"label": org.category2.code, "score": 0.82},
        "emotion": {"label": "angry", "score": 0.7},
        "dimension": {"label": ""},
    }
    c.save(update_fields=["suggestions"])
    client.force_login(org.supervisor)
    page = _page(client, c)
    shown = page.split("系统建议")[1].split("</dd>")[0]
    assert f"投诉类别：{org.category2.name}" in shown and "情绪等级：愤怒" in shown
    assert "服务质量维度" not in shown  # a suggestion without a label is not shown
    unknown = make(org, Status.HANDLING)
    unknown.suggestions = {"category": {"label": "no-such-code", "score": 0.5}}
    unknown.save(update_fields=["suggestions"])
    assert "投诉类别：no-such-code" in _page(client, unknown)
