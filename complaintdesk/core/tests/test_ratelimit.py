"""The cache-backed rate limiter the portal and tracking pages use."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from complaintdesk.core import clock
from complaintdesk.core.ratelimit import client_ip, hit, peek, ratelimit, reset

T = dt.datetime(2026, 3, 10, 9, 0, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    with clock.frozen(T):
        yield
    cache.clear()


def test_allows_the_limit_then_refuses_until_the_window_ends():
    results = [hit("track", "13812345678", limit=3, window=60) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[2].remaining == 0 and results[3].retry_after == 30  # window ends at 09:01:00
    assert hit("track", "13900000000", limit=3, window=60).allowed  # another key has its own count
    assert hit("other", "13812345678", limit=3, window=60).allowed  # and another scope
    assert not peek("track", "13812345678", limit=3, window=60).allowed
    clock.set_now(T + dt.timedelta(seconds=31))
    assert hit("track", "13812345678", limit=3, window=60).allowed


def test_reset_forgets_the_count_and_keys_are_hashed():
    for _ in range(3):
        hit("otp", "13812345678", limit=3, window=600)
    assert not hit("otp", "13812345678", limit=3, window=600).allowed
    assert not any("13812345678" in str(k) for k in cache._cache)  # locmem internals: no phone in clear
    reset("otp", "13812345678", window=600)
    assert hit("otp", "13812345678", limit=3, window=600).allowed


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        hit("x", "y", limit=0, window=60)


def test_client_ip_trusts_forwarded_for_only_behind_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.RATELIMIT_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.RATELIMIT_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"  # what our proxy saw; the client's own header is ignored


def test_decorator_answers_429_translated_with_retry_after():
    @ratelimit("portal.track", limit=2, window=600)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    assert view(factory.get("/portal/track/")).status_code == 200  # GET is not counted
    responses = [view(factory.post("/portal/track/", REMOTE_ADDR="1.1.1.1")) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2]["Retry-After"] == "570"
    assert "操作过于频繁" in responses[2].content.decode()
    assert view(factory.post("/portal/track/", REMOTE_ADDR="2.2.2.2")).status_code == 200
    api = view(factory.post("/api/v1/x/", REMOTE_ADDR="1.1.1.1"))
    assert api.status_code == 429 and json.loads(api.content)["code"] == "rate_limited"
