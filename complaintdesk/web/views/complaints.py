"""The complaint page: record, classification, clocks, timeline, attachments, and exactly the
actions this user may take now (from the workflow table), each a form posted with htmx."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import COMMUNICATION_NATURES, Dimension, Status
from complaintdesk.complaints.models import Attachment, Complaint
from complaintdesk.core.downloads import protected_file_response
from complaintdesk.core.errors import DomainError, NotPermitted
from complaintdesk.enforcement import actions as enforcement
from complaintdesk.followups.selectors import revisit_pending
from complaintdesk.web import forms
from complaintdesk.web.selectors import deadline_clocks, describe_suggestions, timeline_names
from complaintdesk.web.views.common import attach_errors, is_htmx, status_for, trigger
from complaintdesk.web.views.nav import nav_context


@dataclass(frozen=True)
class ActionForm:
    """One form on the page, offered when any of ``actions`` is allowed by the workflow table."""

    key: str
    label: str
    form: type[django_forms.Form]
    run: Callable[[Complaint, object, django_forms.Form], object]
    actions: tuple[str, ...]
    style: str = "secondary"
    primary: bool = False


def _run_visit(c, user, f):
    d = f.cleaned_data
    return services.complaint_record_visit(
        complaint=c, actor=user, outcome=d["outcome"], method=d["method"],
        satisfaction=d["satisfaction"] or None, dimensions=f.dimensions(),
        answers={"process": d["process"], "measures": d["measures"], "result": d["result"]}, notes=d["notes"],
    )


def _run_plan(c, user, f):
    d = f.cleaned_data
    return services.complaint_submit_plan(
        complaint=c, actor=user, cause_analysis=d["cause_analysis"], responsibility=d["responsibility"],
        plan_options=f.options(), chosen_plan=d["chosen_plan"], cause_detail=d["cause_detail"],
        compensation_amount=d["compensation_amount"] or 0, compensation_description=d["compensation_description"],
        exceeds_authority=d["exceeds_authority"], override_language=d["override_language"],
    )


def _run_three_changes(c, user, f):
    d = f.cleaned_data
    return services.complaint_three_changes(
        complaint=c, actor=user, changes=d["changes"], reason=d["reason"], new_handler=d["new_handler"],
        place=d["place"], contact_time=d["contact_time"],
    )


def _run_contact(c, user, f):
    d = f.cleaned_data
    return services.complaint_log_contact(
        complaint=c, actor=user, kind=d["kind"], note=d["note"], promised_for=d["promised_for"],
        override_language=d["override_language"],
    )


def _run_duplicate(c, user, f):
    d = f.cleaned_data
    run = services.complaint_merge_duplicate if d["merge"] else services.complaint_link_duplicate
    return run(complaint=c, actor=user, other=d["other"], reason=d["reason"])


def _run_revisit(c, user, f):
    d = f.cleaned_data
    return services.complaint_record_revisit(
        complaint=c, actor=user, outcome=d["outcome"], method=d["method"], satisfaction=d["satisfaction"] or None,
        answers={"process": d["process"], "measures": d["measures"], "result": d["result"]}, notes=d["notes"],
    )


ACTION_FORMS = [
    ActionForm("review_valid", gettext_lazy("判定成立"), forms.ClassificationForm,
               lambda c, u, f: services.complaint_review_valid(complaint=c, actor=u, **f.classification()),
               ("review_valid",), "primary", True),
    ActionForm("resolve_on_spot", gettext_lazy("当场解决"), forms.ResolveOnSpotForm,
               lambda c, u, f: services.complaint_resolve_on_spot(complaint=c, actor=u, **f.cleaned_data),
               ("resolve_on_spot",), primary=True),
    ActionForm("review_invalid", gettext_lazy("判定不成立"), forms.ReviewInvalidForm,
               lambda c, u, f: services.complaint_review_invalid(complaint=c, actor=u, **f.cleaned_data),
               ("review_invalid",), "contrast"),
    ActionForm("dispatch", gettext_lazy("派单"), forms.DispatchForm,
               lambda c, u, f: services.complaint_dispatch(complaint=c, actor=u, **f.cleaned_data),
               ("dispatch",), "primary", True),
    ActionForm("accept_ticket", gettext_lazy("接单"), forms.EmptyForm,
               lambda c, u, f: services.complaint_accept_ticket(complaint=c, actor=u),
               ("accept_ticket",), "primary", True),
    ActionForm("plan", gettext_lazy("提交处理方案"), forms.PlanForm, _run_plan,
               ("submit_plan", "request_approval"), "primary", True),
    ActionForm("approve_plan", gettext_lazy("批准方案"), forms.CommentForm,
               lambda c, u, f: services.complaint_approve_plan(complaint=c, actor=u, **f.cleaned_data),
               ("approve_plan",), "primary", True),
    ActionForm("reject_plan", gettext_lazy("驳回方案"), forms.RequiredCommentForm,
               lambda c, u, f: services.complaint_reject_plan(complaint=c, actor=u, **f.cleaned_data),
               ("reject_plan",), "contrast", True),
    ActionForm("submit_receipt", gettext_lazy("提交回单"), forms.ReceiptForm,
               lambda c, u, f: services.complaint_submit_receipt(complaint=c, actor=u, **f.cleaned_data),
               ("submit_receipt",), "primary", True),
    ActionForm("accept_receipt", gettext_lazy("回单审核通过"), forms.EmptyForm,
               lambda c, u, f: services.complaint_accept_receipt(complaint=c, actor=u),
               ("accept_receipt",), "primary", True),
    ActionForm("reject_receipt", gettext_lazy("退回回单"), forms.ReasonForm,
               lambda c, u, f: services.complaint_reject_receipt(complaint=c, actor=u, **f.cleaned_data),
               ("reject_receipt",), "contrast", True),
    ActionForm("visit", gettext_lazy("回访"), forms.VisitForm, _run_visit,
               ("visit_satisfied", "visit_unsatisfied", "visit_declined"), "primary", True),
    ActionForm("revisit", gettext_lazy("再次回访"), forms.RevisitForm, _run_revisit, ("revisit",), "primary", True),
    ActionForm("close_exempt", gettext_lazy("免回访结案"), forms.ExemptForm,
               lambda c, u, f: services.complaint_close_exempt(complaint=c, actor=u, **f.cleaned_data),
               ("close_exempt",)),
    ActionForm("archive", gettext_lazy("归档"), forms.EmptyForm,
               lambda c, u, f: services.complaint_archive(complaint=c, actor=u), ("archive",), primary=True),
    ActionForm("reopen", gettext_lazy("重新打开"), forms.ReasonForm,
               lambda c, u, f: services.complaint_reopen(complaint=c, actor=u, **f.cleaned_data), ("reopen",)),
    ActionForm("transfer", gettext_lazy("转派"), forms.TransferForm,
               lambda c, u, f: services.complaint_transfer(complaint=c, actor=u, **f.cleaned_data), ("transfer",)),
    ActionForm("hand_back", gettext_lazy("退回派单"), forms.ReasonForm,
               lambda c, u, f: services.complaint_hand_back(complaint=c, actor=u, **f.cleaned_data), ("hand_back",)),
    ActionForm("upgrade_nature", gettext_lazy("升级为有效投诉"), forms.ReasonForm,
               lambda c, u, f: services.complaint_upgrade_nature(complaint=c, actor=u, **f.cleaned_data),
               ("upgrade_nature",)),
    ActionForm("escalate", gettext_lazy("手动升级"), forms.ReasonForm,
               lambda c, u, f: services.complaint_escalate(complaint=c, actor=u, **f.cleaned_data), ("escalate",)),
    ActionForm("three_changes", gettext_lazy("三变法"), forms.ThreeChangesForm, _run_three_changes, ("three_changes",)),
    ActionForm("log_contact", gettext_lazy("记录联系"), forms.ContactForm, _run_contact, ("log_contact",)),
    ActionForm("add_note", gettext_lazy("内部备注"), forms.NoteForm,
               lambda c, u, f: services.complaint_add_note(complaint=c, actor=u, **f.cleaned_data), ("add_note",)),
    ActionForm("add_attachment", gettext_lazy("添加附件"), forms.AttachmentForm,
               lambda c, u, f: services.complaint_add_attachment(complaint=c, actor=u, upload=f.cleaned_data["file"]),
               ("add_attachment",)),
    ActionForm("request_extension", gettext_lazy("申请延期"), forms.ExtensionRequestForm,
               lambda c, u, f: enforcement.complaint_request_extension(complaint=c, actor=u, **f.cleaned_data),
               ("request_extension",)),
    ActionForm("decide_extension", gettext_lazy("审批延期"), forms.ExtensionDecisionForm,
               lambda c, u, f: enforcement.complaint_decide_extension(complaint=c, actor=u, **f.cleaned_data),
               ("decide_extension",), "primary", True),
    ActionForm("duplicate", gettext_lazy("关联/合并同一事项"), forms.DuplicateForm, _run_duplicate,
               ("link_duplicate", "merge_duplicate")),
    ActionForm("classify", gettext_lazy("修改分类"), forms.ClassifyForm,
               lambda c, u, f: services.complaint_classify(
                   complaint=c, actor=u, reason=f.cleaned_data["reason"], **f.classification()),
               ("classify",)),
]
ACTION_FORM_BY_KEY = {a.key: a for a in ACTION_FORMS}


def _get(request, pk: int) -> Complaint:
    try:
        return selectors.complaint_get(user=request.user, pk=pk)
    except Complaint.DoesNotExist:
        raise Http404(_("投诉不存在或您无权查看。"))


def _initial(spec: ActionForm, complaint: Complaint) -> dict:
    if spec.form in (forms.ClassificationForm, forms.ClassifyForm):
        return {
            "category": complaint.category.code if complaint.category else None,
            "nature": complaint.nature, "dimension": complaint.dimension, "solvability": complaint.solvability,
            "solvability_note": complaint.solvability_note, "cause_detail": complaint.cause_detail,
        }
    if spec.key == "dispatch" and complaint.category_id:
        return {"department": complaint.category.default_department_id}
    if spec.key == "plan":
        options = list(complaint.plan_options or []) + ["", "", ""]
        return {
            "cause_analysis": complaint.cause_analysis, "responsibility": complaint.responsibility,
            "cause_detail": complaint.cause_detail, "option_1": options[0], "option_2": options[1],
            "option_3": options[2], "chosen_plan": complaint.chosen_plan or 0,
            "compensation_amount": complaint.compensation_amount or None,
            "compensation_description": complaint.compensation_description,
        }
    if spec.key == "submit_receipt":
        return {"text": complaint.receipt_text}
    return {}


def offered_forms(complaint: Complaint, user) -> list[ActionForm]:
    allowed = {a.name for a in selectors.allowed_actions(complaint=complaint, user=user)}
    if allowed & {"request_extension", "decide_extension"}:
        # An extension is asked once at a time: offer the request or the decision, never both.
        pending = complaint.extension_requests.filter(status="pending").exists()
        allowed.discard("request_extension" if pending else "decide_extension")
    if "revisit" in allowed and not revisit_pending(complaint_id=complaint.pk):
        # A closed case is visited again only when a supervisor's review sent it back.
        allowed.discard("revisit")
    if complaint.nature not in COMMUNICATION_NATURES:
        # Only a 沟通型 case (求助/咨询/发泄) can become a 有效投诉; the service refuses the rest.
        allowed.discard("upgrade_nature")
    return [spec for spec in ACTION_FORMS if allowed.intersection(spec.actions)]


def _plan_form(spec: ActionForm, complaint: Complaint) -> django_forms.Form:
    """The plan form of a later round: compensation already approved is shown as such, never
    prefilled as a new request (issue 11 §4)."""
    initial = _initial(spec, complaint)
    approved = selectors.complaint_approved_compensations(complaint=complaint)
    if any(p.compensation_amount == complaint.compensation_amount for p in approved):
        initial.update(compensation_amount=None, compensation_description="")
    form = spec.form(initial=initial, prefix=spec.key)
    if approved:
        form.fields["compensation_amount"].help_text = _("已批准过的补偿：%(items)s。再次申请相同金额将标记为重复补偿。") % {
            "items": "；".join(
                _("¥%(amount)s（%(what)s，%(date)s %(who)s 批准）") % {
                    "amount": p.compensation_amount, "what": p.compensation_description,
                    "date": timezone.localtime(p.decided_at).strftime("%Y-%m-%d"), "who": p.decided_by,
                }
                for p in approved
            )
        }
    return form


def _action_form(spec: ActionForm, complaint: Complaint) -> django_forms.Form:
    if spec.key == "plan":
        return _plan_form(spec, complaint)
    return spec.form(initial=_initial(spec, complaint), prefix=spec.key)


# Rendered with the page whatever is opened: the classification sits in the suggestions card, and
# the visit action is a link to the visit page.
EAGER_FORMS = frozenset({"classify", "visit"})


def _bound_actions(
    complaint, user, failed: tuple[str, django_forms.Form] | None = None, opened: str = ""
) -> list[dict]:
    """The actions the user may take. Only the form being opened (``opened``, ``?action=``) or sent
    back with errors (``failed``) is built; the others are fetched when their fold is opened
    (:func:`action_form`). Building every form with its department, handler and category choices
    was four fifths of the complaint page (docs/BENCHMARKS.md, "At 10,000,000")."""
    items = []
    for spec in offered_forms(complaint, user):
        if failed and failed[0] == spec.key:
            items.append({"spec": spec, "form": failed[1], "open": True})
        elif spec.key == opened or spec.key in EAGER_FORMS:
            items.append({"spec": spec, "form": _action_form(spec, complaint), "open": spec.key == opened})
        else:
            items.append({"spec": spec, "form": None, "open": False, "lazy": True})
    return items


def complaint_context(complaint: Complaint, user, *, opened: str = "") -> dict:
    actions = _bound_actions(complaint, user, opened=opened)
    classify = next((a for a in actions if a["spec"].key == "classify"), None)
    timeline = list(selectors.complaint_timeline(complaint=complaint))
    visits = selectors.complaint_visits(complaint=complaint)
    return {
        "c": complaint,
        "visits": visits,
        "last_visit": visits[0] if visits else None,
        "plans": selectors.complaint_plans(complaint=complaint),
        "duplicates": selectors.complaint_duplicates(complaint=complaint),
        "messages_sent": selectors.complaint_messages(complaint=complaint),
        "clocks": deadline_clocks(complaint),
        "timeline": timeline,
        "names": timeline_names(timeline),
        "suggestions": describe_suggestions(complaint.suggestions or {}),
        "attachments": list(complaint.attachments.all()),
        "contacts": list(complaint.contacts.select_related("by")),
        "history": list(selectors.customer_history(
            user=user, customer_id=complaint.customer_id, exclude=complaint.pk, limit=10)),
        "main_actions": [a for a in actions if a["spec"].primary],
        "other_actions": [a for a in actions if not a["spec"].primary and a["spec"].key != "classify"],
        "classify": classify,
        "dimensions": Dimension.choices,
        "plan_options": list(enumerate(complaint.plan_options or [])),
    }


@login_required
def detail(request, pk: int):
    complaint = _get(request, pk)
    context = complaint_context(complaint, request.user, opened=request.GET.get("action", ""))
    if is_htmx(request) and request.headers.get("HX-Target") == "complaint":
        return render(request, "web/complaints/_main.html", context)
    context.update(nav_context(request.user))
    return render(request, "web/complaints/page.html", context)


@login_required
def action_form(request, pk: int, key: str):
    """One action's form, fetched when its fold on the complaint page is opened (htmx)."""
    spec = ACTION_FORM_BY_KEY.get(key)
    if spec is None:
        raise Http404(_("没有这个操作。"))
    complaint = _get(request, pk)
    if spec not in offered_forms(complaint, request.user):
        return render(request, "web/complaints/_action_gone.html", {"spec": spec, "c": complaint}, status=409)
    item = {"spec": spec, "form": _action_form(spec, complaint), "open": True}
    return render(request, "web/complaints/_action_form.html", {"item": item, "c": complaint})


@login_required
def attachment(request, pk: int, attachment_pk: int):
    """An attachment, only for a reader of its complaint; headers from ``core.downloads``."""
    try:
        item = selectors.attachment_get(user=request.user, complaint_pk=pk, pk=attachment_pk)
        stored = item.file.storage.open(item.file.name, "rb")
    except (Attachment.DoesNotExist, FileNotFoundError):
        raise Http404(_("附件不存在或您无权查看。"))
    return protected_file_response(stored, content_type=item.content_type, filename=item.original_name)


@login_required
def clocks(request, pk: int):
    complaint = _get(request, pk)
    return render(request, "web/complaints/_clocks.html", {"c": complaint, "clocks": deadline_clocks(complaint)})


@login_required
@require_POST
def act(request, pk: int, key: str):
    """Run one action. Errors come back as the same form with inline messages (HTTP 4xx for
    htmx); success re-renders the complaint so state, clocks, timeline and actions are current."""
    spec = ACTION_FORM_BY_KEY.get(key)
    if spec is None:
        raise Http404(_("没有这个操作。"))
    complaint = _get(request, pk)
    form = spec.form(request.POST, request.FILES, prefix=spec.key)
    template = "web/complaints/_action_form.html"
    item = {"spec": spec, "form": form, "open": True}
    origin = request.POST.get("origin", "")
    try:
        if not any(a in {x.name for x in selectors.allowed_actions(complaint=complaint, user=request.user)}
                   for a in spec.actions):
            raise NotPermitted(_("您现在不能执行“%(action)s”。") % {"action": spec.label})
        if not form.is_valid():
            return _form_response(request, template, item, complaint, 422, origin)
        spec.run(complaint, request.user, form)
    except DomainError as error:
        attach_errors(form, error)
        return _form_response(request, template, item, complaint, status_for(error), origin)
    if not is_htmx(request):
        return redirect("web:complaint", pk=pk)
    complaint = _get(request, pk)
    if origin == "board":
        response = render(request, "web/supervisor/_done.html", {"c": complaint, "spec": spec})
        response["HX-Retarget"] = f"#row-{complaint.pk}"
        response["HX-Reswap"] = "outerHTML"
    elif origin == "visit":
        response = render(request, "web/visits/_done.html", {"c": complaint})
        response["HX-Retarget"] = "#visit-area"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "web/complaints/_main.html", complaint_context(complaint, request.user))
        response["HX-Retarget"] = "#complaint"
        response["HX-Reswap"] = "outerHTML"
    return trigger(response, "counts-changed")


def _form_response(request, template, item, complaint, status, origin) -> HttpResponse:
    if not is_htmx(request):
        context = complaint_context(complaint, request.user)
        context.update(nav_context(request.user))
        key = item["spec"].key
        for group in ("main_actions", "other_actions"):
            context[group] = [item if a["spec"].key == key else a for a in context[group]]
        if key == "classify":
            context["classify"] = item
        return render(request, "web/complaints/page.html", context, status=status)
    return render(request, template, {"item": item, "c": complaint, "origin": origin}, status=status)


def ticket_context(complaint: Complaint) -> dict:
    timeline = list(selectors.complaint_timeline(complaint=complaint))
    return {
        "c": complaint, "timeline": timeline, "names": timeline_names(timeline),
        "visits": selectors.complaint_visits(complaint=complaint),
        "plans": selectors.complaint_plans(complaint=complaint),
        "plan_options": list(enumerate(complaint.plan_options or [])),
    }


@login_required
def print_ticket(request, pk: int):
    """投诉处理单: the handling ticket, plain HTML with print CSS."""
    return render(request, "web/print/ticket.html", ticket_context(_get(request, pk)))


@login_required
def print_receipt(request, pk: int):
    """回执单: what the customer takes away — number, times, who to call, where to check progress."""
    complaint = _get(request, pk)
    return render(request, "web/print/receipt.html", {
        "c": complaint,
        "centre_name": settings.SERVICE_CENTRE_NAME,
        "hotline": settings.SERVICE_CENTRE_HOTLINE,
        "track_url": request.build_absolute_uri(settings.SERVICE_CENTRE_TRACK_PATH),
    })


@login_required
def visit_page(request, pk: int):
    """The service centre's return visit, with the scripted questions (SPEC §6)."""
    complaint = _get(request, pk)
    offered = {spec.key for spec in offered_forms(complaint, request.user)}
    context = {
        "c": complaint,
        "history": list(selectors.customer_history(
            user=request.user, customer_id=complaint.customer_id, exclude=complaint.pk, limit=5)),
        "item": {"spec": ACTION_FORM_BY_KEY["visit"], "form": forms.VisitForm(prefix="visit"), "open": True}
        if "visit" in offered else None,
        "exempt": {"spec": ACTION_FORM_BY_KEY["close_exempt"], "form": forms.ExemptForm(prefix="close_exempt"),
                   "open": True} if "close_exempt" in offered else None,
        "awaiting": complaint.status == Status.AWAITING_VISIT,
        "visits": selectors.complaint_visits(complaint=complaint),
        "plan_options": list(enumerate(complaint.plan_options or [])),
        **nav_context(request.user),
    }
    return render(request, "web/visits/page.html", context)
