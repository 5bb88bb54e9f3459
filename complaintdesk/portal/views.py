"""Customer portal pages (SPEC §9): parse, check access, call one service or selector, render."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaintdesk.core.errors import DomainError, ValidationFailed
from complaintdesk.customers.services import phone_clean
from complaintdesk.portal import links, ratelimit, selectors, services, session
from complaintdesk.portal.forms import CodeForm, PhoneForm, SubmitForm, TrackForm, VisitForm

TOO_MANY = 429


def _limited(request, template: str, context: dict):
    context["error"] = _("操作过于频繁，请稍后再试。")
    return render(request, template, context, status=TOO_MANY)


def _apply_errors(form, error: DomainError) -> None:
    placed = False
    for name, messages in error.errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


@require_GET
def home(request):
    return render(request, "portal/home.html", {"signed_in": session.customer(request)})


@require_GET
def rights(request):
    return render(request, "portal/rights.html")


@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "GET":
        initial = {"token": secrets.token_urlsafe(24)}
        signed = session.customer(request)
        if signed:
            initial["phone"] = signed["phone"]
        return render(request, "portal/submit.html", {"form": SubmitForm(initial=initial)})
    form = SubmitForm(request.POST)
    photos = request.FILES.getlist("photos")
    if not ratelimit.hit("submit_ip", ratelimit.client_ip(request)):
        return _limited(request, "portal/submit.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint, _created = services.portal_complaint_submit(
                token=data["token"], phone=data["phone"], customer_name=data["customer_name"],
                salutation=data["salutation"], address=data["address"], subject=data["subject"],
                description=data["description"], demand=data["demand"], photos=photos,
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            session.grant(request, complaint.pk, "submitted")
            return redirect("portal:submitted", complaint_id=complaint.pk)
    return render(request, "portal/submit.html", {"form": form}, status=400)


def _case_or_404(request, complaint_id: int) -> tuple[selectors.CaseView, str]:
    owner = selectors.portal_case_owner(complaint_id=complaint_id)
    level = session.access(request, complaint_id=complaint_id, customer_id=owner[0]) if owner else None
    if level is None:
        raise Http404  # the same for a case that does not exist and one that is not yours
    return selectors.portal_case_get(complaint_id=complaint_id), level


@require_GET
def submitted(request, complaint_id: int):
    case, _level = _case_or_404(request, complaint_id)
    return render(request, "portal/submitted.html", {"case": case})


@require_http_methods(["GET", "POST"])
def login(request):
    if session.customer(request):
        return redirect("portal:mine")
    if request.method == "GET":
        return render(request, "portal/login.html", {"form": PhoneForm()})
    ip = ratelimit.client_ip(request)
    if "code" in request.POST:
        form = CodeForm(request.POST)
        if not ratelimit.hit("verify_ip", ip):
            return _limited(request, "portal/login_code.html", _code_context(form))
        if form.is_valid():
            try:
                customer_id, phone = services.portal_code_verify(
                    phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
                )
            except ValidationFailed as error:
                _apply_errors(form, error)
            else:
                session.sign_in(request, customer_id=customer_id, phone=phone)
                return redirect("portal:mine")
        return render(request, "portal/login_code.html", _code_context(form), status=400)
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/login.html", {"form": form}, status=400)
    try:
        phone = phone_clean(form.cleaned_data["phone"])
    except ValidationFailed as error:
        _apply_errors(form, error)
        return render(request, "portal/login.html", {"form": form}, status=400)
    if not (ratelimit.hit("code_ip", ip) and ratelimit.hit("code_phone", phone)):
        return _limited(request, "portal/login.html", {"form": form})
    services.portal_code_send(phone=phone)  # the page reads the same whether or not it was sent
    return render(request, "portal/login_code.html", _code_context(CodeForm(initial={"phone": phone})))


def _code_context(form) -> dict:
    return {"form": form, "minutes": settings.PORTAL_CODE_TTL_MINUTES}


@require_POST
def logout(request):
    session.sign_out(request)
    return redirect("portal:home")


@require_GET
def mine(request):
    signed = session.customer(request)
    if not signed:
        return redirect("portal:login")
    cases = selectors.portal_case_list(customer_id=signed["id"])
    return render(request, "portal/mine.html", {"cases": cases, "phone": signed["phone"]})


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        return render(request, "portal/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid() and not (request.POST.get("number") and request.POST.get("phone")):
        return render(request, "portal/track.html", {"form": form}, status=400)
    try:
        phone = phone_clean(form.cleaned_data["phone"]) if form.is_valid() else ""
    except ValidationFailed:
        phone = ""
    ip = ratelimit.client_ip(request)
    if not (ratelimit.hit("track_ip", ip) and ratelimit.hit("track_phone", phone or "-")):
        return _limited(request, "portal/track.html", {"form": TrackForm()})
    complaint_id = selectors.portal_track(number=form.cleaned_data["number"], phone=phone) if phone else None

    if complaint_id is None:
        # One answer for a wrong number, a wrong phone or both: nothing to tell them apart.
        return render(request, "portal/track.html",
                      {"form": TrackForm(), "error": _("没有找到与该编号和电话相符的投诉，请核对后再试。")},
                      status=404)
    session.grant(request, complaint_id, "track")
    return redirect("portal:case", complaint_id=complaint_id)


@require_GET
def case(request, complaint_id: int):
    view, level = _case_or_404(request, complaint_id)
    form = VisitForm() if view.awaiting_visit and level == session.ANSWER else None
    return render(request, "portal/case.html", {"case": view, "level": level, "visit_form": form})


@require_POST
def visit(request, complaint_id: int):
    view, level = _case_or_404(request, complaint_id)
    if level != session.ANSWER:
        raise Http404
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.portal_visit_answer(
                complaint_id=complaint_id, satisfied=form.cleaned_data["satisfied"],
                satisfaction=form.cleaned_data["satisfaction"], dimensions=form.dimensions(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            return redirect("portal:case", complaint_id=complaint_id)
    return render(request, "portal/case.html", {"case": view, "level": level, "visit_form": form}, status=400)


@require_GET
def link(request, token: str):
    parsed = links.link_read(token)
    owner = selectors.portal_case_owner(complaint_id=parsed[0]) if parsed else None
    if owner is None or not links.phone_matches(parsed[1], owner[1]):
        return render(request, "portal/link_invalid.html", status=404)
    session.grant(request, parsed[0], "link")
    return redirect("portal:case", complaint_id=parsed[0])
