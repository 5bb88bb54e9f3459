"""The bell: the user's in-app notifications (SLA warnings, escalations, visit tasks), usable at
volume: unread or all, by kind, grouped by complaint or by day, paginated, all marked read at once.
A notice about a closed case asks for nothing more: it leaves the unread list and the bell count
(and shows as done in the full list)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints.choices import OPEN_STATUSES
from complaintdesk.web.selectors import inbox_list, unread_notifications
from complaintdesk.web.views.common import is_htmx, trigger
from complaintdesk.web.views.nav import nav_context

PAGE_SIZE = 30
SHOWS = ("unread", "all")
GROUPS = ("day", "complaint", "")


def _require_app() -> None:
    if not apps.is_installed("complaintdesk.notifications"):
        raise Http404(_("通知功能未启用。"))


def _inbox_context(request) -> dict:
    from complaintdesk.notifications.models import NotificationKind

    show = request.GET.get("show", "unread")
    show = show if show in SHOWS else "unread"
    kind = request.GET.get("kind", "")
    kind = kind if kind in NotificationKind.values else ""
    group = request.GET.get("group", "day")
    group = group if group in GROUPS else "day"
    qs = inbox_list(user=request.user, show=show, kind=kind, group=group)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "items": list(page.object_list),
        "show": show,
        "kind": kind,
        "group": group,
        "kinds": NotificationKind.choices,
        "query": query.urlencode(),
        "open_statuses": list(OPEN_STATUSES),
    }


@login_required
def inbox(request):
    _require_app()
    context = _inbox_context(request)
    if is_htmx(request) and request.headers.get("HX-Target") == "notice-list":
        return render(request, "web/notifications/_list.html", context)
    return render(request, "web/notifications/page.html", {**context, **nav_context(request.user)})


@login_required
def bell(request):
    return render(request, "web/layout/_bell.html", {"nav_bell": unread_notifications(request.user)})


@login_required
@require_POST
def mark_read(request):
    _require_app()
    from complaintdesk.notifications.services import notification_mark_read

    notification_mark_read(user=request.user)
    response = render(request, "web/notifications/_list.html", _inbox_context(request))
    return trigger(response, "counts-changed")
