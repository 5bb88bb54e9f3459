"""A manager, in Chromium, opens the dashboard, drills from a figure into the list behind it and exports
that list; opens yesterday's daily report as a page and as PDF."""

from __future__ import annotations

import re

import openpyxl
import pytest

from complaintdesk.core import clock
from complaintdesk.reports.tests.fixtures import complaint, local
from complaintdesk.reports.tests.test_indicators import AS_OF, facts  # noqa: F401
from complaintdesk.web.tests.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_drills_from_a_figure_into_its_complaints(open_as, org, facts, live_server, tmp_path):  # noqa: F811
    areas = ["阳光花园3栋", "阳光花园5栋", "翠湖苑1栋", "锦绣家园2栋"]
    for i in range(36):
        complaint(org, received_at=local(2026, 3, 10, (i * 5) % 24, i), channel=["phone", "online", "visit"][i % 3],
                  address=f"{areas[i % 4]} {100 + i}", department=[org.engineering, org.aftersales][i % 2],
                  category=[org.category, org.category2][i % 2], escalation_level=i % 3,
                  first_answer_breached=i % 7 == 0)
    with clock.frozen(AS_OF):
        page = open_as(org.manager)
        page.click("[data-nav=dashboard]")
        page.wait_for_selector("#board")
        page.goto(f"{live_server.url}/reports/dashboard/?date_from=2026-03-10&date_to=2026-03-10")
        page.wait_for_selector('[data-chart="intake-channel"] canvas')
        tile = page.locator('[data-indicator="escalation_rate"]')
        numerator = int(tile.locator('[data-part="num"]').inner_text())
        denominator = int(tile.locator('[data-part="den"]').inner_text())
        assert (numerator, denominator) == (3 + 24, 4 + 36)  # A…F hand count + two in three of the new ones
        screenshot(page, "dashboard")
        tile.locator('[data-part="num"]').click()
        page.wait_for_selector("#drill")
        assert "升级率的分子" in page.inner_text("#drill")
        count = int(re.search(r"共 (\d+) 件", page.inner_text("#results")).group(1))
        assert count == numerator
        # …and exports exactly that list: the export link carries the drill-down.
        with page.expect_download() as download_info:
            page.click('#results a[data-export="xlsx"]')
        path = tmp_path / "drilled.xlsx"
        download_info.value.save_as(path)
        sheet = openpyxl.load_workbook(path, read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))[1:]
        assert len(rows) == numerator
        shown = {n.get_attribute("data-number") for n in page.locator("#results tr[data-number]").all()}
        assert shown <= {r[0] for r in rows}


def test_manager_opens_yesterdays_daily_report_as_page_and_pdf(open_as, org, facts, live_server):  # noqa: F811
    from complaintdesk.reports.services import reports_generate_due

    morning = local(2026, 3, 11, 8, 0)
    with clock.frozen(morning):
        reports_generate_due(now=morning)
        page = open_as(org.manager)
        page.click("[data-nav=reports]")
        page.click('[data-report="day-2026-03-10-centre"]')
        page.wait_for_selector("#report")
        assert page.inner_text('[data-summary="0"]') == "4"  # 新受理: A C E F
        screenshot(page, "daily-report")
        pdf = page.request.get(live_server.url + page.get_attribute('[data-file="pdf"]', "href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
