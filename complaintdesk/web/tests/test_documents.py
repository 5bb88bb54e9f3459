"""PDFs of the 投诉处理单 and the 回执单: the print page's content, Chinese glyphs embedded (checked
with poppler's pdffonts and pdftotext), and the same visibility as the complaint page."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make
from complaintdesk.core.pdf import html_to_pdf

pytestmark = pytest.mark.django_db


def _poppler(tool: str, pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font of the document."""
    lines = _poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines]


def test_ticket_pdf_has_the_ticket_in_embedded_chinese(client, org, pinned_clock, tmp_path):
    complaint = make(org, Status.IMPLEMENTING)
    client.force_login(org.agent)
    response = client.get(reverse("web:ticket_pdf", args=[complaint.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    fonts = _fonts(pdf, tmp_path)
    assert any("CJK" in name for name, _ in fonts)
    assert all(embedded == "yes" for _, embedded in fonts), fonts
    text = _poppler("pdftotext", pdf, tmp_path)
    for expected in ("投诉处理单", complaint.number, "王五先生", "热水器不出热水", "工程维修部",
                     "上门免费更换温控阀", "赠送延保一年", "处理记录", "2026-03-10 09:00"):
        assert expected in text, expected


def test_receipt_pdf(client, org, pinned_clock, tmp_path):
    complaint = make(org, Status.RECEIVED)
    client.force_login(org.agent)
    response = client.get(reverse("web:receipt_pdf", args=[complaint.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert all(embedded == "yes" for _, embedded in _fonts(response.content, tmp_path))
    text = _poppler("pdftotext", response.content, tmp_path)
    for expected in ("投诉受理回执单", complaint.number, "尽快上门维修", "2026年3月11日"):
        assert expected in text, expected
    # The button bar of the print page is screen-only; it is not on the paper.
    assert "打印 / 存为 PDF" not in text


def test_pdfs_need_the_complaint_to_be_visible(client, org, pinned_clock):
    complaint = make(org, Status.HANDLING)
    assert client.get(reverse("web:ticket_pdf", args=[complaint.pk])).status_code == 302
    client.force_login(org.other_handler)  # another department's handler cannot see it
    assert client.get(reverse("web:ticket_pdf", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("web:receipt_pdf", args=[complaint.pk])).status_code == 404


def test_complaint_page_links_to_both_pdfs(client, org, pinned_clock):
    complaint = make(org, Status.RECEIVED)
    client.force_login(org.agent)
    html = client.get(reverse("web:complaint", args=[complaint.pk])).content.decode()
    assert reverse("web:ticket_pdf", args=[complaint.pk]) in html
    assert reverse("web:receipt_pdf", args=[complaint.pk]) in html


def test_html_to_pdf_is_a_helper_any_app_can_call(tmp_path):
    pdf = html_to_pdf("<h1>日报</h1><p>受理量 12 件，24 小时答复及时率 91.7%</p>")
    text = _poppler("pdftotext", pdf, tmp_path)
    assert "日报" in text and "受理量 12 件" in text
    assert all(embedded == "yes" for _, embedded in _fonts(pdf, tmp_path))
