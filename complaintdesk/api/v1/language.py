"""Text checks over HTTP: the forbidden-phrase checker and the classifier's suggestions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import ErrorOutput
from complaintdesk.api.v1.base import MAX_ID, validate
from complaintdesk.api.v1.complaints import get_complaint
from complaintdesk.complaints.services.texts import flag_customer_text
from complaintdesk.core import limits
from complaintdesk.language.services import FIELDS, check_customer_text, suggest


class TextInput(serializers.Serializer):
    text = serializers.CharField(max_length=limits.DESCRIPTION, allow_blank=True, trim_whitespace=False)


class CheckInput(TextInput):
    complaint = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False,
        help_text="The complaint the text is written for: each flagged phrase is kept on it (服务用语质检).",
    )
    field = serializers.CharField(max_length=60, required=False, default="text")


class ViolationOutput(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    phrase = serializers.CharField()
    rule = serializers.CharField()
    suggestion = serializers.CharField(allow_blank=True)


class CheckOutput(serializers.Serializer):
    violations = ViolationOutput(many=True)


class SuggestionOutput(serializers.Serializer):
    label = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()
    model = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())


SuggestOutput = type(
    "SuggestOutput", (serializers.Serializer,), {field: SuggestionOutput() for field in FIELDS}
)


class PhraseCheckApi(APIView):
    @extend_schema(request=CheckInput, responses={200: CheckOutput, 400: ErrorOutput, 404: ErrorOutput})
    def post(self, request):
        data = validate(CheckInput, request.data)
        if data.get("complaint"):
            complaint = get_complaint(request, data["complaint"])
            found = flag_customer_text(complaint=complaint, actor=request.user, field=data["field"], text=data["text"])
        else:
            found = check_customer_text(data["text"])
        return Response({"violations": ViolationOutput(found, many=True).data})


class SuggestApi(APIView):
    @extend_schema(request=TextInput, responses={200: SuggestOutput, 400: ErrorOutput})
    def post(self, request):
        return Response(suggest(validate(TextInput, request.data)["text"]))
