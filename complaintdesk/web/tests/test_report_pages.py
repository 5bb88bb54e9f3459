"""Kept reports over HTTP: the list, one report as a page, PDF and Excel; any period on demand."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaintdesk.core import clock
from complaintdesk.reports.models import Report
from complaintdesk.reports.services import report_generate
from complaintdesk.reports.tests.test_indicators import DAY, facts  # noqa: F401
from complaintdesk.reports.tests.test_reports import MORNING

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(facts, org):  # noqa: F811
    with clock.frozen(MORNING):
        made, _created = report_generate(kind="day", first_day=DAY, last_day=DAY)
    return made


def test_only_supervisors_and_above(client, org, report):
    for user in (org.agent, org.handler):
        client.force_login(user)
        assert client.get(reverse("web:reports")).status_code == 403
        assert client.get(reverse("web:report", args=[report.pk])).status_code == 403
        assert client.get(reverse("web:report_file", args=[report.pk, "pdf"])).status_code == 403


def test_list_page_and_report_page(client, org, report, facts):  # noqa: F811
    client.force_login(org.supervisor)
    listing = client.get(reverse("web:reports")).content.decode()
    assert "日报 · 2026-03-10 · 全中心" in listing
    page = client.get(reverse("web:report", args=[report.pk])).content.decode()
    assert "新受理" in page and 'data-summary="0">4<' in page
    assert 'data-code="reply_24h"' in page and "33.3%" in page
    assert reverse("web:complaint", args=[facts["G"].pk]) in page  # compensation case, linked
    assert client.get(reverse("web:report", args=[999999])).status_code == 404


def test_pdf_and_excel(client, org, report):
    client.force_login(org.manager)
    pdf = client.get(reverse("web:report_file", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("web:report_file", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert ("新受理", 4) in [tuple(r[:2]) for r in book["概况"].values]
    assert client.get(reverse("web:report_file", args=[report.pk, "doc"])).status_code == 404


def test_any_period_on_demand(client, org, facts):  # noqa: F811
    client.force_login(org.manager)
    response = client.post(reverse("web:reports"), {"date_from": "2026-03-09", "date_to": "2026-03-10",
                                                    "department": str(org.engineering.pk)})
    made = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:report", args=[made.pk])
    assert (made.kind, made.scope, made.created_by) == ("custom", str(org.engineering.pk), org.manager)
    again = client.post(reverse("web:reports"), {"date_from": "2026-03-09", "date_to": "2026-03-10",
                                                 "department": str(org.engineering.pk)})
    assert again["Location"] == response["Location"] and Report.objects.count() == 1
    bad = client.post(reverse("web:reports"), {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.content.decode()
    assert Report.objects.count() == 1
