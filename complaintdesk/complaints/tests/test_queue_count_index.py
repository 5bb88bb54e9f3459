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


def test_the_reports_open_case_snapshots_need_nothing_outside_the_index(org, pinned_clock):
    """The ageing table and the report's high-risk count read the same index (received_at and
    escalation_risk are in it)."""
    from complaintdesk.complaints.models import Complaint
    from complaintdesk.core import clock
    from complaintdesk.reports import breakdowns as bd
    from complaintdesk.reports import contents
    from complaintdesk.reports import indicators as ind
    from complaintdesk.sla.deadlines import get_calendar

    make(org, Status.HANDLING)
    w = ind.Window(clock.now(), clock.now(), clock.now())
    with CaptureQueriesContext(connection) as ctx:
        rows = bd.ageing(get_calendar(), clock.now())
    assert sum(r.numerator for r in rows) == 1
    ageing = next(q["sql"] for q in ctx.captured_queries if "FILTER" in q["sql"])
    with CaptureQueriesContext(connection) as ctx:
        assert Complaint.objects.filter(contents.attention_q(w)["high_risk"]).count() == 0
    high_risk = ctx.captured_queries[-1]["sql"]
    if connection.vendor != "postgresql":
        return
    for sql in (ageing, high_risk):
        with transaction.atomic(), connection.cursor() as cursor:
            # On a table this small the planner may prefer (status, received_at) and read the rows;
            # without that index in the way, the open-queue index must answer alone.
            cursor.execute("DROP INDEX complaint_status_recv_idx")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        assert "Index Only Scan using complaint_open_queue_idx" in plan, plan


@pytest.mark.parametrize("queue", ["overdue", "escalated"])
def test_late_and_escalated_pages_find_their_ids_in_the_index(org, pinned_clock, queue):
    """已超时 and 已升级 sort by an expression of the receipt time (``selectors.SORTED_FROM_OPEN_INDEX``),
    so a page's ids come from the open-queue index alone instead of a walk of every complaint
    by receipt time that reads each from the table."""
    make(org, Status.HANDLING)
    if connection.vendor != "postgresql":
        return
    for user in (org.agent, org.handler, org.supervisor):
        ids = selectors.complaint_list(user=user, queue=queue).values_list("pk", flat=True)[:25]
        sql, params = ids.query.get_compiler(connection=connection).as_sql()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        # 已升级 may also come from (escalation_level, status) on a table this small; never from the walk.
        indexes = ("Index Only Scan using complaint_open_queue_idx",) + (
            ("using complaint_escalation_idx",) if queue == "escalated" else ())
        assert any(index in plan for index in indexes), (user.role, plan)
        assert "received_at_" not in plan, (user.role, plan)
