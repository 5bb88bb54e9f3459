"""历史数据导入 page (admins and managers): upload a file (and a mapping), see the dry run's per-row
report, download it, and confirm the import."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from complaintdesk.complaints.services.importing import FIELDS, IMPORT_ROLES
from complaintdesk.core.errors import DomainError
from complaintdesk.imports import selectors, services
from complaintdesk.imports.models import BatchStatus, ImportBatch
from complaintdesk.web.views.common import attach_errors
from complaintdesk.web.views.nav import nav_context

SHOWN_PROBLEMS = 200


class UploadForm(forms.Form):
    file = forms.FileField(label=_l("CSV 或 Excel 文件"), help_text=_l("第一行是列名；只导入已结案或已归档的历史投诉。"))
    mapping = forms.FileField(label=_l("列映射 (JSON，可选)"), required=False,
                              help_text=_l("例如 {\"external_id\": \"单号\", \"received_at\": \"日期\"}；不填则按常见列名识别。"))


def _allowed(request) -> None:
    if request.user.role not in IMPORT_ROLES:
        raise PermissionDenied(_("只有管理员或经理可以导入历史投诉。"))


def _batch(pk: int) -> ImportBatch:
    try:
        return selectors.batch_get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404(_("没有这个导入批次。"))


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {**context, **nav_context(request.user)}, status=status)


@login_required
def upload(request):
    _allowed(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        mapping = form.cleaned_data["mapping"]
        try:
            batch = services.batch_check(
                upload=form.cleaned_data["file"], filename=form.cleaned_data["file"].name,
                mapping_text=mapping.read() if mapping else None, actor=request.user,
            )
        except DomainError as error:
            attach_errors(form, error)
        else:
            return redirect("web:import_batch", pk=batch.pk)
    status = 422 if request.method == "POST" else 200
    return _page(request, "web/imports/page.html", {
        "form": form, "batches": selectors.batch_list(), "fields": FIELDS,
        "defaults": services.DEFAULT_MAPPING,
    }, status)


@login_required
def batch(request, pk: int):
    _allowed(request)
    found = _batch(pk)
    return _page(request, "web/imports/batch.html", {
        "batch": found, "problems": found.problems[:SHOWN_PROBLEMS], "more": max(0, len(found.problems) - SHOWN_PROBLEMS),
        "can_confirm": found.status == BatchStatus.CHECKED and found.valid_rows > 0,
    })


@login_required
@require_POST
def confirm(request, pk: int):
    _allowed(request)
    try:
        services.batch_confirm(batch=_batch(pk), actor=request.user)
    except DomainError as error:
        found = _batch(pk)
        return _page(request, "web/imports/batch.html", {
            "batch": found, "problems": found.problems[:SHOWN_PROBLEMS], "error": error.message,
            "more": max(0, len(found.problems) - SHOWN_PROBLEMS), "can_confirm": False,
        }, status=409)
    return redirect("web:import_batch", pk=pk)


@login_required
def report(request, pk: int):
    _allowed(request)
    found = _batch(pk)
    response = StreamingHttpResponse(services.report_csv(found.problems), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{_('导入报告')}-{found.pk}.csv")
    return response
