"""Customers: look-up by phone (as the CTI does when a call comes in) and a customer's record."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import ErrorOutput
from complaintdesk.api.v1.base import OutputSerializer, validate
from complaintdesk.api.v1.complaints import ComplaintOutput, list_columns
from complaintdesk.complaints import selectors
from complaintdesk.complaints.services.intake import INTAKE_ROLES
from complaintdesk.customers.models import Customer
from complaintdesk.customers.services import phone_clean

HISTORY = 50


class CustomerOutput(OutputSerializer):
    phones = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = ["id", "name", "salutation", "address", "room", "preferred_language", "phones", "created_at"]

    def get_phones(self, customer) -> list[str]:
        return [p.number for p in customer.phones.order_by("-is_primary", "id")]


class CustomerDetailOutput(CustomerOutput):
    complaints = serializers.SerializerMethodField()

    class Meta(CustomerOutput.Meta):
        fields = [*CustomerOutput.Meta.fields, "complaints"]

    @extend_schema_field(ComplaintOutput(many=True))
    def get_complaints(self, customer):
        user = self.context["user"]
        qs = list_columns(selectors.complaint_list(user=user).filter(customer_id=customer.pk))[:HISTORY]
        return ComplaintOutput(qs, many=True).data


class LookupOutput(serializers.Serializer):
    phone = serializers.CharField()
    results = CustomerOutput(many=True)


def _desk_only(user) -> None:
    # Customer records are the service desk's; handlers see a customer only through their case.
    if user.role not in INTAKE_ROLES:
        raise PermissionDenied()


class CustomerLookupApi(APIView):
    class Filter(serializers.Serializer):
        phone = serializers.CharField(max_length=30)

    @extend_schema(operation_id="customers_lookup", parameters=[Filter], responses={200: LookupOutput, 400: ErrorOutput, 403: ErrorOutput})
    def get(self, request):
        _desk_only(request.user)
        phone = phone_clean(validate(self.Filter, request.query_params)["phone"])
        customers = Customer.objects.filter(phones__number=phone).prefetch_related("phones").distinct()
        return Response({"phone": phone, "results": CustomerOutput(customers, many=True).data})


class CustomerDetailApi(APIView):
    @extend_schema(responses={200: CustomerDetailOutput, 403: ErrorOutput, 404: ErrorOutput})
    def get(self, request, pk: int):
        _desk_only(request.user)
        customer = Customer.objects.filter(pk=pk).first()
        if customer is None:
            raise Http404
        return Response(CustomerDetailOutput(customer, context={"user": request.user}).data)
