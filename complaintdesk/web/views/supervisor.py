"""Supervisor pages: approvals (plans and compensation), escalations, archiving, reopening.

Each tab loads only its own list (at most ``LIMIT`` rows) and says when the list is cut; the tab
counts are the same aggregate the sidebar shows, so the two always agree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.web.views.complaints import ACTION_FORM_BY_KEY
from complaintdesk.web.views.nav import nav_context

LIMIT = 30
TABS = ("approvals", "escalated", "to_archive", "closed")
# Each tab's list: the queue it shows (the link to the full list) and its sorts.
APPROVAL_SORTS = [
    ("received_at", gettext_lazy("受理时间 旧→新")),
    ("-received_at", gettext_lazy("受理时间 新→旧")),
    ("-priority", gettext_lazy("优先级")),
    ("-escalation_level", gettext_lazy("升级层级")),
    ("next_due", gettext_lazy("剩余时间 少→多")),
]
SORTS = {value for value, _label in APPROVAL_SORTS}


def _form(key: str, complaint, *, open_: bool = True):
    spec = ACTION_FORM_BY_KEY[key]
    # Names keep the action's prefix (the action view parses them); ids are unique per row.
    return {"spec": spec, "form": spec.form(prefix=key, auto_id=f"c{complaint.pk}_%s"), "open": open_}


def _listing(qs, total: int) -> dict:
    rows = list(qs[:LIMIT])
    return {"rows": rows, "total": total, "cut": total > len(rows)}


@login_required
def board(request):
    """One page for the day's supervisor work; each decision posts to the complaint's action URL."""
    user = request.user
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("仅主管及以上可以访问。"))
    tab = request.GET.get("tab", "approvals")
    tab = tab if tab in TABS else "approvals"
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "received_at"
    nav = nav_context(user)
    counts = nav["nav_counts"]
    to_archive_total = counts.get("to_archive", 0)
    context = {
        "tab": tab,
        "q": search,
        "sort": sort,
        "sorts": APPROVAL_SORTS,
        "limit": LIMIT,
        "counts": {"approvals": counts.get("to_approve", 0), "escalated": counts.get("escalated", 0),
                   "to_archive": to_archive_total},
        **nav,
    }
    if tab == "approvals":
        qs = selectors.complaint_list(user=user, queue="to_approve", search=search, ordering=sort)
        listing = _listing(qs, qs.count() if search else counts.get("to_approve", 0))
        listing["rows"] = [
            (c, _form("approve_plan", c), _form("reject_plan", c, open_=False)) for c in listing["rows"]
        ]
        context.update(listing=listing, queue_code="to_approve")
    elif tab == "escalated":
        qs = selectors.complaint_list(user=user, queue="escalated", search=search, ordering="-escalation_level")
        context.update(listing=_listing(qs, qs.count() if search else counts.get("escalated", 0)),
                       queue_code="escalated")
    elif tab == "to_archive":
        qs = selectors.complaint_list(user=user, queue="to_archive", search=search, ordering="received_at")
        # The navigation counts this queue only up to a cap; the tab shows the exact number.
        context.update(listing=_listing(qs, qs.count()), queue_code="to_archive")
    else:
        qs = selectors.complaint_list(user=user, queue="all", search=search, ordering="-received_at").filter(
            status__in=[Status.CLOSED, Status.ARCHIVED]
        )
        listing = _listing(qs, qs.count())
        # One collapsed form per case: the button opens it, nothing else is open.
        listing["rows"] = [(c, _form("reopen", c, open_=False)) for c in listing["rows"]]
        context.update(listing=listing, queue_code="all")
    return render(request, "web/supervisor/page.html", context)
