"""The management dashboard (数据看板): figures with numerator and denominator, charts, drill-down
into the queue list, and exports of every table (CSV, Excel)."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from complaintdesk.core import clock
from complaintdesk.core.replica import replica_reads
from complaintdesk.reports import breakdowns, dashboard, indicators
from complaintdesk.reports import render as report_render
from complaintdesk.reports import selectors as report_selectors
from complaintdesk.reports.models import PeriodKind, Report
from complaintdesk.reports.services import report_generate
from complaintdesk.sla.calendar import SHANGHAI
from complaintdesk.sla.deadlines import get_calendar
from complaintdesk.web.forms import DashboardFilterForm, ReportRequestForm
from complaintdesk.web.selectors import active_categories, handling_departments
from complaintdesk.web.views.common import is_htmx
from complaintdesk.web.views.nav import nav_context

DEFAULT_DAYS = 30
SCOPE_PARAMS = ("department", "category", "channel")


def require_manager(user) -> None:
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("只有主管、经理和管理员可以查看报表。"))


def _form(request) -> DashboardFilterForm:
    today = clock.now().astimezone(SHANGHAI).date()
    data = request.GET.copy()
    data.setdefault("date_from", (today - dt.timedelta(days=DEFAULT_DAYS - 1)).isoformat())
    data.setdefault("date_to", today.isoformat())
    return DashboardFilterForm(data, categories=list(active_categories()), departments=list(handling_departments()))


def _scope(data: dict) -> indicators.Scope:
    department = data.get("department")
    return indicators.Scope(department_id=int(department) if department else None,
                            category=data.get("category") or "", channel=data.get("channel") or "")


def _display(unit: str, value) -> str:
    if value is None:
        return "—"
    if unit == indicators.RATE:
        return f"{value * 100:.1f}%"
    if unit == indicators.PER_MILLE:
        return f"{value:.2f}‰"
    if unit == indicators.AMOUNT:
        return f"¥{value:,.2f}"
    return f"{value:,}"


class Links:
    """Queue-list links carrying the period and the filters of the dashboard."""

    def __init__(self, data: dict):
        self.base = {"from": data["date_from"].isoformat(), "to": data["date_to"].isoformat()}
        self.base.update({k: data[k] for k in SCOPE_PARAMS if data.get(k)})
        self.queue = reverse("web:queue", args=["all"])

    def drill(self, params: dict) -> str:
        query = {**{k: v for k, v in params.items() if v not in ("", None)}, **self.base}
        return f"{self.queue}?{urlencode(query)}"

    def export(self, table: str, fmt: str) -> str:
        return f"{reverse('web:dashboard_export', args=[table, fmt])}?{urlencode(self.base)}"


def _view_model(board: dashboard.Dashboard, links: Links) -> dict:
    sections = []
    for section, tiles in board.tiles.items():
        sections.append((dashboard.SECTIONS[section], [
            {
                "code": t.indicator.code,
                "label": t.indicator.label,
                "numerator": _display(indicators.AMOUNT if t.indicator.unit == indicators.AMOUNT else
                                      indicators.COUNT, t.figure.numerator),
                "denominator": t.figure.denominator,
                "value": _display(t.indicator.unit, t.figure.value),
                "num_url": links.drill(t.drill(indicators.NUMERATOR)),
                "den_url": links.drill(t.drill(indicators.DENOMINATOR)) if t.figure.denominator is not None
                else None,
            }
            for t in tiles
        ]))
    tables = []
    for table in board.tables:
        rows = [
            {
                "label": r.label,
                "numerator": _display(indicators.AMOUNT if table.unit == indicators.AMOUNT else indicators.COUNT,
                                      r.numerator),
                "denominator": r.denominator,
                "value": _display(table.unit, r.value),
                "num_url": links.drill(table.drill(r, indicators.NUMERATOR)),
                "den_url": links.drill(table.drill(r, indicators.DENOMINATOR))
                if r.denominator is not None and table.unit != indicators.AMOUNT else None,
            }
            for r in table.rows
        ]
        chart = {
            "labels": [r.label for r in table.rows],
            "values": [r.numerator for r in table.rows],
            "urls": [row["num_url"] for row in rows],
            "kind": "line" if table.by == "hour" else "bar",
        }
        tables.append({
            "code": table.code, "title": table.title, "rows": rows, "chart": chart,
            "csv": links.export(table.code, "csv"), "xlsx": links.export(table.code, "xlsx"),
        })
    return {"sections": sections, "tables": tables,
            "indicators_csv": links.export("indicators", "csv"), "indicators_xlsx": links.export("indicators", "xlsx")}


@login_required
def dashboard_page(request):
    require_manager(request.user)
    form = _form(request)
    context = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        window = indicators.Window.days(data["date_from"], data["date_to"], as_of=clock.now())
        with replica_reads():  # figures come from the read replica when it is in step
            board = dashboard.build(window, _scope(data), get_calendar())
        context.update(_view_model(board, Links(data)))
    if is_htmx(request) and request.headers.get("HX-Target") == "board":
        return render(request, "web/reports/_board.html", context)
    context.update(nav_context(request.user))
    return render(request, "web/reports/dashboard.html", context)


class _Echo:
    def write(self, value):
        return value


@login_required
def dashboard_export(request, table: str, fmt: str):
    """One table as CSV (streamed row by row) or Excel (openpyxl write-only, streamed from a file)."""
    require_manager(request.user)
    if table not in dashboard.table_codes() or fmt not in ("csv", "xlsx"):
        raise Http404(_("没有这个表。"))
    form = _form(request)
    if not form.is_valid():
        raise Http404(_("筛选条件无效。"))
    data = form.cleaned_data
    window = indicators.Window.days(data["date_from"], data["date_to"], as_of=clock.now())
    with replica_reads():
        board = dashboard.build(window, _scope(data), get_calendar(), only=table)
    header, rows = dashboard.export_rows(board, table)
    name = f"{table}_{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
    if fmt == "csv":
        writer = csv.writer(_Echo())
        lines = (writer.writerow(row) for row in [header, *rows])
        response = StreamingHttpResponse(("\ufeff", *lines), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    spool = tempfile.TemporaryFile()
    book.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{name}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# -- the queue list's drill-down ------------------------------------------------------------------


def drill_from_request(request) -> tuple[Q | None, str]:
    """The condition behind a dashboard figure, from the queue list's query string (``ind``,
    ``part``, ``from``, ``to``, ``by``, ``key``). Raises ValueError on bad parameters."""
    code = request.GET.get("ind")
    if not code:
        return None, ""
    if code != "ageing" and code not in indicators.BY_CODE:
        raise ValueError(code)
    part = request.GET.get("part", indicators.NUMERATOR)
    if part not in (indicators.NUMERATOR, indicators.DENOMINATOR):
        raise ValueError(part)
    first = dt.date.fromisoformat(request.GET.get("from", ""))
    last = dt.date.fromisoformat(request.GET.get("to", ""))
    window = indicators.Window.days(first, last, as_of=clock.now())
    by, key = request.GET.get("by", ""), request.GET.get("key", "")
    q = breakdowns.drill(code, part, window, by=by, key=key, calendar=get_calendar())
    if code == "ageing":
        label = _("未结案件账龄")
    else:
        label = str(indicators.BY_CODE[code].label)
    which = _("分子") if part == indicators.NUMERATOR else _("分母")
    description = _("%(indicator)s的%(part)s · %(first)s 至 %(last)s") % {
        "indicator": label, "part": which, "first": first, "last": last}
    return q, description


# -- kept reports (日报, 周报, 月度分析, on demand) -------------------------------------------------


@login_required
def report_list_page(request):
    require_manager(request.user)
    departments = list(handling_departments())
    form = ReportRequestForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department = next((d for d in departments if str(d.pk) == data.get("department")), None)
        kind = PeriodKind.DAY if data["date_from"] == data["date_to"] else PeriodKind.CUSTOM
        report, _created = report_generate(kind=kind, first_day=data["date_from"], last_day=data["date_to"],
                                           department=department, actor=request.user, notify_readers=False)
        return redirect("web:report", pk=report.pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in PeriodKind.values else ""
    page = Paginator(report_selectors.report_list(kind=kind), 30).get_page(request.GET.get("page"))
    reports = [(r, report_render.title_of(r)) for r in page.object_list]
    context = {"page": page, "reports": reports, "kinds": PeriodKind.choices, "kind": kind, "form": form}
    context.update(nav_context(request.user))
    return render(request, "web/reports/list.html", context, status=422 if form.errors else 200)


def _report_or_404(pk: int):
    try:
        return report_selectors.report_get(pk=pk)
    except Report.DoesNotExist:
        raise Http404(_("没有这份报表。")) from None


@login_required
def report_page(request, pk: int):
    require_manager(request.user)
    context = report_render.view(_report_or_404(pk))
    context.update(nav_context(request.user))
    return render(request, "web/reports/report.html", context)


@login_required
def report_file(request, pk: int, fmt: str):
    require_manager(request.user)
    report = _report_or_404(pk)
    name = f"report_{report.kind}_{report.first_day:%Y%m%d}-{report.last_day:%Y%m%d}_{report.scope}"
    if fmt == "pdf":
        return HttpResponse(report_render.pdf(report), content_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})
    if fmt == "xlsx":
        return HttpResponse(
            report_render.xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    raise Http404(_("没有这种格式。"))
