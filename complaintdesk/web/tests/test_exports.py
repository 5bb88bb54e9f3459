"""Queue exports: the same rows as the queue (filters, search, sort, visibility), labels not codes,
Asia/Shanghai times, the reader's language, a streamed response, and the queue's permission."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import tabular

pytestmark = pytest.mark.django_db


def _url(code: str, fmt: str) -> str:
    return reverse("web:queue_export", args=[code, fmt])


def _body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _csv(response) -> list[list[str]]:
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(_body(response)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.fixture
def cases(org, pinned_clock):
    closed = make(org, Status.CLOSED, phone="13900000001", customer_name="李四")
    handling = make(org, Status.HANDLING, phone="13900000002", customer_name="赵六", subject="电梯停运")
    fresh = receive(org, phone="13900000003", customer_name="钱七", subject="门禁失灵", category=org.category2)
    return closed, handling, fresh


def test_csv_has_labels_shanghai_times_and_all_rows(client, org, cases):
    closed, handling, fresh = cases
    client.force_login(org.agent)
    response = client.get(_url("all", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = _csv(response)
    header, data = rows[0], rows[1:]
    assert header[:4] == ["投诉编号", "状态", "受理时间", "渠道"]
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in data}
    assert set(by_number) == {closed.number, handling.number, fresh.number}
    row = by_number[closed.number]
    assert row["状态"] == "已结案" and row["渠道"] == "来电"
    assert row["客户"] == "李四先生"
    assert row["投诉类别"] == "维修质量" and row["责任部门"] == "工程维修部"
    assert row["首问责任人"] == "agent" and row["处理人"] == "handler"
    assert row["满意度(1-5)"] == "5" and row["结案原因"] == "回访满意"
    # T0 is 09:00 Asia/Shanghai (01:00 UTC): the export shows the local time.
    assert row["受理时间"] == "2026-03-10 09:00"
    assert by_number[fresh.number]["投诉类别"] == "服务态度" and by_number[fresh.number]["责任部门"] == ""
    # Default order: newest first, the same as the queue page.
    assert [r[0] for r in data] == [fresh.number, handling.number, closed.number]


def test_xlsx_is_a_valid_workbook_with_the_same_rows(client, org, cases):
    client.force_login(org.agent)
    response = client.get(_url("all", "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = _xlsx(response)
    csv_rows = _csv(client.get(_url("all", "csv")))
    assert rows[0] == csv_rows[0]
    assert len(rows) == len(csv_rows) == 4
    for sheet_row, csv_row in zip(rows[1:], csv_rows[1:], strict=True):
        # Sheet rows end at their last filled cell; numbers are numbers in the sheet, text in the CSV.
        padded = [*sheet_row, *[None] * (len(csv_row) - len(sheet_row))]
        for value, text in zip(padded, csv_row, strict=True):
            if isinstance(value, int | float):
                assert float(text) == value
            else:
                assert (value or "") == text


def test_export_follows_filters_search_and_sort(client, org, cases):
    closed, handling, fresh = cases
    client.force_login(org.agent)
    only_closed = _csv(client.get(_url("all", "csv"), {"status": "closed"}))
    assert [r[0] for r in only_closed[1:]] == [closed.number]
    by_category = _csv(client.get(_url("all", "csv"), {"category": org.category2.code}))
    assert [r[0] for r in by_category[1:]] == [fresh.number]
    by_search = _csv(client.get(_url("all", "csv"), {"q": "电梯"}))
    assert [r[0] for r in by_search[1:]] == [handling.number]
    oldest_first = _csv(client.get(_url("all", "csv"), {"sort": "received_at"}))
    assert [r[0] for r in oldest_first[1:]] == [closed.number, handling.number, fresh.number]
    # A queue's own rule applies too: 待审核 holds only the newly received case.
    to_review = _xlsx(client.get(_url("to_review", "xlsx")))
    assert [r[0] for r in to_review[1:]] == [fresh.number]


def test_export_in_english_for_an_english_reader(client, org, cases, settings):
    client.force_login(org.agent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = _csv(client.get(_url("all", "csv"), {"status": "closed"}))
    header = rows[0]
    assert header[:3] == ["Complaint number", "Status", "Received"]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Status"] == "Closed"


def test_handler_exports_only_what_they_may_see(client, org, cases):
    client.force_login(org.other_handler)
    rows = _csv(client.get(_url("all", "csv")))
    assert rows[1:] == []
    client.force_login(org.handler)
    rows = _csv(client.get(_url("all", "csv")))
    assert {r[0] for r in rows[1:]} == {cases[0].number, cases[1].number}


def test_export_needs_the_queue_permission(client, org, cases):
    assert client.get(_url("all", "csv")).status_code == 302  # not logged in → login page
    client.force_login(org.handler)
    assert client.get(_url("to_approve", "xlsx")).status_code == 404  # not a handler's queue
    assert client.get(_url("all", "pdf")).status_code == 404
    client.force_login(org.supervisor)
    assert client.get(_url("to_approve", "xlsx")).status_code == 200


def test_queue_page_links_to_exports_with_its_filters(client, org, cases):
    client.force_login(org.agent)
    html = client.get(reverse("web:queue", args=["all"]), {"status": "closed"}).content.decode()
    assert f'href="{_url("all", "xlsx")}?status=closed"' in html
    assert f'href="{_url("all", "csv")}?status=closed"' in html


def test_csv_neutralises_formulas_and_xlsx_survives_control_characters():
    rows = [["=HYPERLINK(\"x\")", "普通", "-3"], ["a\x01b", None, 7]]
    text = b"".join(tabular.stream_csv(["甲", "乙", "丙"], iter(rows))).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=HYPERLINK(\"x\")", "普通", "'-3"]
    data = b"".join(tabular.stream_xlsx(["甲", "乙", "丙"], iter(rows), sheet_name="a/b"))
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["甲", "乙", "丙"], ["=HYPERLINK(\"x\")", "普通", "-3"], ["ab", None, 7]
    ]


def test_xlsx_streams_before_the_rows_are_exhausted():
    consumed = []

    def rows():
        for i in range(50_000):
            consumed.append(i)
            yield [f"第{i}行" * 5, i]

    stream = tabular.stream_xlsx(["文本", "序号"], rows())
    next(stream)  # the package's fixed parts
    next(stream)  # the first chunk of the sheet
    assert 0 < len(consumed) < 50_000
