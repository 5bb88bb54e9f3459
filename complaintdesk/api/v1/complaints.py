"""Complaints over HTTP: thin views over selectors and services (one view per operation)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import ErrorOutput
from complaintdesk.api.v1.base import (
    MAX_ID,
    BoundedDate,
    LabelField,
    OutputSerializer,
    page_of,
    paginate,
    validate,
)
from complaintdesk.complaints import events, selectors, services
from complaintdesk.complaints.choices import Channel, ContactKind, Emotion, EventType, Psychology, Status
from complaintdesk.complaints.models import Attachment, Category, Complaint, ContactLog, TimelineEvent
from complaintdesk.core import limits
from complaintdesk.core.downloads import protected_file_response
from complaintdesk.customers.models import Salutation

ERRORS = {400: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput}


class ComplaintOutput(OutputSerializer):
    """A complaint in a list: what a queue shows."""

    customer_name = serializers.CharField(source="customer.name")
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    department = serializers.CharField(source="department.code", allow_null=True, default=None)
    handler = serializers.CharField(source="handler.username", allow_null=True, default=None)
    first_owner = serializers.CharField(source="first_owner.username")
    status_label = LabelField(Status, source="status")
    repeat_of = serializers.CharField(source="repeat_of.number", allow_null=True, default=None)

    class Meta:
        model = Complaint
        fields = [
            "id", "number", "status", "status_label", "channel", "received_at", "customer_name", "contact_phone",
            "address", "subject", "emotion", "nature", "category", "dimension", "priority", "escalation_level",
            "escalation_risk", "department", "handler", "first_owner", "first_answer_due_at", "implement_due_at",
            "next_callback_due_at", "visit_due_at", "first_answer_breached", "implement_breached", "repeat_of",
            "repeat_count", "closure_reason", "satisfaction",
        ]


def list_columns(qs):
    """Only the columns a list row shows (its long texts and JSON columns stay in the table), with
    the original of a repeat joined rather than read row by row."""
    own = [name for name in ComplaintOutput.Meta.fields
           if name not in ComplaintOutput._declared_fields]
    return qs.select_related("repeat_of").only(
        *own, "customer", "category", "department", "handler", "first_owner", "repeat_of",
        "customer__name", "category__code", "department__code", "handler__username",
        "first_owner__username", "repeat_of__number",
    )


class ContactOutput(OutputSerializer):
    by = serializers.CharField(source="by.username")
    kind_label = LabelField(ContactKind, source="kind")

    class Meta:
        model = ContactLog
        fields = ["id", "kind", "kind_label", "note", "promised_for", "by", "at"]


def attachment_download_url(attachment: Attachment) -> str:
    """The web view that checks the reader may see the complaint, with safe download headers."""
    return reverse("web:attachment", args=[attachment.complaint_id, attachment.pk])


class AttachmentOutput(OutputSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    download_url = serializers.SerializerMethodField(help_text="The workspace's download (session sign-in).")
    api_url = serializers.SerializerMethodField(help_text="The same file for a token-authenticated system.")

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_by", "created_at", "download_url", "api_url"]

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, attachment) -> str:
        return attachment_download_url(attachment)

    @extend_schema_field(serializers.CharField())
    def get_api_url(self, attachment) -> str:
        return reverse("api-v1:complaint-attachment", args=[attachment.complaint_id, attachment.pk])


class VisitOutput(serializers.Serializer):
    """One return visit (回访) as recorded: outcome, scores overall and per SERVQUAL dimension, answers."""

    at = serializers.DateTimeField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)
    round = serializers.IntegerField()
    outcome = serializers.CharField()
    method = serializers.CharField()
    satisfaction = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    dimensions = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5))
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
    notes = serializers.CharField(allow_blank=True)


class ExtensionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    working_days = serializers.IntegerField()
    reason = serializers.CharField()
    status = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.username")
    created_at = serializers.DateTimeField()
    due_before = serializers.DateTimeField(allow_null=True)
    due_after = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class ComplaintDetailOutput(ComplaintOutput):
    """Everything decided about a complaint, as typed fields (not only inside timeline JSON)."""

    customer_id = serializers.IntegerField()
    chosen_plan_text = serializers.SerializerMethodField()
    approved_by = serializers.CharField(source="approved_by.username", allow_null=True, default=None)
    needs_approval = serializers.SerializerMethodField()
    psychology = serializers.ListField(child=serializers.ChoiceField(choices=Psychology.choices))
    plan_options = serializers.ListField(child=serializers.CharField())
    satisfaction_dimensions = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5))
    suggestions = serializers.JSONField()
    allowed_actions = serializers.SerializerMethodField()
    contacts = ContactOutput(many=True)
    attachments = AttachmentOutput(many=True)
    visits = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()

    class Meta(ComplaintOutput.Meta):
        fields = [
            *ComplaintOutput.Meta.fields,
            # intake
            "customer_id", "about_person", "description", "demand", "psychology", "portal_submitted",
            # review and classification
            "is_valid", "invalid_reason", "invalid_explanation", "cause_type", "cause_detail", "solvability",
            "solvability_note", "suggestions",
            # handling
            "dispatched_at", "cause_analysis", "responsibility", "plan_options", "chosen_plan", "chosen_plan_text",
            "exceeds_authority", "compensation_amount", "compensation_description", "needs_approval",
            "approved_by", "approved_at", "approval_comment", "receipt_text", "receipt_submitted_at",
            "receipt_accepted_at", "handling_rounds",
            # time limits
            "first_answered_at", "implemented_at", "callbacks_missed", "escalated_at",
            # return visit and closure
            "visit_method", "satisfaction_dimensions", "visit_notes", "closed_at", "archived_at",
            "resolved_by_first_owner",
            # related
            "allowed_actions", "contacts", "attachments", "visits", "extensions",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_chosen_plan_text(self, c) -> str | None:
        if c.chosen_plan is None or not 0 <= c.chosen_plan < len(c.plan_options or []):
            return None
        return c.plan_options[c.chosen_plan]

    @extend_schema_field(serializers.BooleanField())
    def get_needs_approval(self, c) -> bool:
        return bool(c.compensation_amount and c.compensation_amount > 0) or c.exceeds_authority

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, c) -> list[str]:
        user = self.context.get("user")
        return [a.name for a in selectors.allowed_actions(complaint=c, user=user)] if user else []

    @extend_schema_field(VisitOutput(many=True))
    def get_visits(self, c):
        if self.context.get("new"):
            return []
        return VisitOutput(selectors.complaint_visits(complaint=c), many=True).data

    @extend_schema_field(ExtensionOutput(many=True))
    def get_extensions(self, c):
        if self.context.get("new"):
            return []
        return ExtensionOutput(selectors.complaint_extensions(complaint=c), many=True).data


class TimelineOutput(OutputSerializer):
    label = LabelField(EventType, source="type")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    before = serializers.DictField()
    after = serializers.DictField()
    reason = serializers.CharField(allow_blank=True, help_text="What the person typed (never a system sentence).")
    summary = serializers.SerializerMethodField(help_text="The system's sentence, in the request's language.")

    class Meta:
        model = TimelineEvent
        fields = ["id", "type", "label", "actor", "created_at", "from_status", "to_status", "before", "after", "reason",
                  "summary"]

    def get_summary(self, event) -> str:
        return events.describe(event)


def detail_response(request, complaint: Complaint, *, code: int = status.HTTP_200_OK, fresh: bool = False,
                    new: bool = False) -> Response:
    """The complaint as the caller now sees it; 204 when the action took it out of their sight
    (a department handing a ticket back no longer reads it). ``fresh``: ``complaint`` was just read
    with ``selectors.complaint_get`` for this caller, so it is not read again. ``new``: intake has
    just written it in this request, so it has no contacts, attachments, visits or extension
    requests yet, and none are read."""
    if not fresh:
        try:
            complaint = selectors.complaint_get(user=request.user, pk=complaint.pk)
        except Complaint.DoesNotExist:
            return Response(status=status.HTTP_204_NO_CONTENT)
    if new:
        complaint._prefetched_objects_cache = {"contacts": ContactLog.objects.none(),
                                               "attachments": Attachment.objects.none()}
    return Response(ComplaintDetailOutput(complaint, context={"user": request.user, "new": new}).data, status=code)


def get_complaint(request, pk: int) -> Complaint:
    try:
        return selectors.complaint_get(user=request.user, pk=pk)
    except Complaint.DoesNotExist:
        raise Http404


class ComplaintListApi(APIView):
    class Filter(serializers.Serializer):
        queue = serializers.ChoiceField(choices=[q.code for q in selectors.QUEUES], default="all")
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        category = serializers.SlugField(max_length=40, required=False)
        department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)
        date_from = BoundedDate(required=False)
        date_to = BoundedDate(required=False)
        search = serializers.CharField(max_length=100, required=False)
        overdue = serializers.BooleanField(required=False, default=False)
        cursor = serializers.CharField(max_length=200, required=False)
        page_size = serializers.IntegerField(min_value=1, max_value=200, required=False)

    @extend_schema(operation_id="complaints_list", parameters=[Filter],
                   responses={200: page_of(ComplaintOutput), **ERRORS})
    def get(self, request):
        filters = validate(self.Filter, request.query_params)
        filters.pop("cursor", None)
        filters.pop("page_size", None)
        qs = selectors.complaint_list(user=request.user, **filters)
        return paginate(request, self, list_columns(qs), ComplaintOutput, ordering=("-received_at", "-id"))


class ComplaintReceiveApi(APIView):
    """受理. With an ``Idempotency-Key`` header a retried or concurrent request returns the first
    complaint (200) instead of creating a second one (201)."""

    class ReceiveInput(serializers.Serializer):
        phone = serializers.CharField(max_length=30)
        customer_name = serializers.CharField(max_length=limits.NAME, required=False, default="", allow_blank=True)
        salutation = serializers.ChoiceField(choices=Salutation.choices, required=False, default="", allow_blank=True)
        address = serializers.CharField(max_length=limits.SHORT, required=False, default="", allow_blank=True)
        room = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
        preferred_language = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
        channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
        subject = serializers.CharField(max_length=limits.SHORT)
        about_person = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
        description = serializers.CharField(max_length=limits.DESCRIPTION)
        demand = serializers.CharField(max_length=limits.REASON, required=False, default="", allow_blank=True)
        emotion = serializers.ChoiceField(choices=Emotion.choices, required=False, default="", allow_blank=True)
        psychology = serializers.ListField(
            child=serializers.ChoiceField(choices=Psychology.choices), required=False, default=list, max_length=5
        )
        category = serializers.SlugRelatedField(
            slug_field="code", queryset=Category.objects.filter(active=True), required=False, default=None,
            allow_null=True,
        )

        def to_internal_value(self, data):
            # A slug with a NUL character cannot be looked up (PostgreSQL refuses it): say so.
            code = data.get("category") if hasattr(data, "get") else None
            if isinstance(code, str) and "\x00" in code:
                raise serializers.ValidationError({"category": [_("不能包含空字符。")]})
            return super().to_internal_value(data)

    Input = ReceiveInput

    @extend_schema(
        request=Input,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={201: ComplaintDetailOutput, 200: ComplaintDetailOutput, **ERRORS},
    )
    def post(self, request):
        data = validate(self.Input, request.data)
        key = request.headers.get("Idempotency-Key", "")
        complaint, created = services.complaint_receive_once(actor=request.user, key=key, **data)
        if created:
            # Just written by this caller (its first owner, who always reads it), with its customer,
            # owner and category in hand: answered from memory instead of the 8-join read.
            return detail_response(request, complaint, code=status.HTTP_201_CREATED, fresh=True, new=True)
        return detail_response(request, complaint)


class ComplaintDetailApi(APIView):
    @extend_schema(responses={200: ComplaintDetailOutput, **ERRORS})
    def get(self, request, pk: int):
        return detail_response(request, get_complaint(request, pk), fresh=True)


class ComplaintTimelineApi(APIView):
    @extend_schema(responses={200: page_of(TimelineOutput), **ERRORS})
    def get(self, request, pk: int):
        complaint = get_complaint(request, pk)
        return paginate(request, self, selectors.complaint_timeline(complaint=complaint), TimelineOutput,
                        ordering=("created_at", "id"))


class ComplaintByNumberApi(APIView):
    @extend_schema(responses={200: ComplaintDetailOutput, **ERRORS})
    def get(self, request, number: str):
        # Numbers are "TS" + digits; anything else (a NUL byte, a path trick) cannot exist.
        if not (len(number) <= 24 and number.isascii() and number.isalnum()):
            raise Http404
        try:
            complaint = selectors.complaint_get(user=request.user, number=number.upper())
        except Complaint.DoesNotExist:
            raise Http404
        return detail_response(request, complaint, fresh=True)


class AttachmentDownloadApi(APIView):
    """The file, for a caller who may see the complaint (a token works here; the web link needs a
    session). Same headers as the web download: the recorded type, nosniff, attachment disposition
    for anything but images."""

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY, **ERRORS})
    def get(self, request, pk: int, attachment_pk: int):
        try:
            item = selectors.attachment_get(user=request.user, complaint_pk=pk, pk=attachment_pk)
            stored = item.file.storage.open(item.file.name, "rb")
        except (Attachment.DoesNotExist, FileNotFoundError):
            raise Http404
        return protected_file_response(stored, content_type=item.content_type, filename=item.original_name)
