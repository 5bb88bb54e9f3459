"""The bell: the user's in-app notifications (SLA warnings, escalations, visit tasks)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.web.selectors import unread_notifications
from complaintdesk.web.views.common import trigger
from complaintdesk.web.views.nav import nav_context


def _require_app() -> None:
    if not apps.is_installed("complaintdesk.notifications"):
        raise Http404(_("通知功能未启用。"))


@login_required
def inbox(request):
    _require_app()
    from complaintdesk.notifications.selectors import notification_list

    items = list(notification_list(user=request.user, limit=100))
    return render(request, "web/notifications/page.html", {"items": items, **nav_context(request.user)})


@login_required
def bell(request):
    return render(request, "web/layout/_bell.html", {"nav_bell": unread_notifications(request.user)})


@login_required
@require_POST
def mark_read(request):
    _require_app()
    from complaintdesk.notifications.selectors import notification_list
    from complaintdesk.notifications.services import notification_mark_read

    notification_mark_read(user=request.user)
    items = list(notification_list(user=request.user, limit=100))
    response = render(request, "web/notifications/_list.html", {"items": items})
    return trigger(response, "counts-changed")
