"""Reads of kept reports."""

from __future__ import annotations

from django.db.models import QuerySet

from complaintdesk.reports.models import Report


def report_list(*, kind: str = "", scope: str = "") -> QuerySet[Report]:
    qs = Report.objects.select_related("department").order_by("-first_day", "-last_day", "kind", "scope")
    if kind:
        qs = qs.filter(kind=kind)
    if scope:
        qs = qs.filter(scope=scope)
    return qs


def report_get(*, pk: int) -> Report:
    return Report.objects.select_related("department").get(pk=pk)
