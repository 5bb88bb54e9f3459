"""Liveness and readiness, for the proxy and the orchestrator.

``/healthz``: the process answers (no dependency is touched, so a database outage does not get
every app server restarted). ``/readyz``: this process can serve — the database answers, every
migration is applied, and Redis answers when the deployment uses it (cache or broker).
"""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def check_database(alias: str = DEFAULT_DB_ALIAS) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_migrations(alias: str = DEFAULT_DB_ALIAS) -> str:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    return "ok"


def redis_urls() -> list[str]:
    urls = []
    cache = settings.CACHES.get("default", {})
    if "redis" in cache.get("BACKEND", "").lower():
        urls.append(cache["LOCATION"])
    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if broker.startswith(("redis://", "rediss://")):
        urls.append(broker)
    return list(dict.fromkeys(urls))


def check_redis() -> str:
    for url in redis_urls():
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    return "ok" if redis_urls() else "not used"


CHECKS = {"database": check_database, "migrations": check_migrations, "redis": check_redis}


def readiness() -> tuple[bool, dict]:
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            status = check()
        except Exception as exc:  # any failure means "not ready", with the reason for the operator
            ready, status = False, f"error: {type(exc).__name__}: {exc}"[:300]
        results[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return ready, results
