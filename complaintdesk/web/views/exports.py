"""Export of a queue list — exactly what the queue page shows, with its filters, search and sort —
as CSV or Excel, streamed (the response starts before the last row is read)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaintdesk.complaints.exports import complaint_table
from complaintdesk.core import clock, tabular
from complaintdesk.web.views.queues import _filtered, _queue_or_404

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def queue_export(request, code: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("不支持的导出格式。"))
    current = _queue_or_404(request.user, code)
    _form, qs, _departments, _drill = _filtered(request, code)
    header, widths, rows = complaint_table(qs)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    filename = f"{_('投诉')}-{current.label}-{stamp}.{fmt}"
    if fmt == "csv":
        body = tabular.stream_csv(header, rows)
    else:
        body = tabular.stream_xlsx(header, rows, sheet_name=str(current.label), widths=widths)
    response = StreamingHttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
