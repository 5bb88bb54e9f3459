"""受理: the record form, built for a live phone call."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaintdesk.complaints import services
from complaintdesk.complaints.services.intake import INTAKE_ROLES
from complaintdesk.core.errors import DomainError, NotPermitted
from complaintdesk.web.forms import IntakeForm
from complaintdesk.web.selectors import describe_suggestions, phone_lookup
from complaintdesk.web.views.common import attach_errors, is_htmx, status_for, trigger
from complaintdesk.web.views.nav import nav_context

# The five steps of seed 000, shown beside the form (SPEC §7).
FIVE_STEPS = [
    (gettext_lazy("确认问题"), gettext_lazy("耐心倾听，不打断，复述确认客户反映的问题。")),
    (gettext_lazy("评估期望"), gettext_lazy("问清客户希望怎样解决，记录客户诉求。")),
    (gettext_lazy("相互协商"), gettext_lazy("说明能做到什么、需要多久；用“我能做到的是…”代替“不”。")),
    (gettext_lazy("妥善处理"), gettext_lazy("按承诺的时间落实，过程中主动告知进度。")),
    (gettext_lazy("安抚情绪"), gettext_lazy("表达理解与歉意，先处理情感，后处理事件。")),
]
TEXT_FIELDS = ("subject", "description", "demand")


def _require_intake(user) -> None:
    if user.role not in INTAKE_ROLES:
        raise PermissionDenied(_("只有客服中心人员可以受理投诉。"))


def _context(request, form) -> dict:
    return {"form": form, "five_steps": FIVE_STEPS, **nav_context(request.user)}


@login_required
def intake(request):
    _require_intake(request.user)
    if request.method != "POST":
        form = IntakeForm(initial={"phone": request.GET.get("phone", "")})
        return render(request, "web/intake/page.html", _context(request, form))
    form = IntakeForm(request.POST)
    template = "web/intake/_form.html" if is_htmx(request) else "web/intake/page.html"
    if not form.is_valid():
        context = _context(request, form) if not is_htmx(request) else {"form": form, "five_steps": FIVE_STEPS}
        return render(request, template, context, status=422)
    data = form.cleaned_data
    try:
        complaint, _created = services.complaint_receive_once(
            actor=request.user,
            key=f"web:{data['form_token']}" if data["form_token"] else "",
            phone=data["phone"],
            customer_name=data["customer_name"],
            salutation=data["salutation"],
            address=data["address"],
            room=data["room"],
            preferred_language=data["preferred_language"],
            channel=data["channel"],
            subject=data["subject"],
            description=data["description"],
            demand=data["demand"],
            about_person=data["about_person"],
            emotion=data["emotion"],
            psychology=data["psychology"],
            category=data["category"],
        )
    except DomainError as error:
        attach_errors(form, error)
        context = _context(request, form) if not is_htmx(request) else {"form": form, "five_steps": FIVE_STEPS}
        return render(request, template, context, status=status_for(error))
    context = {"complaint": complaint, "saved": True, "form": IntakeForm()}
    if is_htmx(request):
        # Focus moves to the next caller's number without scrolling the read-out away (app.js).
        context["form"].fields["phone"].widget.attrs.pop("autofocus", None)
        # The side panels go back to their empty state too (out-of-band), ready for the next caller.
        context["oob"] = True
        return trigger(render(request, "web/intake/_saved.html", context), "counts-changed", "intake-saved")
    context.update(_context(request, IntakeForm()))
    return render(request, "web/intake/page.html", context)


@login_required
def lookup(request):
    """As the agent types the phone number: the customer, open complaints, history, repeat warning."""
    _require_intake(request.user)
    return render(request, "web/intake/_lookup.html", {"lookup": phone_lookup(request.GET.get("phone", ""), user=request.user)})


@login_required
@require_POST
def assist(request):
    """Forbidden-phrase hints and the suggested classification while the agent types (SPEC §2, §7)."""
    from complaintdesk.language.services import check_customer_text, suggest

    texts = {name: request.POST.get(name, "") for name in TEXT_FIELDS if request.POST.get(name, "").strip()}
    hints = []
    for name, text in texts.items():
        for violation in check_customer_text(text):
            hints.append({"field": name, "violation": violation})
    combined = "\n".join(texts.values())
    suggestions = describe_suggestions(suggest(combined)) if combined.strip() else {}
    return render(request, "web/intake/_assist.html", {"hints": hints, "suggestions": suggestions})


@login_required
@require_POST
def check_text(request):
    """The same forbidden-phrase hints for any text a user writes to a customer. Written on a
    complaint's page (the action form posts ``complaint_ref``), each flagged phrase is also kept on
    that complaint for 服务用语质检."""
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.complaints.selectors import complaint_get
    from complaintdesk.complaints.services.texts import flag_customer_text
    from complaintdesk.language.services import check_customer_text

    name = request.headers.get("HX-Trigger-Name") or "text"
    text = request.POST.get(name, "")
    complaint = None
    ref = request.POST.get("complaint_ref", "")
    if text and ref.isdigit() and len(ref) < 19:
        try:
            complaint = complaint_get(user=request.user, pk=int(ref))
        except (Complaint.DoesNotExist, NotPermitted):
            complaint = None
    if not text:
        found = []
    elif complaint is not None:
        found = flag_customer_text(complaint=complaint, actor=request.user, field=name, text=text)
    else:
        found = check_customer_text(text)
    hints = [{"field": "", "violation": v} for v in found]
    return render(request, "web/intake/_assist.html", {"hints": hints, "suggestions": {}})
