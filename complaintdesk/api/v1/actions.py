"""Every action of the transition table (``complaints/workflow.py``) as one endpoint.

``ENDPOINTS`` maps each action name to its input serializer and the service it calls; the URL
patterns and the schema are generated from ``workflow.ACTIONS``, and a test checks that every
action of the table has an endpoint here (and nothing else does), so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.views import APIView

from complaintdesk.api.errors import BoundedJSONParser, ErrorOutput
from complaintdesk.api.v1.base import BoundedDateTime, validate
from complaintdesk.api.v1.complaints import ComplaintDetailOutput, detail_response, get_complaint
from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import (
    EXEMPTIONS,
    CauseDetail,
    ContactKind,
    Dimension,
    Nature,
    Solvability,
    ThreeChanges,
    VisitMethod,
)
from complaintdesk.complaints.models import Category
from complaintdesk.core import limits
from complaintdesk.enforcement import actions as enforcement
from complaintdesk.org.models import Department, DepartmentKind, Role, User


def text(limit: int = limits.REASON, *, required: bool = True) -> serializers.CharField:
    if required:
        return serializers.CharField(max_length=limit)
    return serializers.CharField(max_length=limit, required=False, default="", allow_blank=True)


class Override(serializers.Serializer):
    override_language = serializers.BooleanField(
        required=False, default=False, help_text="主管放行服务禁语（仅主管及以上）"
    )


class Empty(serializers.Serializer):
    pass


class ReasonInput(serializers.Serializer):
    reason = text()


class OptionalCommentInput(serializers.Serializer):
    comment = text(required=False)


class CommentInput(serializers.Serializer):
    comment = text()


class Classification(serializers.Serializer):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(active=True), required=False, allow_null=True
    )
    nature = serializers.ChoiceField(choices=Nature.choices, required=False)
    dimension = serializers.ChoiceField(choices=Dimension.choices, required=False, allow_blank=True)
    solvability = serializers.ChoiceField(choices=Solvability.choices, required=False, allow_blank=True)
    solvability_note = text(required=False)
    cause_detail = serializers.ChoiceField(choices=CauseDetail.choices, required=False, allow_blank=True)

    def to_internal_value(self, data):
        code = data.get("category") if hasattr(data, "get") else None
        if isinstance(code, str) and "\x00" in code:
            raise serializers.ValidationError({"category": [_("不能包含空字符。")]})
        return super().to_internal_value(data)


class ReviewValidInput(Classification):
    pass


class ReviewInvalidInput(Override):
    reason = text()
    explanation = text()


class ResolveOnSpotInput(serializers.Serializer):
    resolution = text(limits.TEXT)
    customer_confirmed = serializers.BooleanField()


class DepartmentCode(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(
            slug_field="code",
            queryset=Department.objects.filter(kind=DepartmentKind.HANDLING, active=True),
            **kwargs,
        )


class HandlerName(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(slug_field="username", queryset=User.objects.filter(role=Role.HANDLER, is_active=True), **kwargs)


def _no_nul(serializer_to_internal):
    """Slug lookups with a NUL character would reach the database (PostgreSQL refuses them)."""

    def to_internal_value(self, data):
        if hasattr(data, "items"):
            bad = {k: [_("不能包含空字符。")] for k, v in data.items() if isinstance(v, str) and "\x00" in v}
            if bad:
                raise serializers.ValidationError(bad)
        return serializer_to_internal(self, data)

    return to_internal_value


class DispatchInput(serializers.Serializer):
    department = DepartmentCode()
    handler = HandlerName()
    note = text(required=False)


class TransferInput(serializers.Serializer):
    department = DepartmentCode()
    handler = HandlerName()
    reason = text()


class PlanInput(Override):
    cause_analysis = text(limits.TEXT)
    cause_detail = serializers.ChoiceField(choices=CauseDetail.choices, required=False, default="", allow_blank=True)
    responsibility = text(limits.TEXT)
    plan_options = serializers.ListField(
        child=serializers.CharField(max_length=limits.PLAN_OPTION), min_length=1, max_length=limits.PLAN_OPTIONS
    )
    chosen_plan = serializers.IntegerField(min_value=0, max_value=limits.PLAN_OPTIONS - 1, default=0)
    compensation_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=99999999, required=False, default=0
    )
    compensation_description = text(limits.SHORT, required=False)
    exceeds_authority = serializers.BooleanField(required=False, default=False)


class ReceiptInput(serializers.Serializer):
    text = text(limits.TEXT)


class VisitInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=VisitMethod.choices, default=VisitMethod.PHONE)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)
    dimensions = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False, default=dict,
        help_text="SERVQUAL 分维度满意度: " + ", ".join(Dimension.values),
    )
    process = text(required=False)
    measures = text(required=False)
    result = text(required=False)
    notes = text(limits.TEXT, required=False)

    def validate_dimensions(self, value):
        unknown = sorted(set(value) - set(Dimension.values))
        if unknown:
            raise serializers.ValidationError(_("服务质量维度无效。"))
        return value


class ExemptInput(serializers.Serializer):
    exemption = serializers.ChoiceField(choices=sorted(EXEMPTIONS))
    note = text(limits.TEXT)


class UpgradeInput(serializers.Serializer):
    reason = text()


class ClassifyInput(Classification):
    reason = text(required=False)


class EscalateInput(serializers.Serializer):
    reason = text()


class ThreeChangesInput(serializers.Serializer):
    changes = serializers.MultipleChoiceField(choices=ThreeChanges.choices)
    reason = text()
    new_handler = HandlerName()
    place = text(limits.SHORT, required=False)
    contact_time = BoundedDateTime(required=False, allow_null=True, default=None)


class ContactInput(Override):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    note = text(limits.TEXT)
    promised_for = BoundedDateTime(required=False, allow_null=True, default=None)


class NoteInput(serializers.Serializer):
    text = text(limits.TEXT)


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField(max_length=200)


class RevisitInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["satisfied", "unsatisfied", "declined"])
    method = serializers.ChoiceField(choices=VisitMethod.choices, default=VisitMethod.PHONE)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)
    process = text(required=False)
    measures = text(required=False)
    result = text(required=False)
    notes = text(limits.TEXT, required=False)


class DuplicateInput(serializers.Serializer):
    other = serializers.CharField(max_length=24, help_text="the other complaint's number")
    reason = text()


class ExtensionRequestInput(serializers.Serializer):
    working_days = serializers.IntegerField(min_value=1, max_value=30)
    reason = text()


class ExtensionDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = text(required=False)


for _serializer in (DispatchInput, TransferInput, ThreeChangesInput):
    _serializer.to_internal_value = _no_nul(_serializer.to_internal_value)


def _visit(outcome: str):
    def call(c, u, d):
        return services.complaint_record_visit(
            complaint=c, actor=u, outcome=outcome, method=d["method"], satisfaction=d["satisfaction"],
            dimensions=d["dimensions"], notes=d["notes"],
            answers={k: d[k] for k in ("process", "measures", "result")},
        )

    return call


def _plan(*, force_approval: bool):
    def call(c, u, d):
        return services.complaint_submit_plan(
            complaint=c, actor=u, cause_analysis=d["cause_analysis"], responsibility=d["responsibility"],
            plan_options=d["plan_options"], chosen_plan=d["chosen_plan"], cause_detail=d["cause_detail"],
            compensation_amount=d["compensation_amount"], compensation_description=d["compensation_description"],
            exceeds_authority=d["exceeds_authority"] or force_approval, override_language=d["override_language"],
        )

    return call


@dataclass(frozen=True)
class Endpoint:
    input: type[serializers.Serializer]
    call: Callable
    multipart: bool = False
    summary: str = ""


def _classification(d: dict) -> dict:
    keys = ("category", "nature", "dimension", "solvability", "solvability_note", "cause_detail")
    return {k: d[k] for k in keys if k in d and d[k] is not None}


ENDPOINTS: dict[str, Endpoint] = {
    "review_valid": Endpoint(ReviewValidInput, lambda c, u, d: services.complaint_review_valid(
        complaint=c, actor=u, **_classification(d))),
    "review_invalid": Endpoint(ReviewInvalidInput, lambda c, u, d: services.complaint_review_invalid(
        complaint=c, actor=u, reason=d["reason"], explanation=d["explanation"],
        override_language=d["override_language"])),
    "resolve_on_spot": Endpoint(ResolveOnSpotInput, lambda c, u, d: services.complaint_resolve_on_spot(
        complaint=c, actor=u, resolution=d["resolution"], customer_confirmed=d["customer_confirmed"])),
    "dispatch": Endpoint(DispatchInput, lambda c, u, d: services.complaint_dispatch(
        complaint=c, actor=u, department=d["department"], handler=d["handler"], note=d["note"])),
    "transfer": Endpoint(TransferInput, lambda c, u, d: services.complaint_transfer(
        complaint=c, actor=u, department=d["department"], handler=d["handler"], reason=d["reason"])),
    "hand_back": Endpoint(ReasonInput, lambda c, u, d: services.complaint_hand_back(
        complaint=c, actor=u, reason=d["reason"])),
    "accept_ticket": Endpoint(Empty, lambda c, u, d: services.complaint_accept_ticket(complaint=c, actor=u)),
    "submit_plan": Endpoint(PlanInput, _plan(force_approval=False),
                            summary="提交方案（有补偿或超出权限时自动转主管批示）"),
    "request_approval": Endpoint(PlanInput, _plan(force_approval=True), summary="提交方案并请主管批示"),
    "approve_plan": Endpoint(OptionalCommentInput, lambda c, u, d: services.complaint_approve_plan(
        complaint=c, actor=u, comment=d["comment"])),
    "reject_plan": Endpoint(CommentInput, lambda c, u, d: services.complaint_reject_plan(
        complaint=c, actor=u, comment=d["comment"])),
    "submit_receipt": Endpoint(ReceiptInput, lambda c, u, d: services.complaint_submit_receipt(
        complaint=c, actor=u, text=d["text"])),
    "accept_receipt": Endpoint(Empty, lambda c, u, d: services.complaint_accept_receipt(complaint=c, actor=u)),
    "reject_receipt": Endpoint(ReasonInput, lambda c, u, d: services.complaint_reject_receipt(
        complaint=c, actor=u, reason=d["reason"])),
    "visit_satisfied": Endpoint(VisitInput, _visit("satisfied")),
    "visit_unsatisfied": Endpoint(VisitInput, _visit("unsatisfied")),
    "visit_declined": Endpoint(VisitInput, _visit("declined")),
    "close_exempt": Endpoint(ExemptInput, lambda c, u, d: services.complaint_close_exempt(
        complaint=c, actor=u, exemption=d["exemption"], note=d["note"])),
    "archive": Endpoint(Empty, lambda c, u, d: services.complaint_archive(complaint=c, actor=u)),
    "reopen": Endpoint(ReasonInput, lambda c, u, d: services.complaint_reopen(complaint=c, actor=u, reason=d["reason"])),
    "upgrade_nature": Endpoint(UpgradeInput, lambda c, u, d: services.complaint_upgrade_nature(
        complaint=c, actor=u, reason=d["reason"])),
    "classify": Endpoint(ClassifyInput, lambda c, u, d: services.complaint_classify(
        complaint=c, actor=u, reason=d["reason"], **_classification(d))),
    "escalate": Endpoint(EscalateInput, lambda c, u, d: services.complaint_escalate(
        complaint=c, actor=u, reason=d["reason"])),
    "three_changes": Endpoint(ThreeChangesInput, lambda c, u, d: services.complaint_three_changes(
        complaint=c, actor=u, changes=sorted(d["changes"]), reason=d["reason"], new_handler=d["new_handler"],
        place=d["place"], contact_time=d["contact_time"])),
    "log_contact": Endpoint(ContactInput, lambda c, u, d: services.complaint_log_contact(
        complaint=c, actor=u, kind=d["kind"], note=d["note"], promised_for=d["promised_for"],
        override_language=d["override_language"])),
    "add_note": Endpoint(NoteInput, lambda c, u, d: services.complaint_add_note(complaint=c, actor=u, text=d["text"])),
    "add_attachment": Endpoint(AttachmentInput, lambda c, u, d: services.complaint_add_attachment(
        complaint=c, actor=u, upload=d["file"]), multipart=True, summary="上传附件（multipart/form-data）"),
    "revisit": Endpoint(RevisitInput, lambda c, u, d: services.complaint_record_revisit(
        complaint=c, actor=u, outcome=d["outcome"], method=d["method"], satisfaction=d["satisfaction"],
        notes=d["notes"], answers={k: d[k] for k in ("process", "measures", "result")})),
    "link_duplicate": Endpoint(DuplicateInput, lambda c, u, d: services.complaint_link_duplicate(
        complaint=c, actor=u, other=d["other"], reason=d["reason"])),
    "merge_duplicate": Endpoint(DuplicateInput, lambda c, u, d: services.complaint_merge_duplicate(
        complaint=c, actor=u, other=d["other"], reason=d["reason"])),
    "request_extension": Endpoint(ExtensionRequestInput, lambda c, u, d: enforcement.complaint_request_extension(
        complaint=c, actor=u, working_days=d["working_days"], reason=d["reason"])),
    "decide_extension": Endpoint(ExtensionDecisionInput, lambda c, u, d: enforcement.complaint_decide_extension(
        complaint=c, actor=u, approve=d["approve"], comment=d["comment"])),
}

ERRORS = {400: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput}


def _view(name: str, action: workflow.Action, endpoint: Endpoint) -> type[APIView]:
    roles = "、".join(sorted(action.roles))
    sources = "、".join(action.sources)
    description = (
        f"{action.label}。状态：{sources} → {action.target or '（不变）'}；角色：{roles}；关系：{action.relation}。"
    )

    def post(self, request, pk: int):
        complaint = get_complaint(request, pk)
        data = validate(endpoint.input, request.data)
        endpoint.call(complaint, request.user, data)
        return detail_response(request, complaint)

    post = extend_schema(
        operation_id=f"complaint_{name}",
        summary=endpoint.summary or action.label,
        description=description,
        request={"multipart/form-data": endpoint.input} if endpoint.multipart else endpoint.input,
        responses={200: ComplaintDetailOutput, 204: OpenApiResponse(description="done; no longer visible to the caller"),
                   **ERRORS},
        tags=["complaint actions"],
    )(post)
    attrs = {"post": post, "__doc__": description, "__module__": __name__}
    attrs["parser_classes"] = [MultiPartParser, FormParser] if endpoint.multipart else [BoundedJSONParser, FormParser]
    return type(f"{''.join(p.title() for p in name.split('_'))}Api", (APIView,), attrs)


VIEWS: dict[str, type[APIView]] = {
    name: _view(name, action, ENDPOINTS[name]) for name, action in workflow.ACTIONS.items() if name in ENDPOINTS
}

urlpatterns = [
    path(f"complaints/<int:pk>/actions/{name}/", view.as_view(), name=f"complaint-{name.replace('_', '-')}")
    for name, view in VIEWS.items()
]

