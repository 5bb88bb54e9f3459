"""回访计划 and 主管领导审阅 (001 §3.1 steps 3 and 7): plan the visits of cases awaiting one, and
review completed visit records, sending a doubtful one back to be visited again."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints.models import VisitRecord
from complaintdesk.core.errors import DomainError
from complaintdesk.followups import selectors
from complaintdesk.followups.planning import DESK_ROLES, visit_plan_create, visit_review_record
from complaintdesk.org.models import DepartmentKind, User
from complaintdesk.web import forms
from complaintdesk.web.views.common import attach_errors, is_htmx, status_for, trigger
from complaintdesk.web.views.nav import nav_context


def _desk_staff():
    return User.objects.filter(
        is_active=True, role__in=DESK_ROLES, department__kind=DepartmentKind.SERVICE_CENTRE
    ).order_by("username")


def _plans_context(user, form, chosen=()) -> dict:
    return {
        "form": form,
        "candidates": list(selectors.visit_plan_candidates()),
        "chosen": {int(pk) for pk in chosen if str(pk).isdigit()},
        "plans": selectors.visit_plan_list(),
        **nav_context(user),
    }


@login_required
def plans(request):
    """Choose the cases awaiting a visit and plan them: date, channel, visiting agent."""
    user = request.user
    if user.role not in DESK_ROLES:
        raise PermissionDenied(_("只有客服中心人员可以制定回访计划。"))
    staff = _desk_staff()
    if request.method != "POST":
        form = forms.VisitPlanForm(staff=staff, initial={"assigned_to": user.pk})
        return render(request, "web/visits/plans.html", _plans_context(user, form))
    form = forms.VisitPlanForm(request.POST, staff=staff)
    chosen = request.POST.getlist("complaints")
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            visit_plan_create(
                actor=user, complaint_ids=[int(pk) for pk in chosen if pk.isdigit()],
                scheduled_for=d["scheduled_for"], method=d["method"], assigned_to=d["assigned_to"],
                name=d["name"], note=d["note"],
            )
        except DomainError as error:
            attach_errors(form, error)
            status = status_for(error)
        else:
            return redirect("web:visit_plans")
    return render(request, "web/visits/plans.html", _plans_context(user, form, chosen), status=status)


def _supervisor(user) -> None:
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("仅主管及以上可以访问。"))


@login_required
def reviews(request):
    """Completed visit records awaiting a supervisor's review (the sampled share), with a count."""
    _supervisor(request.user)
    rows, count = selectors.visit_review_queue()
    context = {
        "rows": [(v, forms.VisitReviewForm(prefix=f"v{v.pk}")) for v in rows],
        "count": count,
        "percent": selectors.review_sample_percent(),
        **nav_context(request.user),
    }
    return render(request, "web/visits/reviews.html", context)


@login_required
@require_POST
def review(request, pk: int):
    _supervisor(request.user)
    form = forms.VisitReviewForm(request.POST, prefix=f"v{pk}")
    visit = VisitRecord.objects.select_related("complaint", "by").filter(pk=pk).first()
    status = 422
    if visit is not None and form.is_valid():
        try:
            result = visit_review_record(
                actor=request.user, visit_id=pk, verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            attach_errors(form, error)
            status = status_for(error)
        else:
            if not is_htmx(request):
                return redirect("web:visit_reviews")
            response = render(request, "web/visits/_reviewed.html", {"v": visit, "review": result})
            return trigger(response, "counts-changed")
    elif visit is None:
        form.add_error(None, _("回访记录不存在。"))
        status = 404
    return render(request, "web/visits/_review_row.html", {"v": visit, "form": form}, status=status)
