"""Queues (我首问的, 待我处理, 部门待办 …): filters, sorting, search, pagination, bulk actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.workflow import DESK_ROLES
from complaintdesk.core.errors import DomainError
from complaintdesk.web import rows
from complaintdesk.web.forms import BulkActionForm, QueueFilterForm
from complaintdesk.web.selectors import active_categories, handlers, handling_departments
from complaintdesk.web.views.common import is_htmx, trigger
from complaintdesk.web.views.nav import nav_context
from complaintdesk.web.views.reports import drill_from_request

PAGE_SIZE = 25
# Counting stops here: "2000+" is as useful to a person as an exact figure, and a capped count
# reads at most this many rows instead of the whole table.
COUNT_CAP = 2000
# Queues where bulk actions make sense (not approvals or visits, which are decided one by one).
BULK_QUEUES = {
    "mine_first", "my_tasks", "department", "to_review", "due_soon", "overdue", "escalated", "to_archive", "all",
}
BULK_STATUSES = {Status.ACCEPTED, Status.DISPATCHED, Status.HANDLING}
BULK_ROLES = DESK_ROLES


class CappedPaginator(Paginator):
    """Pages of a queue, counted up to ``COUNT_CAP``.

    With ``ids_first`` a page reads its rows' ids first (one narrow query: no joins, no columns but
    what the filter and the sort need), then those rows with their customer and staff. When
    PostgreSQL cannot walk an index in the page's order (a search, the nearest deadline, a sort
    by another column) it sorts every match, and the one-query page joined each match to its
    customer and staff before sorting: at 10,000,000 complaints a phone tail's 2,000 matches
    meant 2,000 random reads of the customer table for a page of 25."""

    def __init__(self, object_list, per_page, *, ids_first: bool = False):
        super().__init__(object_list, per_page)
        self.ids_first = ids_first

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    def page(self, number):
        if not self.ids_first:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # The same filter again: a row changed in between drops out rather than showing what its
        # reader may no longer see.
        found = {row.pk: row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


def _queue_or_404(user, code: str):
    for queue in selectors.queues_for(user):
        if queue.code == code:
            return queue
    raise Http404(_("没有这个队列。"))


def _filtered(request, code: str):
    try:
        extra, drill = drill_from_request(request)
    except (ValueError, KeyError):
        raise Http404(_("下钻参数无效。")) from None
    categories = list(active_categories())
    departments = list(handling_departments())
    form = QueueFilterForm(request.GET or None, categories=categories, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.complaint_list(
        user=request.user,
        queue=code,
        status=filters.get("status") or "",
        category=filters.get("category") or "",
        department=filters.get("department") or "",
        channel=filters.get("channel") or "",
        overdue=bool(filters.get("overdue")),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        search=filters.get("q") or "",
        ordering=filters.get("sort") or "",
        extra=extra,
    )
    return form, qs, departments, drill


@login_required
def queue(request, code: str):
    current = _queue_or_404(request.user, code)
    form, qs, departments, drill = _filtered(request, code)
    ids_first = selectors.page_reads_ids_first(
        queue=code, search=request.GET.get("q", ""), ordering=request.GET.get("sort", ""))
    page = CappedPaginator(qs.defer(*rows.DEFERRED), PAGE_SIZE, ids_first=ids_first).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    nosort = query.copy()
    nosort.pop("sort", None)
    context = {
        "queue": current,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "query_nosort": nosort.urlencode(),
        "bulk": request.user.role in BULK_ROLES and code in BULK_QUEUES,
        "bulk_actions": BulkActionForm.ACTIONS,
        "handlers": list(handlers()) if request.user.role in BULK_ROLES and code in BULK_QUEUES else [],
        "departments": departments,
        "count_cap": COUNT_CAP,
        "drill": drill,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "results":
        return render(request, "web/queues/_results.html", context)
    context.update(nav_context(request.user))
    return render(request, "web/queues/page.html", context)


def _dispatch(complaint, user, *, department, handler, reason):
    if complaint.status == Status.ACCEPTED:
        services.complaint_dispatch(complaint=complaint, actor=user, department=department, handler=handler, note=reason)
    elif complaint.status in BULK_STATUSES:
        services.complaint_transfer(
            complaint=complaint, actor=user, department=department, handler=handler, reason=reason or _("批量转派"),
        )
    else:
        return False, _("当前状态“%(status)s”不能派单或转派。") % {"status": complaint.get_status_display()}
    target = f"{department} · {handler}" if handler else str(department)
    return True, _("已派往%(dept)s") % {"dept": target}


def _run_bulk(complaint, user, data) -> tuple[bool, str]:
    """One row of a bulk action through the service the complaint page uses (same checks)."""
    action = data["action"]
    if action == "dispatch":
        return _dispatch(complaint, user, department=data["department"], handler=data["handler"],
                         reason=data["reason"])
    if action == "assign":
        handler = data["handler"]
        return _dispatch(complaint, user, department=handler.department, handler=handler,
                         reason=data["reason"] or _("批量指派处理人"))
    if action == "escalate":
        done = services.complaint_escalate(complaint=complaint, actor=user, reason=data["reason"])
        return True, _("已升级至%(level)s") % {"level": done.get_escalation_level_display()}
    services.complaint_archive(complaint=complaint, actor=user)
    return True, _("已归档")


@login_required
@require_POST
def bulk_action(request, code: str):
    """Dispatch/transfer, assign a handler, escalate or archive each ticked case: one service call
    per case, so each is checked (state and permission) on its own and reported on its own."""
    _queue_or_404(request.user, code)
    visible = selectors.complaint_list(user=request.user, queue=code)
    form = BulkActionForm(request.POST, queryset=visible.order_by())
    results = []
    if form.is_valid():
        for complaint in form.cleaned_data["ids"]:
            try:
                ok, message = _run_bulk(complaint, request.user, form.cleaned_data)
            except DomainError as error:
                ok, message = False, error.message
            results.append((complaint, ok, message))
    response = render(
        request, "web/queues/_bulk_result.html", {"form": form, "results": results},
        status=200 if form.is_valid() else 422,
    )
    return trigger(response, "counts-changed", "queue-changed")
