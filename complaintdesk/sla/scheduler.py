"""The in-process scheduler for the one-command setup (no broker, no beat, no worker).

A daemon thread wakes every ``tick`` seconds and runs, in order, each job of
:data:`~complaintdesk.sla.schedule.PERIODIC` whose interval has elapsed — the same task functions
Celery beat would send to a worker, called directly. With SQLite the web server and this thread
share the database through WAL; the sweeps' short transactions keep writers out of each other's
way.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.utils.module_loading import import_string

from complaintdesk.sla.schedule import PERIODIC, Job

log = logging.getLogger(__name__)


def task_for(job: Job):
    """The task object itself (importing its module registers it, as a worker's autodiscovery would)."""
    return import_string(job.task)


class Scheduler:
    def __init__(self, *, tick: float = 15.0, jobs: tuple[Job, ...] = PERIODIC):
        self.tick = tick
        self.jobs = jobs
        self.last_run: dict[str, float] = {}
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def due_jobs(self, now: float) -> list[Job]:
        return [j for j in self.jobs if now - self.last_run.get(j.name, float("-inf")) >= j.every_seconds]

    def run_once(self) -> list[str]:
        """Run every job that is due now; returns their names."""
        ran = []
        for job in self.due_jobs(time.monotonic()):
            try:
                task_for(job).apply(args=job.args, throw=True)
            except Exception:
                log.exception("scheduled job %s failed", job.name)
            self.last_run[job.name] = time.monotonic()
            ran.append(job.name)
        return ran

    def loop(self) -> None:
        log.info("in-process scheduler started: %d jobs, tick %ss", len(self.jobs), self.tick)
        while not self.stop_event.is_set():
            close_old_connections()  # like a request: never keep a broken or stale connection
            self.run_once()
            close_old_connections()
            self.stop_event.wait(self.tick)

    def start(self) -> threading.Thread:
        self.thread = threading.Thread(target=self.loop, name="complaintdesk-scheduler", daemon=True)
        self.thread.start()
        return self.thread

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
