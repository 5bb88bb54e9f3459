"""Thin Celery tasks over the sweeps. A sweep re-run finds nothing left to do, so a retried or
duplicated task is harmless."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from complaintdesk.core import clock
from complaintdesk.enforcement.sweeps import run
from complaintdesk.sla.models import SweepRun


@shared_task(acks_late=True, ignore_result=True)
def run_sweep_task(name: str) -> dict:
    result = run(name)
    return {"name": name, "found": result.found, "acted": result.acted, "errors": result.errors}


@shared_task(acks_late=True, ignore_result=True)
def prune_sweep_runs() -> int:
    keep = dt.timedelta(days=getattr(settings, "SLA_SWEEP_RUN_RETENTION_DAYS", 14))
    deleted, _ = SweepRun.objects.filter(started_at__lt=clock.now() - keep).delete()
    return deleted
