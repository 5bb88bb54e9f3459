"""In Chromium: a manager exports a filtered queue to Excel and imports a historical file through the
upload page (check → report → confirm)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make
from complaintdesk.web.tests.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).resolve().parents[2] / "imports" / "tests" / "data"


def test_manager_exports_the_filtered_queue(open_as, org, tmp_path):
    closed = make(org, Status.CLOSED, phone="13900000011")
    make(org, Status.HANDLING, phone="13900000012")
    page = open_as(org.manager)
    page.goto(page.url.split("/q/")[0] + "/q/all/?status=closed")
    page.wait_for_selector(f'tr[data-number="{closed.number}"]')
    screenshot(page, "queue-export")
    with page.expect_download() as download_info:
        page.click('a[data-export="xlsx"]')
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [closed.number]
    assert rows[1][1] == "已结案"


def test_manager_imports_history_through_the_page(open_as, org):
    page = open_as(org.manager)
    page.click("text=历史数据导入")
    page.set_input_files("#id_file", str(DATA / "history_good.csv"))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("[data-status=checked]")
    screenshot(page, "import-checked")
    page.click("button:has-text('确认导入 12 条')")
    page.wait_for_selector("[data-status=imported]")
    assert Complaint.objects.filter(external_id__startswith="OLD-2025-").count() == 12
    page.click("text=历史数据导入")
    page.set_input_files("#id_file", str(DATA / "history_bad.csv"))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("[data-status=rejected]")
    assert page.locator('tr[data-row="4"]').inner_text().count("物流快递") == 1
    screenshot(page, "import-report")
