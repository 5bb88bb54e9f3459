"""Choice codes are SQL literals on PostgreSQL (``core.literals``), so the plans PostgreSQL keeps for
prepared statements — generic plans, made without the parameters — still use the partial indexes
that the codes prove (the open-queue index, the period and breach indexes of the timeline)."""

from __future__ import annotations

import re

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import F, Q

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import OPEN_STATUSES, ContactKind, Status
from complaintdesk.complaints.models import Complaint, ContactLog, TimelineEvent
from complaintdesk.complaints.tests.factories import make
from complaintdesk.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _sql(qs) -> tuple[str, list]:
    return qs.query.get_compiler(connection=connection).as_sql()


def test_codes_are_literals_and_anything_else_a_parameter(org):
    closed = make(org, Status.CLOSED)
    open_ = make(org, Status.HANDLING)
    cases = [
        (Complaint.objects.filter(status__in=OPEN_STATUSES), [open_.pk]),
        (Complaint.objects.filter(status=Status.CLOSED), [closed.pk]),
        (Complaint.objects.filter(~Q(status=Status.CLOSED)), [open_.pk]),
        (Complaint.objects.filter(status__in=[Status.CLOSED, None]), [closed.pk]),
        (Complaint.objects.exclude(status__in=OPEN_STATUSES), [closed.pk]),
    ]
    for qs, expected in cases:
        assert sorted(qs.values_list("pk", flat=True)) == sorted(expected)
        sql, params = _sql(qs)
        if connection.vendor == "postgresql":
            assert "'closed'" in sql or "'handling'" in sql, sql
            assert not [p for p in params if p in {s.value for s in Status}], params
        else:
            assert "'closed'" not in sql and "'handling'" not in sql
    # Not a code of the column: bound as before (and matches nothing).
    for value in ("no such status", "closed'); DROP TABLE x; --", "CLOSED"):
        sql, params = _sql(Complaint.objects.filter(status=value))
        assert value in params and value not in sql
        assert not Complaint.objects.filter(status__in=[value, "handling'"]).exists()
    sql, params = _sql(Complaint.objects.filter(status=F("number")))
    assert '"number"' in sql
    sql, params = _sql(ContactLog.objects.filter(kind=ContactKind.CALLBACK_PROMISED))
    assert ("'callback_promised'" in sql) == (connection.vendor == "postgresql")
    sql, params = _sql(OutboundMessage.objects.filter(status="queued"))
    assert ("'queued'" in sql) == (connection.vendor == "postgresql")
    sql, params = _sql(TimelineEvent.objects.filter(type__in=["deadline_breached"]))
    assert ("'deadline_breached'" in sql) == (connection.vendor == "postgresql")


def _generic_plan(sql: str, params: list) -> str:
    """EXPLAIN of ``sql`` prepared and planned generically, as a connection's sixth run would be."""
    numbered, count = sql, 0
    while "%s" in numbered:
        count += 1
        numbered = numbered.replace("%s", f"${count}", 1)
    raw = connection.connection
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"PREPARE generic_probe AS {numbered}")
        values = psycopg.ClientCursor(raw).mogrify(", ".join(["%s"] * count), params) if count else ""
        cursor.execute(f"EXPLAIN EXECUTE generic_probe{f'({values})' if count else ''}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE generic_probe")
    return plan


def test_generic_plans_still_use_the_open_queue_index(org, pinned_clock):
    make(org, Status.HANDLING)
    for user in (org.agent, org.supervisor):
        count = selectors.complaint_list(user=user, queue="department").order_by()
        assert count.count() == 1
        sql, params = _sql(count.values("pk")[:2001])
        if connection.vendor != "postgresql":  # no prepared plans: the codes stay parameters
            assert Status.HANDLING.value in params
            continue
        plan = _generic_plan(f"SELECT count(*) FROM ({sql}) s", list(params))
        assert "complaint_open_queue_idx" in plan, plan
        assert not re.search(r"status\)::text = ANY \(\(ARRAY\[\$", plan), plan
