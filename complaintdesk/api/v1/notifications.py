"""The caller's own notifications, and the messages sent to a complaint's customer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import BoundedJSONParser, ErrorOutput
from complaintdesk.api.v1.base import MAX_ID, OutputSerializer, page_of, paginate, validate
from complaintdesk.api.v1.complaints import get_complaint
from complaintdesk.notifications import selectors as notices
from complaintdesk.notifications.models import Notification, OutboundMessage
from complaintdesk.notifications.services import notification_mark_read


class NotificationOutput(OutputSerializer):
    complaint = serializers.CharField(source="complaint.number", allow_null=True, default=None)
    complaint_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "complaint", "complaint_id", "created_at", "read_at"]


class NotificationListApi(APIView):
    class Filter(serializers.Serializer):
        unread = serializers.BooleanField(required=False, default=False)
        cursor = serializers.CharField(max_length=200, required=False)
        page_size = serializers.IntegerField(min_value=1, max_value=200, required=False)

    @extend_schema(parameters=[Filter], responses={200: page_of(NotificationOutput), 400: ErrorOutput})
    def get(self, request):
        f = validate(self.Filter, request.query_params)
        qs = notices.notifications_for(user=request.user, unread_only=f["unread"])
        return paginate(request, self, qs, NotificationOutput, ordering=("-created_at", "-id"))


class ReadOutput(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationReadApi(APIView):
    # JSON only: a form-encoded list of ids is parsed differently (a 500 the fuzzer found).
    parser_classes = [BoundedJSONParser]

    class ReadInput(serializers.Serializer):
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, allow_null=True, default=None,
            max_length=500, help_text="omit for all unread",
        )

    Input = ReadInput

    @extend_schema(request=Input, responses={200: ReadOutput, 400: ErrorOutput})
    def post(self, request):
        ids = validate(self.Input, request.data)["ids"]
        return Response({"marked": notification_mark_read(user=request.user, ids=ids)})


class MessageOutput(OutputSerializer):
    class Meta:
        model = OutboundMessage
        fields = ["id", "channel", "template_code", "to", "subject", "body", "status", "attempts", "created_at",
                  "sent_at"]


class ComplaintMessagesApi(APIView):
    """Messages sent (or queued) to the complaint's customer: SMS and e-mail, with their status."""

    @extend_schema(responses={200: page_of(MessageOutput), 404: ErrorOutput})
    def get(self, request, pk: int):
        complaint = get_complaint(request, pk)
        return paginate(request, self, notices.outbound_for(complaint_id=complaint.pk), MessageOutput,
                        ordering=("created_at", "id"))



