"""A stored report for people: labels in the reader's language, values formatted; the page, the
PDF (WeasyPrint: HTML → PDF with the Noto CJK fonts) and the Excel workbook (openpyxl) share it."""

from __future__ import annotations

import io
import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints.choices import CauseDetail, CauseType, EscalationRisk, Status
from complaintdesk.reports import breakdowns as bd
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.models import Report

SUMMARY = {"new": gettext_lazy("新受理"), "closed": gettext_lazy("结案"), "still_open": gettext_lazy("未结"),
           "breached": gettext_lazy("超时"), "escalated": gettext_lazy("升级")}
ATTENTION = {"high_risk": gettext_lazy("升级风险高"), "repeat": gettext_lazy("第三次及以上重复投诉"),
             "compensation": gettext_lazy("有补偿"), "breached": gettext_lazy("超时")}


def format_value(unit: str, value) -> str:
    if value is None:
        return "—"
    if unit == ind.RATE:
        return f"{value * 100:.1f}%"
    if unit == ind.PER_MILLE:
        return f"{value:.2f}‰"
    if unit == ind.AMOUNT:
        return f"¥{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "—")


def title_of(report: Report) -> str:
    period = report.first_day.isoformat()
    if report.last_day != report.first_day:
        period = f"{report.first_day.isoformat()} — {report.last_day.isoformat()}"
    scope = report.department.name if report.department_id else _("全中心")
    return f"{report.get_kind_display()} · {period} · {scope}"


def view(report: Report) -> dict:
    f = report.figures
    summary = [(str(SUMMARY[k]), v) for k, v in f["summary"].items()]
    indicators = []
    for code, figure in f["indicators"].items():
        indicator = ind.BY_CODE.get(code)
        if indicator is None:  # an indicator retired since the report was made
            continue
        average = f.get("compare", {}).get(code, {}).get("value")
        value = figure["value"]
        trend = ""
        if value is not None and average is not None:
            trend = "↑" if value > average else "↓" if value < average else "＝"
        indicators.append({
            "code": code, "label": str(indicator.label), "value": format_value(indicator.unit, value),
            "numerator": format_value(ind.AMOUNT if indicator.unit == ind.AMOUNT else ind.COUNT, figure["numerator"]),
            "denominator": "—" if figure["denominator"] is None else figure["denominator"],
            "average": format_value(indicator.unit, average), "trend": trend,
        })
    attention = []
    for key, block in f["attention"].items():
        items = [{**item, "status_label": _label(Status, item["status"]),
                  "risk_label": _label(EscalationRisk, item["escalation_risk"])} for item in block["items"]]
        attention.append({"key": key, "title": str(ATTENTION[key]), "total": block["total"], "items": items})
    causes = [(_label(CauseType, t), _label(CauseDetail, d), n) for t, d, n in f["top_causes"]]
    ageing = [(bd.bucket_label(low, high), n) for low, high, n in f["ageing"]]
    return {
        "report": report, "title": title_of(report), "summary": summary, "indicators": indicators,
        "attention": attention, "top_categories": f["top_categories"], "hot_areas": f["hot_areas"],
        "causes": causes, "by_department": f["by_department"], "ageing": ageing, "trend": f["trend"],
        "generated_at": report.created_at,
        "compare_label": _("前7日平均") if f.get("compare_basis") == "average_7d" else _("上期"),
    }


logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/pdf.html", view(report))
    return HTML(string=html).write_pdf()


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    v = view(report)
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("概况"))
    sheet.append([v["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for label, n in v["summary"]:
        sheet.append([label, n])
    sheet = book.create_sheet(str(_("指标")))
    sheet.append([str(_("编码")), str(_("指标")), str(_("值")), str(_("分子")), str(_("分母")), v["compare_label"]])
    for row in v["indicators"]:
        sheet.append([row["code"], row["label"], row["value"], row["numerator"], row["denominator"], row["average"]])
    sheet = book.create_sheet(str(_("需关注")))
    sheet.append([str(_("类别")), str(_("编号")), str(_("投诉事项")), str(_("状态")), str(_("责任部门")),
                  str(_("补偿金额(元)"))])
    for block in v["attention"]:
        for item in block["items"]:
            sheet.append([block["title"], item["number"], item["subject"], item["status_label"],
                          item["department__name"] or "", item["compensation_amount"]])
    sheet = book.create_sheet(str(_("分布")))
    for title, rows in ((_("类别"), v["top_categories"]), (_("热点区域"), v["hot_areas"]),
                        (_("责任部门"), v["by_department"]), (_("账龄"), v["ageing"]), (_("每日受理"), v["trend"])):
        sheet.append([str(title)])
        for row in rows:
            sheet.append(list(row))
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
