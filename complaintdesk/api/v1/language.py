"""Text checks over HTTP: the forbidden-phrase checker and the classifier's suggestions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import ErrorOutput
from complaintdesk.api.v1.base import validate
from complaintdesk.core import limits
from complaintdesk.language.services import FIELDS, check_customer_text, suggest


class TextInput(serializers.Serializer):
    text = serializers.CharField(max_length=limits.DESCRIPTION, allow_blank=True, trim_whitespace=False)


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
    @extend_schema(request=TextInput, responses={200: CheckOutput, 400: ErrorOutput})
    def post(self, request):
        text = validate(TextInput, request.data)["text"]
        return Response({"violations": ViolationOutput(check_customer_text(text), many=True).data})


class SuggestApi(APIView):
    @extend_schema(request=TextInput, responses={200: SuggestOutput, 400: ErrorOutput})
    def post(self, request):
        return Response(suggest(validate(TextInput, request.data)["text"]))
