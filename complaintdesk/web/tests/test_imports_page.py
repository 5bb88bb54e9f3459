"""The 历史数据导入 page: upload → dry-run report → confirm; the report downloads; only admins and
managers reach it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaintdesk.complaints.models import Complaint
from complaintdesk.imports.models import BatchStatus, ImportBatch

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "imports" / "tests" / "data"


def _upload(client, name: str, mapping: bytes | None = None):
    data = {"file": SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")}
    if mapping is not None:
        data["mapping"] = SimpleUploadedFile("map.json", mapping, content_type="application/json")
    return client.post(reverse("web:import_upload"), data)


def test_manager_checks_then_confirms(client, org, pinned_clock):
    client.force_login(org.manager)
    page = client.get(reverse("web:import_upload"))
    assert page.status_code == 200 and "上传并检查" in page.content.decode()
    response = _upload(client, "history_good.csv")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:import_batch", args=[batch.pk])
    assert batch.status == BatchStatus.CHECKED and batch.valid_rows == 12 and batch.created_by == org.manager
    assert not Complaint.objects.exists()  # the check wrote nothing
    html = client.get(response["Location"]).content.decode()
    assert "确认导入 12 条" in html
    assert client.post(reverse("web:import_confirm", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.imported_rows == 12 and batch.imported_at
    assert Complaint.objects.filter(external_id__startswith="OLD-2025-").count() == 12
    # Confirming twice is refused and adds nothing.
    again = client.post(reverse("web:import_confirm", args=[batch.pk]))
    assert again.status_code == 409 and Complaint.objects.count() == 12


def test_bad_file_shows_the_rows_and_offers_the_report(client, org, pinned_clock):
    client.force_login(org.admin)
    _upload(client, "history_bad.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.REJECTED and batch.error_rows == 6
    html = client.get(reverse("web:import_batch", args=[batch.pk])).content.decode()
    assert "未知的投诉类别：物流快递" in html and 'data-row="4"' in html
    assert "确认导入" not in html
    assert client.post(reverse("web:import_confirm", args=[batch.pk])).status_code == 409
    assert not Complaint.objects.exists()
    report = client.get(reverse("web:import_report", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "行号" and len(rows) - 1 == len(batch.problems)


def test_bad_mapping_is_an_error_on_the_form(client, org):
    client.force_login(org.admin)
    response = _upload(client, "history_good.csv", mapping=b"not json")
    assert response.status_code == 422
    assert "列映射不是有效的 JSON" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_only_admins_and_managers(client, org):
    client.force_login(org.supervisor)
    assert client.get(reverse("web:import_upload")).status_code == 403
    assert _upload(client, "history_good.csv").status_code == 403
    client.force_login(org.agent)
    html = client.get(reverse("web:queue", args=["all"])).content.decode()
    assert reverse("web:import_upload") not in html
    client.force_login(org.manager)
    assert reverse("web:import_upload") in client.get(reverse("web:queue", args=["all"])).content.decode()
