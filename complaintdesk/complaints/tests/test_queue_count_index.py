"""The sidebar's queue counts read the open cases from ``complaint_open_queue_idx`` alone on
PostgreSQL (an index-only scan: every column they test is in the index)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make

pytestmark = pytest.mark.django_db


def test_the_open_queue_counts_need_nothing_outside_the_index(org, pinned_clock):
    make(org, Status.HANDLING)
    for user in (org.agent, org.handler, org.supervisor):
        with CaptureQueriesContext(connection) as ctx:
            counts = selectors.queue_counts(user)
        assert counts["all"] >= 1
        aggregate = next(q["sql"] for q in ctx.captured_queries if "FILTER" in q["sql"])
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("EXPLAIN " + aggregate)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Only Scan using complaint_open_queue_idx" in plan, (user.role, plan)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'complaint_open_queue_idx'")
                assert cursor.fetchone() is not None
