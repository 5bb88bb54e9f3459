"""The daily report: its contents against a hand count, kept once per period and scope (even with
two workers at once), produced by the morning job after the configured time, delivered in-app and
by e-mail, and written as JSON, PDF and Excel."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from complaintdesk.complaints.models import Complaint
from complaintdesk.core import clock
from complaintdesk.notifications.messages import render
from complaintdesk.notifications.models import Notification
from complaintdesk.reports import contents, services
from complaintdesk.reports.models import PeriodKind, Report
from complaintdesk.reports.tests.fixtures import complaint, event, local
from complaintdesk.reports.tests.test_indicators import DAY, facts  # noqa: F401

MORNING = local(2026, 3, 11, 8, 0)


@pytest.fixture
def day_facts(facts, org):  # noqa: F811
    event(facts["E"], "deadline_breached", local(2026, 3, 10, 18, 0))
    event(facts["F"], "escalated", local(2026, 3, 10, 17, 0), org.supervisor)
    Complaint.objects.filter(pk=facts["F"].pk).update(escalated_at=local(2026, 3, 10, 17, 0))
    Complaint.objects.filter(pk=facts["B"].pk).update(escalated_at=local(2026, 3, 9, 17, 0))  # the day before
    facts["C"].escalation_risk = "high"
    facts["C"].save(update_fields=["escalation_risk"])
    facts["R"] = complaint(org, received_at=local(2026, 3, 10, 11, 0), repeat_count=2, repeat_of=facts["A"])
    return facts


def test_contents_against_the_hand_count(day_facts, org):
    with clock.frozen(MORNING):
        report, created = services.report_generate(kind="day", first_day=DAY, last_day=DAY)
    assert created
    f = report.figures
    # new: A C E F R · closed: G H I J K · still open at 24:00: A B C E F R N O Q, and M (closed 03-11)
    assert f["summary"] == {"new": 5, "closed": 5, "still_open": 10, "breached": 1, "escalated": 1}
    assert f["indicators"]["intake"] == {"numerator": 5, "denominator": None, "value": 5}
    totals = {k: v["total"] for k, v in f["attention"].items()}
    assert totals == {"high_risk": 1, "repeat": 1, "compensation": 2, "breached": 1}
    assert sorted(i["number"] for i in f["attention"]["compensation"]["items"]) == sorted(
        [day_facts["G"].number, day_facts["J"].number])
    assert f["attention"]["repeat"]["items"][0]["number"] == day_facts["R"].number
    # The 7 days before (03-03 … 03-09): B received 03-09 → 1/7 a day.
    assert f["compare_basis"] == "average_7d"
    assert f["compare"]["intake"] == {"numerator": 1, "denominator": None, "value": 0.14}
    assert dict(f["trend"])["2026-03-10"] == 5
    assert f["department"] is None


def test_one_report_per_period_and_scope(day_facts, org):
    with clock.frozen(MORNING):
        first, created = services.report_generate(kind="day", first_day=DAY, last_day=DAY)
        again, created_again = services.report_generate(kind="day", first_day=DAY, last_day=DAY)
        dept, dept_created = services.report_generate(kind="day", first_day=DAY, last_day=DAY,
                                                      department=org.engineering)
    assert created and not created_again and again.pk == first.pk
    assert dept_created and dept.scope == str(org.engineering.pk)
    assert dept.figures["summary"]["new"] == 3  # A E F
    assert Report.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_one_report(org, monkeypatch):
    complaint(org, received_at=local(2026, 3, 10, 9, 0))
    barrier = threading.Barrier(2, timeout=20)
    real_build = contents.build

    def slow_build(*args, **kwargs):
        result = real_build(*args, **kwargs)
        barrier.wait()  # both workers have computed; both now try to insert
        return result

    monkeypatch.setattr(contents, "build", slow_build)
    results, errors = [], []

    def worker():
        try:
            results.append(services.report_generate(kind="day", first_day=DAY, last_day=DAY))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    # One pinned clock for both threads (the clock is process-wide: pinning it in each thread would
    # leave it pinned for the tests after this one).
    threads = [threading.Thread(target=worker) for _ in range(2)]
    with clock.frozen(MORNING):
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert clock.now() != MORNING
    assert not errors
    assert Report.objects.filter(kind="day", first_day=DAY).count() == 1
    assert sorted(created for _report, created in results) == [False, True]
    assert len({report.pk for report, _created in results}) == 1
    # Only the worker that made it told the readers.
    assert Notification.objects.filter(kind="report_ready").count() == 2  # supervisor + manager


def test_the_morning_job_waits_for_the_configured_time(org, settings, django_capture_on_commit_callbacks):
    org.manager.email = "manager@example.com"
    org.manager.save(update_fields=["email"])
    assert services.reports_generate_due(now=local(2026, 3, 11, 7, 59)) == []
    with django_capture_on_commit_callbacks(execute=True):
        made = services.reports_generate_due(now=local(2026, 3, 11, 8, 0))
    # Wednesday, not the 1st: yesterday's 日报 for the centre and the two handling departments.
    assert {(r.kind, r.first_day, r.scope) for r in made} == {
        ("day", DAY, "centre"), ("day", DAY, str(org.engineering.pk)), ("day", DAY, str(org.aftersales.pk))}
    assert services.reports_generate_due(now=local(2026, 3, 11, 9, 0)) == []  # once a day
    notices = Notification.objects.filter(kind="report_ready")
    centre = [n for n in notices.select_related("recipient") if "2026-03-10（全中心）" in render(n.message)]
    assert {n.recipient.username for n in centre} == {"manager", "supervisor"}
    assert render(centre[0].message).startswith("日报 2026-03-10（全中心）：新受理 0，结案 0")
    with translation.override("en"):
        assert render(centre[0].message).startswith("Daily report 2026-03-10 (Whole centre): 0 new, 0 closed")
    assert any("日报" in m.body for m in mail.outbox) and mail.outbox[0].to == ["manager@example.com"]
    settings.REPORTS_DAILY_AT = "09:30"
    assert services.reports_generate_due(now=local(2026, 3, 12, 9, 0)) == []
    assert services.reports_generate_due(now=local(2026, 3, 12, 9, 30))


def test_a_longer_period_is_compared_with_the_one_before(day_facts):
    with clock.frozen(MORNING):
        report, _created = services.report_generate(kind="custom", first_day=DAY - dt.timedelta(days=1),
                                                    last_day=DAY)
    f = report.figures
    assert f["compare_basis"] == "previous_period"
    assert f["indicators"]["intake"]["numerator"] == 6  # A C E F R + B (03-09)
    assert f["compare"]["intake"]["value"] == 0  # 03-07 … 03-08: nothing received


def test_mondays_add_the_week_and_the_first_adds_the_month(org):
    made = services.reports_generate_due(now=local(2026, 6, 1, 8, 5))  # Monday 1 June
    kinds = {(r.kind, r.first_day, r.last_day) for r in made if r.scope == "centre"}
    assert kinds == {("day", dt.date(2026, 5, 31), dt.date(2026, 5, 31)),
                     ("week", dt.date(2026, 5, 25), dt.date(2026, 5, 31)),
                     ("month", dt.date(2026, 5, 1), dt.date(2026, 5, 31))}


def test_periods():
    assert services.period_of("week", dt.date(2026, 3, 11)) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert services.period_of("month", dt.date(2026, 2, 11)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert services.period_of("month", dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        services.period_of("year", dt.date(2026, 1, 1))


def test_command_writes_json_pdf_and_excel(day_facts, tmp_path):
    with clock.frozen(MORNING):
        call_command("daily_report", "--date", "2026-03-10", "--format", "json", "--out", str(tmp_path / "r.json"),
                     stderr=io.StringIO())
        call_command("daily_report", "--date", "2026-03-10", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"),
                     stderr=io.StringIO())
        call_command("daily_report", "--date", "2026-03-10", "--format", "pdf", "--out", str(tmp_path / "r.pdf"),
                     stderr=io.StringIO())
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert data["kind"] == "day" and data["first_day"] == "2026-03-10" and data["summary"]["new"] == 5
    assert Report.objects.count() == 1  # made once, written three times
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["概况", "指标", "需关注", "分布"]
    assert ("新受理", 5) in [tuple(r[:2]) for r in book["概况"].values]
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "日报" in text and "新受理" in text


def test_command_bad_input(db, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("daily_report", "--date", "10/03/2026", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="nope"):
        call_command("daily_report", "--date", "2026-03-10", "--department", "nope", "--out", str(tmp_path / "x"))
    assert not Report.objects.exists()
    assert PeriodKind.DAY == "day"
