"""Text checks over HTTP: the forbidden-phrase checker and the classifier's suggestions."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.v1.complaints import _validate


class TextInput(serializers.Serializer):
    text = serializers.CharField(max_length=20000, allow_blank=True)


class ViolationOutput(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    phrase = serializers.CharField()
    rule = serializers.CharField()
    suggestion = serializers.CharField()


class PhraseCheckApi(APIView):
    @extend_schema(request=TextInput, responses=ViolationOutput(many=True))
    def post(self, request):
        from complaintdesk.language.services import check_customer_text

        text = _validate(TextInput, request.data)["text"]
        return Response({"violations": ViolationOutput(check_customer_text(text), many=True).data})


class SuggestApi(APIView):
    @extend_schema(request=TextInput, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        from complaintdesk.language.services import suggest

        return Response(suggest(_validate(TextInput, request.data)["text"]))
