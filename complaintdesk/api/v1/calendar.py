"""The working-day calendar (法定节假日, 调休) and the deadlines coming due for the caller."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaintdesk.api.errors import ErrorOutput
from complaintdesk.api.v1.base import BoundedDate, page_of, paginate, validate
from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.core import clock
from complaintdesk.sla.calendar import CalendarOutOfRange
from complaintdesk.sla.deadlines import get_calendar
from complaintdesk.sla.models import CalendarDay

MAX_DAYS = 366


class DayOutput(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField(allow_null=True, help_text="null: outside the known calendar")
    kind = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)


class CalendarOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    days = DayOutput(many=True)


class CalendarApi(APIView):
    class Filter(serializers.Serializer):
        date_from = BoundedDate(required=False)
        date_to = BoundedDate(required=False)

        def validate(self, attrs):
            today = timezone.localdate(clock.now())
            start = attrs.get("date_from") or today
            end = attrs.get("date_to") or start + dt.timedelta(days=30)
            if end < start or (end - start).days >= MAX_DAYS:
                raise serializers.ValidationError(
                    {"date_to": [_("日期范围须在%(n)s天以内且不早于起始日期。") % {"n": MAX_DAYS}]}
                )
            return {"date_from": start, "date_to": end}

    @extend_schema(parameters=[Filter], responses={200: CalendarOutput, 400: ErrorOutput})
    def get(self, request):
        f = validate(self.Filter, request.query_params)
        start, end = f["date_from"], f["date_to"]
        calendar = get_calendar()
        named = {d.date: d for d in CalendarDay.objects.filter(date__gte=start, date__lte=end)}
        days = []
        for offset in range((end - start).days + 1):
            day = start + dt.timedelta(days=offset)
            try:
                working = calendar.is_working_day(day)
            except CalendarOutOfRange:
                working = None
            row = named.get(day)
            days.append({"date": day, "is_working_day": working, "kind": row.kind if row else "",
                         "name": row.name if row else ""})
        return Response({"date_from": start, "date_to": end, "days": DayOutput(days, many=True).data})


class DeadlineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    subject = serializers.CharField()
    first_answer_due_at = serializers.DateTimeField(allow_null=True)
    implement_due_at = serializers.DateTimeField(allow_null=True)
    next_callback_due_at = serializers.DateTimeField(allow_null=True)
    visit_due_at = serializers.DateTimeField(allow_null=True)
    first_answer_breached = serializers.BooleanField()
    implement_breached = serializers.BooleanField()
    callbacks_missed = serializers.IntegerField()


class DeadlineListApi(APIView):
    """The caller's open complaints with a deadline in the next 24 hours or already passed
    (the 即将超时 and 已超时 queues)."""

    class Filter(serializers.Serializer):
        which = serializers.ChoiceField(choices=["due_soon", "overdue"], default="due_soon")
        cursor = serializers.CharField(max_length=200, required=False)
        page_size = serializers.IntegerField(min_value=1, max_value=200, required=False)

    @extend_schema(parameters=[Filter], responses={200: page_of(DeadlineOutput), 400: ErrorOutput})
    def get(self, request):
        f = validate(self.Filter, request.query_params)
        qs = selectors.complaint_list(user=request.user, queue=f["which"])
        return paginate(request, self, qs, DeadlineOutput, ordering=("-received_at", "-id"))
