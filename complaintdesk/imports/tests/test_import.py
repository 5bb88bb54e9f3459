"""Historical import: mapping, dry run, per-row report, all or nothing, no duplicates on re-import,
history kept (times and states), validation through the customers and complaints rules."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Count

from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.core.errors import NotPermitted, ValidationFailed
from complaintdesk.customers.models import Customer, CustomerPhone
from complaintdesk.imports import services

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
GOOD, BAD = DATA / "history_good.csv", DATA / "history_bad.csv"


def _command(*args) -> tuple[int, list[list[str]], dict]:
    out = io.StringIO()
    code = 0
    try:
        call_command("import_complaints", *[str(a) for a in args], stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    lines = out.getvalue().splitlines()
    summary = json.loads(lines[-1].removeprefix("# "))
    return code, list(csv.reader(lines[:-1])), summary


def test_good_file_imports_with_history_kept(org, pinned_clock):
    code, rows, summary = _command(GOOD)
    assert code == 0
    assert rows == [services.HEADER]
    assert summary == {"total": 12, "valid": 12, "errors": 0, "skipped": 0, "imported": 12, "dry_run": False}
    assert Complaint.objects.filter(external_id__startswith="OLD-2025-").count() == 12
    first = Complaint.objects.get(external_id="OLD-2025-0001")
    # Times are Beijing time as written in the file; the state and the closing time are history.
    assert first.received_at == dt.datetime(2025, 1, 3, 1, 0, tzinfo=dt.UTC)
    assert first.closed_at == dt.datetime(2025, 1, 5, 9, 30, tzinfo=dt.UTC)
    assert first.status == Status.ARCHIVED and first.archived_at == first.closed_at
    assert first.category == org.category and first.department == org.engineering
    assert first.number == "TS2025010300001" and first.first_owner == org.admin
    assert first.customer.name == "王芳" and first.contact_phone == "13910000000"
    assert first.description.startswith("作者的文笔还行") and first.subject == first.description[:30]
    second = Complaint.objects.get(external_id="OLD-2025-0002")
    assert second.status == Status.CLOSED and second.channel == "online" and second.category == org.category2
    assert second.satisfaction == 4
    # One IMPORTED event per complaint, by the importing user, nothing else (no SMS, no escalation).
    events = TimelineEvent.objects.filter(complaint__external_id__startswith="OLD-2025-")
    assert set(events.values_list("type", flat=True)) == {EventType.IMPORTED}
    assert events.count() == 12
    event = first.events.get()
    assert event.actor == org.admin and event.to_status == Status.ARCHIVED
    assert event.after["external_id"] == "OLD-2025-0001" and event.after["source"] == "history_good.csv"


def test_reimport_adds_nothing_and_reports_skips(org, pinned_clock):
    _command(GOOD)
    complaints, customers = Complaint.objects.count(), Customer.objects.count()
    code, rows, summary = _command(GOOD)
    assert code == 0
    assert summary["imported"] == 0 and summary["skipped"] == 12
    assert Complaint.objects.count() == complaints and Customer.objects.count() == customers
    assert rows[1][:5] == ["2", "OLD-2025-0001", "skipped", "external_id", "原编号"]
    assert "TS2025010300001" in rows[1][5]


def test_dry_run_writes_nothing(org, pinned_clock):
    code, rows, summary = _command(GOOD, "--dry-run")
    assert code == 0 and summary["dry_run"] is True and summary["valid"] == 12 and summary["imported"] == 0
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_bad_rows_are_reported_per_row_and_nothing_is_imported(org, pinned_clock):
    code, rows, summary = _command(BAD)
    assert code == 1
    assert summary == {"total": 7, "valid": 1, "errors": 6, "skipped": 0, "imported": 0, "dry_run": False}
    assert not Complaint.objects.exists()  # all or nothing: the good row (row 2) waits too
    problems = {(int(r[0]), r[3]): r for r in rows[1:]}
    assert "电话号码格式不正确" in problems[(3, "phone")][5] and problems[(3, "phone")][4] == "联系电话"
    assert "未知的投诉类别：物流快递" in problems[(4, "category")][5]
    assert "只能导入已结案或已归档" in problems[(5, "status")][5]
    assert "结案时间不能早于受理时间" in problems[(6, "closed_at")][5]
    assert "满意度应为 1 到 5" in problems[(6, "satisfaction")][5]
    assert "无法识别的时间：昨天下午" in problems[(7, "received_at")][5]
    assert "此项为必填项" in problems[(7, "description")][5]
    assert "与文件中前面的行重复：BAD-1" in problems[(8, "external_id")][5]
    assert all(r[2] == "error" for r in rows[1:])
    assert (2, "phone") not in problems


def test_english_messages_for_an_english_operator(org, pinned_clock):
    from django.utils import translation

    with translation.override("en"):
        report = services.run(path=BAD, actor=org.admin, dry_run=True)
    messages = [p[5] for p in report.problems]
    assert any(m.startswith("Unknown category") for m in messages), messages


def test_mapping_file_names_other_columns(org, pinned_clock, tmp_path):
    source = tmp_path / "legacy.csv"
    with source.open("w", encoding="gb18030", newline="") as f:  # what Excel on Chinese Windows saves
        writer = csv.writer(f)
        writer.writerow(["单号", "日期", "客户电话", "客户名", "问题", "处理完成"])
        writer.writerow(["L-1", "2025/03/01 08:15", "021-6234 5678", "林先生家", "电梯又坏了，困了人", "2025/03/02 12:00"])
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"external_id": "单号", "received_at": "日期", "phone": "客户电话",
                                   "customer_name": "客户名", "description": "问题", "closed_at": "处理完成"},
                                  ensure_ascii=False), encoding="utf-8")
    code, rows, summary = _command(source, "--mapping", mapping)
    assert code == 0 and summary["imported"] == 1
    imported = Complaint.objects.get(external_id="L-1")
    assert imported.contact_phone == "02162345678"  # normalised by the customers rules
    assert imported.status == Status.CLOSED and imported.channel == "other"
    assert CustomerPhone.objects.get(number="02162345678").customer.name == "林先生家"


def test_unusable_mapping_or_file_is_refused_before_any_row(org, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text('{"phone_number": "电话"}', encoding="utf-8")
    with pytest.raises(Exception, match="未知的目标字段：phone_number"):
        call_command("import_complaints", str(GOOD), "--mapping", str(mapping), stdout=io.StringIO())
    missing = tmp_path / "m.csv"
    missing.write_text("编号,内容\n1,坏了\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="找不到必需的列"):
        services.run(path=missing, actor=org.admin, dry_run=True)
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="只支持 CSV 或 Excel"):
        services.run(path=other, actor=org.admin, dry_run=True)


def test_excel_files_import_too(org, pinned_clock, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    with GOOD.open(encoding="utf-8-sig") as f:
        for i, row in enumerate(csv.reader(f)):
            if i and i <= 3:
                row[1] = dt.datetime.strptime(row[1], "%Y-%m-%d %H:%M")  # a real Excel date cell
                row[2] = int(row[2])  # a phone typed as a number
            sheet.append(row)
    path = tmp_path / "history.xlsx"
    book.save(path)
    report = services.run(path=path, actor=org.manager, dry_run=False)
    assert report.ok and report.imported == 12
    assert Complaint.objects.get(external_id="OLD-2025-0002").received_at == dt.datetime(2025, 2, 4, 2, 7, tzinfo=dt.UTC)


def test_only_admins_and_managers_import(org):
    with pytest.raises(NotPermitted):
        services.run(path=GOOD, actor=org.supervisor, dry_run=True)


def test_a_failure_half_way_leaves_nothing(org, pinned_clock, tmp_path, monkeypatch):
    from complaintdesk.imports import services as module

    calls = []
    real = module.complaint_import_history

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(module, "CHUNK", 5)
    monkeypatch.setattr(module, "complaint_import_history", failing)
    with pytest.raises(RuntimeError):
        services.run(path=GOOD, actor=org.admin, dry_run=False)
    assert len(calls) == 2
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_figures_see_imported_history(org, pinned_clock):
    _command(GOOD)
    by_category = dict(Complaint.objects.values_list("category__code").annotate(n=Count("id")))
    assert by_category == {"repair_quality": 6, "service_attitude": 3, None: 3}


def test_report_csv_download_is_excel_friendly(org, pinned_clock):
    report = services.run(path=BAD, actor=org.admin, dry_run=True)
    body = b"".join(services.report_csv(report.problems))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["行号", "原编号", "结果", "字段", "文件列名", "说明"]
    assert len(rows) - 1 == len(report.problems) and rows[1][2] == "错误"
