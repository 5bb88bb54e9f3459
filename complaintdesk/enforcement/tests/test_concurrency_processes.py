"""Two worker processes sweeping at once never escalate or notify twice; a worker killed mid-chunk
loses nothing and repeats nothing visible. Real processes and real locks: PostgreSQL row locks
with SKIP LOCKED, and SQLite's database-wide write lock in the embedded default."""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from complaintdesk.complaints.choices import EscalationLevel, EventType
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.notifications.models import Notification
from complaintdesk.sla.tests.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)
T0 = at(2026, 3, 10, 9)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def worker(start_at: float, *extra: str) -> subprocess.Popen:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    else:
        url = f"sqlite:///{settings['NAME']}"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.django.test",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "complaintdesk.enforcement.tests.sweep_worker",
            "first_answer_breach",
            (T0 + dt.timedelta(hours=1)).isoformat(),
            str(start_at),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def acted(proc: subprocess.Popen) -> int:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return int(out.split("acted=")[1].split()[0])


def test_two_processes_never_act_twice(org, row):
    complaints = [row(first_answer_due_at=T0) for _ in range(300)]
    start_at = time.time() + 2.0
    a, b = worker(start_at), worker(start_at)
    by_a, by_b = acted(a), acted(b)
    # Every row acted on exactly once between them. How they split the rows depends on which
    # process reaches the rows first (SKIP LOCKED on PostgreSQL, the write lock on SQLite); on a
    # loaded machine one may take them all, so only the sum is a rule.
    assert by_a + by_b == 300
    ids = [c.pk for c in complaints]
    assert TimelineEvent.objects.filter(complaint_id__in=ids, type=EventType.DEADLINE_BREACHED).count() == 300
    assert set(Complaint.objects.filter(pk__in=ids).values_list("escalation_level", flat=True)) == {
        EscalationLevel.SUPERVISOR
    }
    # agent (first owner) + supervisor, once each per complaint
    assert Notification.objects.filter(complaint_id__in=ids).count() == 600


def test_worker_killed_mid_chunk_loses_nothing_and_repeats_nothing(org, row):
    complaints = [row(first_answer_due_at=T0) for _ in range(100)]
    ids = [c.pk for c in complaints]
    killed = worker(time.time(), "2")  # dies inside its 2nd chunk, before that chunk commits
    killed.communicate(timeout=120)
    assert killed.returncode == 17
    assert Complaint.objects.filter(pk__in=ids, first_answer_breached=True).count() == 25  # 1st chunk only
    assert TimelineEvent.objects.filter(complaint_id__in=ids, type=EventType.DEADLINE_BREACHED).count() == 25
    assert acted(worker(time.time())) == 75
    assert TimelineEvent.objects.filter(complaint_id__in=ids, type=EventType.DEADLINE_BREACHED).count() == 100
    assert Notification.objects.filter(complaint_id__in=ids).count() == 200
