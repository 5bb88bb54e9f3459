"""The management figures (docs/indicators.md) for other systems: the same numbers as the
dashboard and ``manage.py indicators``, each with its numerator and denominator."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import ErrorOutput
from complaintdesk.api.v1.base import BoundedDate, validate
from complaintdesk.complaints.choices import Channel
from complaintdesk.core import clock
from complaintdesk.core.errors import NotPermitted
from complaintdesk.core.replica import replica_reads
from complaintdesk.org.models import Department
from complaintdesk.reports import indicators

MAX_DAYS = 800  # as the dashboard: two years at most
UNITS = [indicators.RATE, indicators.COUNT, indicators.AMOUNT, indicators.PER_MILLE]


class FigureOutput(serializers.Serializer):
    label = serializers.CharField(help_text="The indicator's name in the request's language.")
    unit = serializers.ChoiceField(choices=UNITS, help_text="rate: 0–1; per_mille: per 1,000; amount: 元")
    numerator = serializers.FloatField()
    denominator = serializers.IntegerField(allow_null=True, help_text="null: a plain count or amount")
    value = serializers.FloatField(allow_null=True, help_text="null: nothing to divide by")


class IndicatorsOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    department = serializers.CharField(allow_blank=True)
    category = serializers.CharField(allow_blank=True)
    channel = serializers.CharField(allow_blank=True)
    indicators = serializers.DictField(child=FigureOutput(), help_text="By indicator code (docs/indicators.md).")


class IndicatorsApi(APIView):
    class Filter(serializers.Serializer):
        date_from = BoundedDate(required=False, help_text="First local day (Asia/Shanghai); default 30 days ago.")
        date_to = BoundedDate(required=False, help_text="Last local day, included; default today.")
        department = serializers.SlugField(max_length=40, required=False, default="", allow_blank=True,
                                           help_text="A department's code.")
        category = serializers.SlugField(max_length=40, required=False, default="", allow_blank=True)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="", allow_blank=True)

        def validate(self, attrs):
            today = timezone.localdate(clock.now())
            end = attrs.get("date_to") or today
            start = attrs.get("date_from") or end - dt.timedelta(days=29)
            if end < start or (end - start).days > MAX_DAYS:
                raise serializers.ValidationError(
                    {"date_to": [_("日期范围须在%(n)s天以内且不早于起始日期。") % {"n": MAX_DAYS}]}
                )
            return {**attrs, "date_from": start, "date_to": end}

    @extend_schema(parameters=[Filter], responses={200: IndicatorsOutput, 400: ErrorOutput, 403: ErrorOutput})
    def get(self, request):
        if not request.user.is_supervisor_or_above:
            raise NotPermitted(_("只有主管、经理和管理员可以查看报表。"))
        f = validate(self.Filter, request.query_params)
        department_id = None
        if f["department"]:
            department_id = Department.objects.filter(code=f["department"]).values_list("pk", flat=True).first()
            if department_id is None:
                raise serializers.ValidationError({"department": [_("没有编码为“%(code)s”的部门。") % {"code": f["department"]}]})
        scope = indicators.Scope(department_id=department_id, category=f["category"], channel=f["channel"])
        window = indicators.Window.days(f["date_from"], f["date_to"], as_of=clock.now())
        with replica_reads():
            figures = indicators.compute(window, scope)
        return Response({
            "date_from": f["date_from"], "date_to": f["date_to"],
            "department": f["department"], "category": f["category"], "channel": f["channel"],
            "indicators": {
                code: {"label": str(indicators.BY_CODE[code].label), "unit": indicators.BY_CODE[code].unit,
                       **figure.as_dict()}
                for code, figure in figures.items()
            },
        })
