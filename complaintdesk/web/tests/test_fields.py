"""Fields built in Python (``web/fields.py``) are the markup ``web/layout/_field.html`` made when it
was a template: every action form of the complaint page, the queue filters, the intake form and a
form sent back with errors, rendered both ways."""

from __future__ import annotations

import difflib
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make
from complaintdesk.web import fields
from complaintdesk.web.views import complaints as complaint_views

pytestmark = pytest.mark.django_db

# ``web/layout/_field.html`` before ``{% form_field %}`` replaced it.
TEMPLATE = '{% load i18n %}{% if field.is_hidden %}{{ field }}{% elif field.widget_type == \'checkbox\' %}\n<label>{{ field }} {{ field.label }}</label>{% if field.help_text %}<small class="helptext">{{ field.help_text }}</small>{% endif %}{{ field.errors }}\n{% elif field.widget_type == \'checkboxselectmultiple\' or field.widget_type == \'radioselect\' %}\n<fieldset class="checks"><legend>{{ field.label }}</legend>{% for choice in field %}<label>{{ choice.tag }} {{ choice.choice_label }}</label>{% endfor %}</fieldset>{{ field.errors }}\n{% else %}\n<label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span aria-hidden="true">*</span>{% endif %}</label>\n{{ field }}\n{% if field.help_text %}<small class="helptext">{{ field.help_text }}</small>{% endif %}{{ field.errors }}\n{% if field.field.checks_language %}<div class="text-hints" aria-live="polite"></div>\n<div class="quick-replies no-print"><label>{% translate "插入规范用语/预案" %}\n<input type="search" name="q" placeholder="{% translate \'搜索：致歉、等待、漏水…\' %}" form="" autocomplete="off"\n  hx-get="{% url \'web:quick_replies\' %}" hx-vals=\'{"target": "{{ field.id_for_label }}"}\' hx-trigger="input changed delay:300ms, focus once" hx-target="next .qr-list" hx-swap="innerHTML" hx-include="this"></label>\n<div class="qr-list"></div></div>{% endif %}\n{% endif %}\n'

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pages(client, urls, posts) -> list[str]:
    out = [client.get(url).content.decode() for url in urls]
    out += [client.post(url, data, **HTMX).content.decode() for url, data in posts]
    return [re.sub(r'(name="csrfmiddlewaretoken" value=|name="form_token" value=|"X-CSRFToken": |nonce=)"[^"]+"', r"\\1", page)
            for page in out]


@pytest.mark.parametrize("user", ["agent", "handler", "supervisor"])
def test_every_field_is_the_markup_the_template_made(client, org, user, monkeypatch, pinned_clock):
    monkeypatch.setattr(complaint_views, "EAGER_FORMS", frozenset(spec.key for spec in complaint_views.ACTION_FORMS))
    cases = [make(org, status, phone=f"1390000{i:04d}") for i, status in enumerate(
        [Status.RECEIVED, Status.ACCEPTED, Status.HANDLING, Status.PENDING_APPROVAL, Status.RECEIPT_SUBMITTED,
         Status.AWAITING_VISIT])]
    client.force_login(getattr(org, user))
    urls = [reverse("web:complaint", args=[c.pk]) for c in cases] + [reverse("web:queue", args=["all"]),
                                                                       reverse("web:intake")]
    posts = [(reverse("web:act", args=[cases[4].pk, "reject_receipt"]), {"reject_receipt-reason": ""}),
             (reverse("web:act", args=[cases[0].pk, "review_invalid"]), {"review_invalid-reason": ""})]
    built = _pages(client, urls, posts)
    old = Template(TEMPLATE)
    monkeypatch.setattr(fields, "field_html", lambda field: old.render(Context({"field": field})))
    expected = _pages(client, urls, posts)
    for page, want in zip(built, expected, strict=True):
        assert page == want, "".join(difflib.unified_diff(want.splitlines(True), page.splitlines(True)))
    joined = "".join(built)
    assert joined.count("<label") > 40 and 'class="quick-replies' in joined
    assert 'class="errorlist' in joined or user == "handler"
