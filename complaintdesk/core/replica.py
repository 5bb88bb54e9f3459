"""Reports and dashboards read from a streaming replica; everything else uses the primary.

``with replica_reads():`` (or the ``@replica_reads()`` decorator on a view) marks the reads of a
block as report reads. :class:`ReplicaRouter` sends them to the ``replica`` database alias when one
is configured (``REPLICA_DATABASE_URL``) and it is close enough to the primary: a replica that
lags more than ``REPLICA_MAX_LAG_SECONDS`` behind, or that does not answer, is skipped and the
primary answers instead — a report is never older than that bound. Writes always go to the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)
REPLICA = "replica"
_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)
_health: dict = {"checked": 0.0, "ok": False}
_lock = threading.Lock()


class replica_reads(contextlib.ContextDecorator):
    """Reads inside go to the replica when it is healthy (a context manager and a decorator)."""

    def __enter__(self):
        self._token = _reporting.set(True)
        return self

    def __exit__(self, *exc):
        _reporting.reset(self._token)
        return False


def replica_lag_seconds() -> float:
    """How far the replica is behind: 0 when it has replayed everything the primary has written;
    otherwise the age of the last replayed transaction."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        primary_lsn = cursor.fetchone()[0]
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()) <= 0, "
            "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)",
            [primary_lsn],
        )
        caught_up, age = cursor.fetchone()
    return 0.0 if caught_up else float(age)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_usable() -> bool:
    """Checked at most every ``REPLICA_CHECK_SECONDS`` per process."""
    if not replica_configured():
        return False
    now = time.monotonic()
    if now - _health["checked"] < getattr(settings, "REPLICA_CHECK_SECONDS", 5):
        return _health["ok"]
    with _lock:
        try:
            lag = replica_lag_seconds()
            ok = lag <= getattr(settings, "REPLICA_MAX_LAG_SECONDS", 30)
            if not ok:
                log.warning("replica %.1f s behind: reports read from the primary", lag)
        except Exception:  # an unreachable replica must not take the reports down
            log.warning("replica not answering: reports read from the primary", exc_info=True)
            ok = False
        _health.update(checked=time.monotonic(), ok=ok)
    return ok


def reset_health() -> None:
    _health.update(checked=0.0, ok=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and replica_usable():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
