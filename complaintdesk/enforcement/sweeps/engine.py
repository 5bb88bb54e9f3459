"""Running a sweep: find the due rows with one indexed query, then act on them in chunks.

Each chunk is one short transaction: the rows are locked with ``SKIP LOCKED`` (a second worker
— another process, or one of this run's parallel chunk threads — takes other rows instead of
waiting), re-checked inside the transaction
(a row another worker already handled no longer matches), and acted on by the service. A failing
chunk rolls back alone and is counted; the next run finds its rows again. Every run leaves a
:class:`~complaintdesk.sla.models.SweepRun`.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections, transaction

from complaintdesk.core import clock
from complaintdesk.enforcement.sweeps.rules import Context
from complaintdesk.sla.models import SweepRun

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    found: int = 0
    acted: int = 0
    skipped: int = 0
    errors: int = 0
    error_text: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sweep:
    """``find(ctx) -> ids`` (no locks) and ``act(ids, ctx) -> ids acted on`` (inside the chunk's
    transaction; must lock with SKIP LOCKED and re-check)."""

    name: str
    label: str
    find: Callable
    act: Callable


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def sweep_workers() -> int:
    """Parallel chunk workers for a run: several on PostgreSQL (SKIP LOCKED lets them share the
    due rows without waiting on each other), one on SQLite (a single writer anyway), and one
    inside an outer transaction (tests), where other connections could not see the rows."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, getattr(settings, "SLA_SWEEP_WORKERS", 2))


def _act(sweep: Sweep, chunk: list[int], ctx, outcome: Outcome, lock: threading.Lock) -> None:
    try:
        with transaction.atomic():
            done = sweep.act(chunk, ctx)
        with lock:
            outcome.acted += len(done)
            outcome.skipped += len(chunk) - len(done)
    except Exception as exc:  # one bad chunk must not stop the others
        with lock:
            outcome.errors += 1
            outcome.error_text.append(f"{type(exc).__name__}: {exc}")
        log.exception("sweep %s: chunk starting at %s failed", sweep.name, chunk[0])


def _worker(sweep: Sweep, chunks: queue.SimpleQueue, ctx, outcome: Outcome, lock: threading.Lock) -> None:
    try:
        while True:
            try:
                chunk = chunks.get_nowait()
            except queue.Empty:
                return
            _act(sweep, chunk, ctx, outcome, lock)
    finally:
        connections.close_all()  # this thread's connections only


def run_sweep(
    sweep: Sweep, *, chunk_size: int | None = None, workers: int | None = None, context_factory=None
) -> SweepRun:
    started = time.perf_counter()
    now = clock.now()
    run = SweepRun.objects.create(name=sweep.name, started_at=now, as_of=now, worker=worker_name())
    outcome = Outcome()
    lock = threading.Lock()
    size = chunk_size or getattr(settings, "SLA_SWEEP_CHUNK", 2000)
    try:
        ctx = (context_factory or Context.load)(now)
        ids = list(sweep.find(ctx))
        outcome.found = len(ids)
        chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
        parallel = min(workers or sweep_workers(), len(chunks))
        if parallel > 1:
            ctx.prepare()
            pending: queue.SimpleQueue = queue.SimpleQueue()
            for chunk in chunks:
                pending.put(chunk)
            threads = [
                threading.Thread(target=_worker, args=(sweep, pending, ctx, outcome, lock), name=f"sweep-{i}")
                for i in range(parallel)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        else:
            for chunk in chunks:
                _act(sweep, chunk, ctx, outcome, lock)
    except Exception:
        outcome.errors += 1
        outcome.error_text.append(traceback.format_exc(limit=5))
        log.exception("sweep %s failed", sweep.name)
    run.finished_at = clock.now()
    run.found, run.acted, run.skipped, run.errors = (
        outcome.found,
        outcome.acted,
        outcome.skipped,
        outcome.errors,
    )
    run.error_text = "\n".join(outcome.error_text)[:5000]
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(
        update_fields=["finished_at", "found", "acted", "skipped", "errors", "error_text", "duration_ms"]
    )
    if outcome.acted or outcome.errors:
        log.info(
            "sweep %s: found %s acted %s errors %s", sweep.name, outcome.found, outcome.acted, outcome.errors
        )
    return run
