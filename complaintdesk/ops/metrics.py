"""Prometheus metrics at ``/metrics``.

Request latency per view is measured in each process. Under gunicorn with several workers, set
``PROMETHEUS_MULTIPROC_DIR`` (an empty folder shared by the workers) and the exposition adds up
every worker's samples (prometheus-client's multiprocess mode). The domain gauges are read at
scrape time from small tables and indexed counts: SMS waiting to go out, the last duration of each
sweep, breaches marked in the last hour, and the Celery queue length on Redis.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import redis
from django.conf import settings
from django.db.models import Max, Sum
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from complaintdesk.core import clock
from complaintdesk.notifications.models import OutboundMessage, OutboundStatus
from complaintdesk.sla.models import SweepRun

REQUEST_SECONDS = Histogram(
    "complaintdesk_request_seconds",
    "Time to answer a request, by view.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)
BREACH_SWEEPS = ("first_answer_breach", "implement_breach", "callback_missed", "visit_overdue")


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUEST_SECONDS.labels(view, request.method, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


def celery_queue_length() -> int | None:
    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not broker.startswith(("redis://", "rediss://")):
        return None
    client = redis.Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=1)
    return int(client.llen(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")))


class DomainCollector:
    """Gauges computed when Prometheus scrapes (a few indexed queries, no loops over rows)."""

    def collect(self):
        pending = GaugeMetricFamily(
            "complaintdesk_notifications_pending", "Customer messages queued and not yet sent."
        )
        pending.add_metric([], OutboundMessage.objects.filter(status=OutboundStatus.QUEUED).count())
        yield pending

        durations = GaugeMetricFamily(
            "complaintdesk_sweep_last_duration_seconds", "Duration of each sweep's last run.", labels=["sweep"]
        )
        latest = SweepRun.objects.values("name").annotate(last=Max("pk"))
        for run in SweepRun.objects.filter(pk__in=[r["last"] for r in latest]).values("name", "duration_ms"):
            durations.add_metric([run["name"]], run["duration_ms"] / 1000)
        yield durations

        since = clock.now() - dt.timedelta(hours=1)
        breaches = GaugeMetricFamily(
            "complaintdesk_deadline_breaches_last_hour", "Deadlines marked breached in the last hour.",
            labels=["sweep"],
        )
        rows = (
            SweepRun.objects.filter(name__in=BREACH_SWEEPS, started_at__gte=since)
            .values("name")
            .annotate(acted=Sum("acted"))
        )
        counts = {r["name"]: r["acted"] or 0 for r in rows}
        for name in BREACH_SWEEPS:
            breaches.add_metric([name], counts.get(name, 0))
        yield breaches

        length = celery_queue_length()
        if length is not None:
            queue = GaugeMetricFamily("complaintdesk_celery_queue_length", "Tasks waiting in the Celery queue.")
            queue.add_metric([], length)
            yield queue


def exposition() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DomainCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
