"""Improvement pages (seed 002 step 8, 留档分析): top causes, recurring problems (热点问题),
corrective actions (整改单) — list, opening form, detail with its actions and history."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.core.errors import DomainError, ValidationFailed
from complaintdesk.improvement import selectors, services
from complaintdesk.improvement.models import CorrectiveAction
from complaintdesk.web.improvement_forms import (
    ActionFilterForm,
    CompleteForm,
    OpenActionForm,
    PeriodForm,
    RecurringForm,
    RejectForm,
    VerifyForm,
)
from complaintdesk.web.selectors import handling_departments
from complaintdesk.web.views.common import attach_errors, invalid_form_status, is_htmx, status_for, trigger
from complaintdesk.web.views.nav import nav_context

PAGE_SIZE = 25
DEFAULT_DUE_DAYS = 14  # a suggestion on the form; the supervisor sets the real date
EXAMPLE_GROUP_LIMIT = 20
VERB_FORMS = {"start": None, "complete": CompleteForm, "verify": VerifyForm, "reject": RejectForm}
VERB_SERVICES = {
    "start": services.corrective_action_start,
    "complete": services.corrective_action_complete,
    "verify": services.corrective_action_verify,
    "reject": services.corrective_action_reject,
}


def _supervisor_only(user) -> None:
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("仅主管及以上可以访问。"))


@login_required
def causes(request):
    """Top causes by category or department, and their trend per week or month."""
    _supervisor_only(request.user)
    form = PeriodForm(request.GET or None, initial={"by": "category", "period": "month"})
    data = form.cleaned_data if form.is_valid() else {}
    by = data.get("by") or "category"
    period = data.get("period") or "month"
    span = {"date_from": data.get("date_from"), "date_to": data.get("date_to")}
    context = {
        "form": form,
        "by": by,
        "rows": selectors.top_causes(by=by, **span),
        "totals": selectors.cause_totals(**span),
        "trend": selectors.cause_trend(period=period, **span),
        "period": period,
        **nav_context(request.user),
    }
    return render(request, "web/improvement/causes.html", context)


@login_required
def hotspots(request):
    """Recurring problems (热点问题): groups of similar complaints in the last N days."""
    _supervisor_only(request.user)
    defaults = {"days": selectors.recurring_days(), "min_size": selectors.recurring_min_size()}
    form = RecurringForm(request.GET or None, initial=defaults)
    data = form.cleaned_data if form.is_valid() else {}
    days = data.get("days") or defaults["days"]
    min_size = data.get("min_size") or defaults["min_size"]
    context = {
        "form": form,
        "days": days,
        "min_size": min_size,
        "problems": selectors.recurring_problem_list(days=days, min_size=min_size),
        **nav_context(request.user),
    }
    return render(request, "web/improvement/hotspots.html", context)


@login_required
def action_list(request):
    departments = list(handling_departments())
    form = ActionFilterForm(request.GET or None, departments=departments)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.corrective_action_list(
        user=request.user,
        status=data.get("status") or "",
        department_id=int(data["department"]) if data.get("department") else None,
        overdue=bool(data.get("overdue")),
        search=data.get("q") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": selectors.local_today(),
        "counts": selectors.corrective_action_counts(user=request.user),
        "can_open": request.user.role in services.OPENER_ROLES,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "results":
        return render(request, "web/improvement/_action_results.html", context)
    context.update(nav_context(request.user))
    return render(request, "web/improvement/actions.html", context)


def _group_initial(request) -> tuple[dict, list[Complaint]]:
    """Prefill from a recurring problem: ``?ids=1,2,3&category=…&area=…``."""
    try:
        ids = [int(x) for x in request.GET.get("ids", "").split(",") if x.strip()][: services.MAX_LINKED]
    except ValueError as exc:
        raise Http404(_("关联投诉的编号无效。")) from exc
    linked = list(Complaint.objects.filter(pk__in=ids).select_related("category").order_by("-received_at"))
    if not linked:
        return {}, []
    wanted = request.GET.get("category", "")
    category = Category.objects.filter(pk=int(wanted) if wanted.isdigit() else linked[0].category_id).first()
    area = request.GET.get("area", "")[:40]
    lead = linked[-1]  # the oldest complaint: the matter's first report, compared with later ones
    subject = Counter(c.subject for c in linked).most_common(1)[0][0]
    examples = "\n".join(f"· {c.number} {c.subject}：{c.description[:80]}" for c in linked[:5])
    initial = {
        "title": (_("%(area)s %(category)s 反复投诉：%(subject)s")
                  % {"area": area, "category": category.name if category else "", "subject": subject})[:120].strip(),
        "problem": _("最近 %(n)d 件相似投诉：\n%(examples)s") % {"n": len(linked), "examples": examples},
        "complaint_ids": ",".join(str(c.pk) for c in linked),
        "category": category.pk if category else "",
        "area": area,
        "match_text": selectors.complaint_text(lead),
        "department": str(category.default_department_id) if category and category.default_department_id else "",
        "due_date": selectors.local_today() + dt.timedelta(days=DEFAULT_DUE_DAYS),
    }
    return initial, linked


@login_required
def action_new(request):
    if request.user.role not in services.OPENER_ROLES:
        raise PermissionDenied(_("只有主管或经理可以开立整改单。"))
    departments = list(handling_departments())
    if request.method == "POST":
        form = OpenActionForm(request.POST, departments=departments)
        linked = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.corrective_action_open(
                    actor=request.user,
                    title=data["title"],
                    problem=data["problem"],
                    department=next((d for d in departments if str(d.pk) == data["department"]), None),
                    due_date=data["due_date"],
                    complaint_ids=data["complaint_ids"],
                    category=_category(data["category"]),
                    area=data["area"],
                    match_text=data["match_text"],
                    submission_key=data["submission_key"] or None,
                )
            except DomainError as error:
                attach_errors(form, error)
                status = status_for(error)
            else:
                return redirect("web:corrective_action", pk=action.pk)
        else:
            status = invalid_form_status(request)
        ids = form.cleaned_data.get("complaint_ids") if hasattr(form, "cleaned_data") else None
        if ids:
            linked = list(Complaint.objects.filter(pk__in=ids).order_by("-received_at"))
    else:
        initial, linked = _group_initial(request)
        form = OpenActionForm(initial=initial, departments=departments)
        status = 200
    context = {"form": form, "linked": linked, **nav_context(request.user)}
    return render(request, "web/improvement/new.html", context, status=status)


def _category(value: str) -> Category | None:
    return Category.objects.filter(pk=int(value)).first() if value and value.isdigit() else None


def _get_action(user, pk: int) -> CorrectiveAction:
    try:
        return selectors.corrective_action_get(user=user, pk=pk)
    except CorrectiveAction.DoesNotExist as exc:
        raise Http404(_("没有这张整改单。")) from exc


def _detail_context(request, action: CorrectiveAction, failed: tuple[str, object] | None = None) -> dict:
    verbs = services.allowed_verbs(action=action, user=request.user)
    forms_by_verb = {}
    for verb in verbs:
        form_class = VERB_FORMS[verb]
        if failed and failed[0] == verb:
            forms_by_verb[verb] = failed[1]
        else:
            forms_by_verb[verb] = form_class(prefix=verb) if form_class else None
    return {
        "action": action,
        "today": selectors.local_today(),
        "events": list(selectors.corrective_action_events(action)),
        "complaints": list(selectors.corrective_action_complaints(action)[:200]),
        "after_fix": selectors.complaints_after_fix(action),
        "verbs": [(verb, services.LABELS[verb], forms_by_verb[verb]) for verb in verbs],
        "open_verb": failed[0] if failed else "",
    }


@login_required
def action_detail(request, pk: int):
    action = _get_action(request.user, pk)
    context = _detail_context(request, action)
    context.update(nav_context(request.user))
    return render(request, "web/improvement/detail.html", context)


@require_POST
@login_required
def action_do(request, pk: int, verb: str):
    """Start, complete, verify or reject: one service call; htmx gets the page's main part back."""
    if verb not in VERB_SERVICES:
        raise Http404(_("没有这个操作。"))
    action = _get_action(request.user, pk)
    form_class = VERB_FORMS[verb]
    form = form_class(request.POST, prefix=verb) if form_class else None
    if form is not None and not form.is_valid():
        context = _detail_context(request, action, (verb, form))
        return _render_main(request, action, context, invalid_form_status(request))
    try:
        VERB_SERVICES[verb](action=action, actor=request.user, **(form.cleaned_data if form else {}))
    except DomainError as error:
        action.refresh_from_db()
        context = _detail_context(request, action, (verb, form) if form else None)
        if form is not None and isinstance(error, ValidationFailed):
            attach_errors(form, error)
        else:
            context["error"] = error.message
        return _render_main(request, action, context, status_for(error))
    if not is_htmx(request):
        return redirect("web:corrective_action", pk=pk)
    fresh = _get_action(request.user, pk)
    return trigger(_render_main(request, fresh, _detail_context(request, fresh), 200), "counts-changed")


def _render_main(request, action, context, status):
    if is_htmx(request):
        return render(request, "web/improvement/_detail_main.html", context, status=status)
    context.update(nav_context(request.user))
    return render(request, "web/improvement/detail.html", context, status=status)
