"""The frame around every page: queues with their counts, the notification bell, the home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from complaintdesk.complaints import selectors
from complaintdesk.complaints.services.intake import INTAKE_ROLES
from complaintdesk.web.selectors import unread_notifications

HOME_QUEUE = {"handler": "my_tasks", "supervisor": "to_approve", "manager": "escalated", "admin": "all"}


def nav_context(user) -> dict:
    """Queue links with counts (one aggregate query) and the bell (one query when installed)."""
    counts = selectors.queue_counts(user)
    return {
        "nav_queues": [(q, counts.get(q.code, 0)) for q in selectors.queues_for(user)],
        "nav_counts": counts,
        "nav_bell": unread_notifications(user),
        "can_intake": user.role in INTAKE_ROLES,
        "is_supervisor": user.is_supervisor_or_above,
    }


@login_required
def home(request):
    return redirect("web:queue", code=HOME_QUEUE.get(request.user.role, "my_tasks"))


@login_required
def nav_counts(request):
    """Re-rendered after any action (HX-Trigger ``counts-changed``) so the numbers stay true."""
    return render(request, "web/layout/_nav.html", nav_context(request.user))
