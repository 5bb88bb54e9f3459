"""A small cache-based limiter for the portal's public forms (sign-in codes, tracking, submits).

Fixed windows counted in the shared cache (Redis in production, so every app server counts
together). ``complaintdesk.core.ratelimit`` is being written for the whole product; when it lands
the portal can switch to it — this module has the same two-call shape to make that a small change.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from complaintdesk.core import clock


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(clock.now().timestamp()) // window
    digest = hashlib.sha256(ident.encode()).hexdigest()[:24]
    return f"portal-rl:{scope}:{digest}:{bucket}"


def hit(scope: str, ident: str) -> bool:
    """Count one attempt for ``ident`` in ``scope``; ``False`` when the limit is already reached.

    Limits come from ``settings.PORTAL_RATE_LIMITS``: ``{scope: (attempts, window_seconds)}``.
    """
    limit, window = settings.PORTAL_RATE_LIMITS[scope]
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return True
    return count <= limit


def client_ip(request) -> str:
    """The client's address. Behind a proxy, set ``PORTAL_TRUSTED_PROXY_HEADER`` (e.g.
    ``HTTP_X_REAL_IP``) to a header the proxy sets itself; X-Forwarded-For from the client is
    never trusted by default because anyone can forge it."""
    header = getattr(settings, "PORTAL_TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
