"""Supervisor pages: approvals (plans and compensation), escalations, reopening closed cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.web.views.complaints import ACTION_FORM_BY_KEY
from complaintdesk.web.views.nav import nav_context

LIMIT = 30


def _form(key: str, complaint):
    spec = ACTION_FORM_BY_KEY[key]
    # Names keep the action's prefix (the action view parses them); ids are unique per row.
    return {"spec": spec, "form": spec.form(prefix=key, auto_id=f"c{complaint.pk}_%s"), "open": True}


@login_required
def board(request):
    """One page for the day's supervisor work; each decision posts to the complaint's action URL."""
    user = request.user
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("仅主管及以上可以访问。"))
    approvals = list(selectors.complaint_list(user=user, queue="to_approve", ordering="received_at")[:LIMIT])
    escalated = list(selectors.complaint_list(user=user, queue="escalated", ordering="-escalation_level")[:LIMIT])
    closed = list(
        selectors.complaint_list(user=user, queue="all", ordering="-received_at")
        .filter(status__in=[Status.CLOSED, Status.ARCHIVED])[:LIMIT]
    )
    context = {
        "approvals": [(c, _form("approve_plan", c), _form("reject_plan", c)) for c in approvals],
        "escalated": escalated,
        "closed": [(c, _form("reopen", c)) for c in closed],
        "tab": request.GET.get("tab", "approvals"),
        **nav_context(user),
    }
    return render(request, "web/supervisor/page.html", context)
