"""Reads of import batches (the log of every import)."""

from __future__ import annotations

from django.db.models import QuerySet

from complaintdesk.imports.models import ImportBatch


def batch_list(*, limit: int = 20) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]


def batch_get(*, pk: int) -> ImportBatch:
    return ImportBatch.objects.select_related("created_by").get(pk=pk)
