"""PDF downloads of the printed documents: the 投诉处理单 (ticket) and the 回执单 (receipt).

The PDF is the print page itself (same template, same context) run through
:func:`complaintdesk.core.pdf.html_to_pdf`, so the paper and the PDF never drift apart."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from complaintdesk.core.pdf import PDF_CONTENT_TYPE, html_to_pdf
from complaintdesk.web.views.complaints import _get, ticket_context


def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    html = render_to_string(template, context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    return response


@login_required
def ticket_pdf(request, pk: int):
    complaint = _get(request, pk)
    return _pdf(request, "web/print/ticket.html", ticket_context(complaint),
                f"{_('投诉处理单')}-{complaint.number}.pdf")


@login_required
def receipt_pdf(request, pk: int):
    complaint = _get(request, pk)
    return _pdf(request, "web/print/receipt.html", {"c": complaint},
                f"{_('投诉受理回执单')}-{complaint.number}.pdf")
