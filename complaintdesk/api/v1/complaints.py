"""Complaints over HTTP: thin views over selectors and services (one view per operation)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.complaints import events, selectors, services
from complaintdesk.complaints.choices import Channel, ContactKind, Emotion, Status, VisitMethod
from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.org.models import Department, User


class ComplaintOutput(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name")
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.CharField(source="department.code", default=None)
    handler = serializers.CharField(source="handler.username", default=None)
    first_owner = serializers.CharField(source="first_owner.username")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Complaint
        fields = [
            "id", "number", "status", "status_label", "channel", "received_at", "customer_name", "contact_phone",
            "address", "subject", "description", "demand", "emotion", "nature", "category", "dimension",
            "priority", "escalation_level", "escalation_risk", "department", "handler", "first_owner",
            "first_answer_due_at", "implement_due_at", "visit_due_at", "repeat_of", "repeat_count",
            "closure_reason", "satisfaction", "suggestions",
        ]
        read_only_fields = fields


class TimelineOutput(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField(source="get_type_display")
    actor = serializers.CharField(source="actor.username", default=None)
    created_at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    reason = serializers.CharField(help_text="What the person typed (never a system sentence).")
    summary = serializers.SerializerMethodField(help_text="The system's sentence, in the request's language.")

    def get_summary(self, event) -> str:
        return events.describe(event)


def _validate(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationFailed({k: [str(m) for m in v] for k, v in serializer.errors.items()})
    return serializer.validated_data


class ComplaintListApi(APIView):
    class Filter(serializers.Serializer):
        queue = serializers.ChoiceField(choices=[q.code for q in selectors.QUEUES], default="all")
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        category = serializers.CharField(required=False)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)
        search = serializers.CharField(required=False)
        overdue = serializers.BooleanField(required=False, default=False)

    @extend_schema(parameters=[Filter], responses=ComplaintOutput(many=True))
    def get(self, request):
        filters = _validate(self.Filter, request.query_params)
        qs = selectors.complaint_list(user=request.user, **filters)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ComplaintOutput(page, many=True).data)


class ComplaintReceiveApi(APIView):
    class Input(serializers.Serializer):
        phone = serializers.CharField(max_length=30)
        customer_name = serializers.CharField(max_length=60, required=False, default="")
        salutation = serializers.ChoiceField(choices=["", "mr", "ms"], required=False, default="")
        address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
        room = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
        channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
        subject = serializers.CharField(max_length=200)
        description = serializers.CharField(max_length=20000)
        demand = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
        emotion = serializers.ChoiceField(choices=Emotion.choices, required=False, default="")
        category = serializers.SlugRelatedField(
            slug_field="code", queryset=Category.objects.filter(active=True), required=False, default=None
        )

    @extend_schema(request=Input, responses={201: ComplaintOutput})
    def post(self, request):
        data = _validate(self.Input, request.data)
        complaint = services.complaint_receive(actor=request.user, **data)
        return Response(ComplaintOutput(complaint).data, status=status.HTTP_201_CREATED)


def _complaint(request, pk: int) -> Complaint:
    try:
        return selectors.complaint_get(user=request.user, pk=pk)
    except Complaint.DoesNotExist:
        raise Http404


class ComplaintDetailApi(APIView):
    @extend_schema(responses=ComplaintOutput)
    def get(self, request, pk: int):
        return Response(ComplaintOutput(_complaint(request, pk)).data)


class ComplaintTimelineApi(APIView):
    @extend_schema(responses=TimelineOutput(many=True))
    def get(self, request, pk: int):
        complaint = _complaint(request, pk)
        return Response(TimelineOutput(selectors.complaint_timeline(complaint=complaint), many=True).data)


class ActionInput(serializers.Serializer):
    """Fields used by the actions; each action reads the ones it needs (see the service)."""

    reason = serializers.CharField(required=False, default="", allow_blank=True)
    explanation = serializers.CharField(required=False, default="", allow_blank=True)
    comment = serializers.CharField(required=False, default="", allow_blank=True)
    text = serializers.CharField(required=False, default="", allow_blank=True)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    department = serializers.CharField(required=False, default="")
    handler = serializers.CharField(required=False, default="")
    cause_analysis = serializers.CharField(required=False, default="", allow_blank=True)
    responsibility = serializers.CharField(required=False, default="", allow_blank=True)
    plan_options = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    chosen_plan = serializers.IntegerField(required=False, default=0)
    compensation_amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, default=0)
    compensation_description = serializers.CharField(required=False, default="", allow_blank=True)
    exceeds_authority = serializers.BooleanField(required=False, default=False)
    outcome = serializers.ChoiceField(choices=["satisfied", "unsatisfied", "declined"], required=False)
    method = serializers.ChoiceField(choices=VisitMethod.choices, required=False, default=VisitMethod.PHONE)
    satisfaction = serializers.IntegerField(required=False, allow_null=True, default=None)
    exemption = serializers.CharField(required=False, default="")
    kind = serializers.ChoiceField(choices=ContactKind.choices, required=False, default=ContactKind.OTHER)
    promised_for = serializers.DateTimeField(required=False, allow_null=True, default=None)
    override_language = serializers.BooleanField(required=False, default=False)


def _handler(username: str):
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationFailed({"handler": ["处理人不存在。"]})
    return user


def _dept(code: str):
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise ValidationFailed({"department": ["责任部门不存在。"]})
    return department


ACTION_CALLS = {
    "review_valid": lambda c, u, d: services.complaint_review_valid(complaint=c, actor=u),
    "review_invalid": lambda c, u, d: services.complaint_review_invalid(
        complaint=c, actor=u, reason=d["reason"], explanation=d["explanation"], override_language=d["override_language"]
    ),
    "dispatch": lambda c, u, d: services.complaint_dispatch(
        complaint=c, actor=u, department=_dept(d["department"]), handler=_handler(d["handler"]), note=d["note"]
    ),
    "transfer": lambda c, u, d: services.complaint_transfer(
        complaint=c, actor=u, department=_dept(d["department"]), handler=_handler(d["handler"]), reason=d["reason"]
    ),
    "hand_back": lambda c, u, d: services.complaint_hand_back(complaint=c, actor=u, reason=d["reason"]),
    "accept_ticket": lambda c, u, d: services.complaint_accept_ticket(complaint=c, actor=u),
    "submit_plan": lambda c, u, d: services.complaint_submit_plan(
        complaint=c, actor=u, cause_analysis=d["cause_analysis"], responsibility=d["responsibility"],
        plan_options=d["plan_options"], chosen_plan=d["chosen_plan"], compensation_amount=d["compensation_amount"],
        compensation_description=d["compensation_description"], exceeds_authority=d["exceeds_authority"],
        override_language=d["override_language"],
    ),
    "approve_plan": lambda c, u, d: services.complaint_approve_plan(complaint=c, actor=u, comment=d["comment"]),
    "reject_plan": lambda c, u, d: services.complaint_reject_plan(complaint=c, actor=u, comment=d["comment"]),
    "submit_receipt": lambda c, u, d: services.complaint_submit_receipt(complaint=c, actor=u, text=d["text"]),
    "accept_receipt": lambda c, u, d: services.complaint_accept_receipt(complaint=c, actor=u),
    "reject_receipt": lambda c, u, d: services.complaint_reject_receipt(complaint=c, actor=u, reason=d["reason"]),
    "visit": lambda c, u, d: services.complaint_record_visit(
        complaint=c, actor=u, outcome=d.get("outcome") or "", method=d["method"], satisfaction=d["satisfaction"],
        notes=d["note"],
    ),
    "close_exempt": lambda c, u, d: services.complaint_close_exempt(
        complaint=c, actor=u, exemption=d["exemption"], note=d["note"]
    ),
    "archive": lambda c, u, d: services.complaint_archive(complaint=c, actor=u),
    "reopen": lambda c, u, d: services.complaint_reopen(complaint=c, actor=u, reason=d["reason"]),
    "escalate": lambda c, u, d: services.complaint_escalate(complaint=c, actor=u, reason=d["reason"]),
    "log_contact": lambda c, u, d: services.complaint_log_contact(
        complaint=c, actor=u, kind=d["kind"], note=d["note"], promised_for=d["promised_for"],
        override_language=d["override_language"],
    ),
    "add_note": lambda c, u, d: services.complaint_add_note(complaint=c, actor=u, text=d["text"]),
}


class ComplaintActionApi(APIView):
    @extend_schema(
        request=ActionInput,
        responses=ComplaintOutput,
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTION_CALLS))],
    )
    def post(self, request, pk: int, action: str):
        call = ACTION_CALLS.get(action)
        if call is None:
            raise Http404
        complaint = _complaint(request, pk)
        data = _validate(ActionInput, request.data)
        call(complaint, request.user, data)
        complaint.refresh_from_db()
        return Response(ComplaintOutput(complaint).data)


class ComplaintByNumberApi(APIView):
    @extend_schema(responses=ComplaintOutput)
    def get(self, request, number: str):
        complaint = get_object_or_404(Complaint, number=number)
        return Response(ComplaintOutput(_complaint(request, complaint.pk)).data)
