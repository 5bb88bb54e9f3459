"""Health, readiness and metrics endpoints (no login: the proxy, the orchestrator and Prometheus
call them; /metrics is limited to the addresses or token in settings)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from complaintdesk.ops import health, metrics


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    ready, checks = health.readiness()
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


def _may_scrape(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given, token)
    return request.META.get("REMOTE_ADDR", "") in getattr(settings, "METRICS_ALLOWED_ADDRESSES", ())


@never_cache
@require_GET
def metrics_view(request):
    if not _may_scrape(request):
        return HttpResponseForbidden("metrics: not allowed from this address")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
