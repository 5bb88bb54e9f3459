"""The portal's limits on its public forms, counted by ``complaintdesk.core.ratelimit``.

Limits come from ``settings.PORTAL_RATE_LIMITS``: ``{scope: (attempts, window_seconds)}``; the
client address is the core limiter's (``RATELIMIT_PROXY_COUNT`` trusted proxies).
"""

from __future__ import annotations

from django.conf import settings

from complaintdesk.core import ratelimit as core_ratelimit

client_ip = core_ratelimit.client_ip


def hit(scope: str, ident: str) -> bool:
    """Count one attempt for ``ident`` in ``scope``; ``False`` once the limit is exceeded."""
    limit, window = settings.PORTAL_RATE_LIMITS[scope]
    return core_ratelimit.hit(f"portal.{scope}", ident, limit=limit, window=window).allowed
