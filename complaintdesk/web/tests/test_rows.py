"""The queue's rows built in Python (``web/rows.py``) are the markup the template made, escaped
and translated the same way (issue 12 §6: the template was most of a queue page's time)."""

from __future__ import annotations

import difflib
import re

import pytest
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import Priority, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import changes, clock
from complaintdesk.web import rows

pytestmark = pytest.mark.django_db

# The loop ``web/queues/_results.html`` had before ``{% queue_rows %}`` replaced it.
TEMPLATE = """{% load i18n desk %}{% for c in page.object_list %}
  <tr data-number="{{ c.number }}">
    {% if bulk %}<td><input type="checkbox" name="ids" value="{{ c.pk }}" aria-label="{% blocktranslate with n=c.number %}选择 {{ n }}{% endblocktranslate %}"></td>{% endif %}
    <td><a href="{% url 'web:complaint' c.pk %}">{{ c.number }}</a>
      {% if c.repeat_count %}<span class="badge repeat">{% blocktranslate with n=c.repeat_count %}重复×{{ n }}{% endblocktranslate %}</span>{% endif %}</td>
    <td>{% status_badge c %} {% escalation_badge c.escalation_level %}{% if c.priority != 'normal' %} <span class="badge esc">{{ c.get_priority_display }}</span>{% endif %}</td>
    <td>{{ c.customer }}<br><span class="muted">{{ c.contact_phone }}</span></td>
    <td>{{ c.subject|truncatechars:40 }}</td>
    <td class="hide-sm">{{ c.category|default:"—" }}</td>
    <td class="hide-sm">{{ c.department|default:"—" }}{% if c.handler %}<br><span class="muted">{{ c.handler }}</span>{% endif %}</td>
    <td class="hide-sm">{{ c.received_at|date:"m-d H:i" }}</td>
    <td>{% next_clock c as k %}{% if k %}<span class="clock-cell{% if k.overdue %} overdue{% endif %}" data-clock="{{ k.code }}" data-left="{{ k.seconds }}" data-ticking="1" title="{{ k.due|date:'Y-m-d H:i' }}">
      <span class="muted">{{ k.label }}</span><br><span class="clock-icon" aria-hidden="true">{% if k.overdue %}⚠{% else %}◷{% endif %}</span> <span class="clock-text">{{ k.left|working_duration }}</span></span>{% else %}—{% endif %}
      {% if c.implement_breached or c.first_answer_breached %} <span class="badge esc">{% translate "已超时" %}</span>{% endif %}</td>
  </tr>
  {% endfor %}"""


def _squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def _update(complaint, **values) -> None:
    """Set a column as a sweep would (the running report tallies follow)."""
    with transaction.atomic(), changes.complaints_changing([complaint.pk]):
        Complaint.objects.filter(pk=complaint.pk).update(**values)


@pytest.fixture
def varied(org):
    """Rows of every shape: a repeat, urgent, escalated, handled, breached, closed, no category,
    and text that must be escaped and cut."""
    plain = receive(org, subject="<script>alert('x')</script> 热水器不出热水，已经三天了，物业一直没有人来看过一次 & 没人管",
                    customer_name="王<b>五</b>")
    receive(org)  # the same customer, the same problem: a repeat of ``plain``
    urgent = receive(org, phone="13900000001", category=None)
    _update(urgent, priority=Priority.URGENT)
    escalated = make(org, Status.HANDLING, phone="13900000002")
    services.complaint_escalate(complaint=escalated, actor=org.supervisor, reason="客户情绪激烈")
    make(org, Status.CLOSED, phone="13900000003")
    overdue = make(org, Status.HANDLING, phone="13900000004")
    _update(overdue, implement_breached=True)
    assert Complaint.objects.filter(pk=plain.pk).get().repeat_count == 0
    assert Complaint.objects.filter(repeat_count__gt=0).exists()
    return list(selectors.complaint_list(user=org.supervisor, queue="all"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("bulk", [True, False])
def test_the_rows_are_the_markup_the_template_made(org, varied, language, bulk):
    later = max(c.received_at for c in varied) + (varied[0].first_answer_due_at - varied[0].received_at) * 3
    for moment in (clock.now(), later):  # deadlines ahead, then passed
        with clock.frozen(moment), translation.override(language):
            expected = Template(TEMPLATE).render(Context({"page": {"object_list": varied}, "bulk": bulk}))
            built = rows.queue_rows(varied, bulk=bulk)
        assert _squeeze(built) == _squeeze(expected)
    for shape in ('class="badge repeat"', "⬆", "clock-cell overdue", "<td>—", 'class="badge st-'):
        assert shape in built, shape  # every shape of row was compared
    assert "&lt;script&gt;" in built and "<script>" not in built and "王&lt;b&gt;五" in built


def test_the_queue_page_shows_the_rows_through_the_tag(client, org, varied):
    client.force_login(org.supervisor)
    html = client.get(reverse("web:queue", args=["all"])).content.decode()
    for c in varied:
        assert f'data-number="{c.number}"' in html and f'href="/c/{c.pk}/"' in html
    assert html.count("<tr data-number=") == len(varied)
    with translation.override("en"):
        english = client.get(reverse("web:queue", args=["all"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Repeat" in english or "repeat" in english


@pytest.mark.parametrize("seconds", [-3 * 86400 - 7, -3601, -61, -59, -1, 0, 1, 59, 61, 3599, 3600, 90061])
def test_a_shared_duration_is_the_words_of_its_own_span(seconds):
    """Rows share the words of equal spans; a span just overdue is never read as time left."""
    import datetime as dt

    labels = rows._Labels()
    for other in (-seconds, seconds + 30, seconds):
        labels.duration(dt.timedelta(seconds=other))
    assert labels.duration(dt.timedelta(seconds=seconds)) == rows.working_duration(dt.timedelta(seconds=seconds))


def test_rows_read_nothing_more_than_the_page_query(org, varied, django_assert_num_queries):
    """The page reads its rows without the long texts (``rows.DEFERRED``); building them queries nothing."""
    page = list(selectors.complaint_list(user=org.supervisor, queue="all").defer(*rows.DEFERRED))
    with django_assert_num_queries(0):
        built = rows.queue_rows(page, bulk=True)
    assert built.count("<tr data-number=") == len(varied)


@pytest.mark.parametrize("user", ["agent", "supervisor", "handler"])
def test_pages_are_the_same_with_djangos_widget_templates(client, org, varied, user, settings):
    """The queue and complaint pages (filters, action forms) with ``core.widgets.WidgetRenderer`` and
    with Django's own template renderer: the same HTML, but for the per-render CSRF token, nonce and form token."""
    client.force_login(getattr(org, user))
    handling = next(c for c in varied if c.status == Status.HANDLING)
    urls = [reverse("web:queue", args=["all"]), reverse("web:complaint", args=[handling.pk]),
            reverse("web:complaint", args=[varied[-1].pk]), reverse("web:intake")]

    def pages():
        out = []
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403, 404)  # a handler may not open the intake page
            out.append(re.sub(r'(name="csrfmiddlewaretoken" value=|name="form_token" value=|"X-CSRFToken": |nonce=)"[^"]+"', r"\1",
                              response.content.decode()))
        return out

    with clock.frozen(clock.now()):  # the clocks' seconds left are in the page
        fast = pages()
        settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
        for page, expected in zip(fast, pages(), strict=True):
            assert page == expected, "".join(difflib.unified_diff(expected.splitlines(True), page.splitlines(True)))
    assert "<select" in fast[0] and (user != "agent" or "<textarea" in fast[-1])
