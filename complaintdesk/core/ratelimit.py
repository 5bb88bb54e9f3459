"""A small fixed-window rate limiter on the Django cache (Redis in production, so every app server
shares the counts; the local-memory cache in the embedded default).

Use :func:`hit` where you decide yourself what to answer, or the :func:`ratelimit` decorator on a
view (it answers 429 with ``Retry-After`` and a translated message)::

    from complaintdesk.core.ratelimit import client_ip, hit, ratelimit

    result = hit("portal.otp.phone", phone, limit=5, window=3600)
    if not result.allowed:
        ...  # result.retry_after seconds

    @ratelimit("portal.track", limit=20, window=600)                 # keyed by client IP
    @ratelimit("portal.otp", limit=5, window=3600, key=lambda r: r.POST.get("phone", ""))
    def view(request): ...

Keys are hashed before they reach the cache (a phone number is never stored in clear). Counting
is ``add`` + ``incr``, both atomic in Redis and in the local-memory cache, so concurrent requests
never both get the last slot.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from complaintdesk.core import clock


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def _cache_key(scope: str, key: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{bucket}", (bucket + 1) * window


def hit(scope: str, key: str, *, limit: int, window: int) -> RateLimitResult:
    """Count one attempt for ``key`` in ``scope``; allowed while at most ``limit`` per ``window`` s."""
    if limit <= 0 or window <= 0:
        raise ValueError("limit and window must be positive")
    now = clock.now().timestamp()
    cache_key, window_end = _cache_key(scope, key, window, now)
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        count = 1
    allowed = count <= limit
    return RateLimitResult(allowed, count, limit, 0 if allowed else max(1, math.ceil(window_end - now)))


def peek(scope: str, key: str, *, limit: int, window: int) -> RateLimitResult:
    """The state without counting (e.g. to show a form as blocked)."""
    now = clock.now().timestamp()
    cache_key, window_end = _cache_key(scope, key, window, now)
    count = cache.get(cache_key, 0)
    allowed = count < limit
    return RateLimitResult(allowed, count, limit, 0 if allowed else max(1, math.ceil(window_end - now)))


def reset(scope: str, key: str, *, window: int) -> None:
    """Forget the current window's count (e.g. after a successful sign-in)."""
    cache.delete(_cache_key(scope, key, window, clock.now().timestamp())[0])


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``RATELIMIT_PROXY_COUNT`` trusted proxies (production: 1), the
    address the nearest trusted proxy saw in ``X-Forwarded-For``; never a header a client can forge
    when no proxy is configured."""
    proxies = getattr(settings, "RATELIMIT_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many_requests(request: HttpRequest, result: RateLimitResult) -> HttpResponse:
    """429 in the request's language: JSON (the API's error format) or a short page."""
    minutes = max(1, math.ceil(result.retry_after / 60))
    message = _("操作过于频繁，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = JsonResponse({"detail": message, "code": "rate_limited", "errors": {}}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(result.retry_after)
    return response


def ratelimit(
    scope: str,
    *,
    limit: int,
    window: int,
    key: Callable[[HttpRequest], str] = client_ip,
    methods: Iterable[str] = ("POST",),
):
    """Decorate a view: each request with one of ``methods`` counts; over the limit → 429."""
    counted = {m.upper() for m in methods}

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in counted:
                result = hit(scope, key(request) or "", limit=limit, window=window)
                if not result.allowed:
                    return too_many_requests(request, result)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
