"""Benchmark: which PDF library prints the 投诉处理单 and the 回执单 with correct Chinese glyphs.

    .venv/bin/python bench/pdf.py [--runs 10]

Renders a filled-in 投诉处理单 (ticket, with a timeline) and 回执单 (receipt) from the real print
templates through WeasyPrint (``complaintdesk.core.pdf.html_to_pdf``), and the same receipt with
reportlab (platypus table) using the only Chinese fonts reportlab can use here: its built-in CID
font ``STSong-Light`` (reportlab cannot load the installed Noto CJK fonts: they are OpenType/CFF
and its TTFont reads TrueType outlines only). For each it reports the median time per document and
whether the fonts are embedded (``pdffonts`` from poppler-utils). Writes the PDFs to ``var/pdf/``
and ``var/bench_pdf.json``; docs/pdf.md quotes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "pdf"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    import django

    django.setup()


def sample():
    """An unsaved, fully filled-in complaint (no database needed to render the templates)."""
    from django.utils import timezone

    from complaintdesk.complaints.models import Category, Complaint, TimelineEvent
    from complaintdesk.customers.models import Customer
    from complaintdesk.org.models import Department, User

    received = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 30))
    agent = User(username="agent", display_name="李晓梅")
    handler = User(username="handler", display_name="张建国")
    c = Complaint(
        number="TS2026031000017", status="implementing", customer=Customer(name="王五", salutation="mr"),
        contact_phone="13812345678", address="阳光花园3栋1201", channel="phone", received_at=received,
        first_owner=agent, subject="热水器不出热水", priority="high",
        description="家里热水器坏了三天没人来修，打了三次电话都说会安排，到现在也没人来，老人孩子没法洗澡。",
        demand="尽快上门维修，并给个说法", category=Category(name="维修质量"), dimension="responsiveness",
        solvability="short_term", department=Department(name="工程维修部"), handler=handler,
        first_answer_due_at=received + dt.timedelta(hours=24), implement_due_at=received + dt.timedelta(days=7),
        cause_analysis="温控阀老化导致不出热水；派单后未按时上门。", responsibility="产品质量问题，由我方负责",
        plan_options=["上门免费更换温控阀", "更换整机"], chosen_plan=0, compensation_amount=Decimal("100.00"),
        compensation_description="赠送延保一年", approved_by=User(username="sup", display_name="陈主管"),
        approved_at=received + dt.timedelta(days=1),
    )
    events = [
        TimelineEvent(type=t, actor=a, created_at=received + dt.timedelta(hours=h), reason=r)
        for t, a, h, r in [
            ("received", agent, 0, ""), ("reviewed_valid", agent, 1, "客户所述属实"),
            ("dispatched", agent, 2, "派往工程维修部"), ("ticket_accepted", handler, 3, ""),
            ("plan_submitted", handler, 20, "更换温控阀并赠送延保"), ("plan_approved", None, 26, "同意"),
        ]
    ]
    return c, events


def weasy(template: str, context: dict) -> bytes:
    from django.template.loader import render_to_string

    from complaintdesk.core.pdf import html_to_pdf

    return html_to_pdf(render_to_string(template, context))


def reportlab_receipt(c) -> bytes:
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("t", fontName="STSong-Light", fontSize=18, alignment=1, leading=24)
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=16)
    rows = [("投诉编号", c.number), ("客户", str(c.customer)), ("联系电话", c.contact_phone),
            ("受理时间", f"{c.received_at:%Y年%m月%d日 %H:%M}"), ("受理渠道", c.get_channel_display()),
            ("投诉事项", c.subject), ("您的诉求", c.demand),
            ("承诺答复时间", f"{c.first_answer_due_at:%Y年%m月%d日 %H:%M} 之前"), ("受理人", str(c.first_owner))]
    table = Table([[Paragraph(k, body), Paragraph(v, body)] for k, v in rows], colWidths=[100, 360])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph("投诉受理回执单", title), table])
    return buffer.getvalue()


def fonts(path: Path) -> list[dict]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    found = []
    for line in lines:
        parts = line.split()
        # name … type … encoding emb sub uni object ID: the three yes/no columns precede "obj gen".
        found.append({"name": parts[0], "embedded": parts[-5] == "yes", "subset": parts[-4] == "yes"})
    return found


def timed(fn, runs: int) -> tuple[bytes, float]:
    data = fn()  # warm-up: font discovery, template compilation
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = fn()
        times.append(time.perf_counter() - start)
    return data, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup()
    c, events = sample()
    ticket_context = {"c": c, "timeline": events, "names": {},
                      "plan_options": list(enumerate(c.plan_options))}
    cases = {
        "weasyprint_ticket": lambda: weasy("web/print/ticket.html", ticket_context),
        "weasyprint_receipt": lambda: weasy("web/print/receipt.html", {"c": c}),
        "reportlab_receipt_stsong_cid": lambda: reportlab_receipt(c),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, fn in cases.items():
        data, median = timed(fn, args.runs)
        path = OUT / f"{name}.pdf"
        path.write_bytes(data)
        found = fonts(path)
        results[name] = {"median_ms": round(median * 1000, 1), "bytes": len(data), "fonts": found,
                         "all_embedded": bool(found) and all(f["embedded"] for f in found)}
        print(f"{name:32s} {median * 1000:7.1f} ms  {len(data) / 1024:6.1f} KB  "
              f"fonts: {', '.join(f['name'] + (' (embedded)' if f['embedded'] else ' (NOT embedded)') for f in found)}")
    (ROOT / "var" / "bench_pdf.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
