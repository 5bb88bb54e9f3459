"""Search by the last digits of a phone or a number (尾号): on PostgreSQL the matches come from the
two covering indexes of migration complaints 0021 alone, newest first and at most ``TAIL_MATCHES``
of them; their receipt times for the page's order from ``complaint_id_received_idx``
(docs/BENCHMARKS.md, session 21: each tail search read ≈ 2,000 rows of the table before)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make
from complaintdesk.complaints.tests.test_generic_plans import _generic_plan
from complaintdesk.core import changes

pytestmark = pytest.mark.django_db

TAIL_SQL_MARK = "reverse(contact_phone) ~>=~"


def _received(complaint, when) -> None:
    with transaction.atomic(), changes.complaints_changing([complaint.pk]):
        Complaint.objects.filter(pk=complaint.pk).update(received_at=when)


def _found(org, term: str) -> list[int]:
    return list(selectors.complaint_list(user=org.supervisor, search=term).values_list("pk", flat=True))


def test_a_tail_finds_phones_and_numbers_newest_first(org):
    old = make(org, Status.RECEIVED, phone="13900007788")
    new = make(org, Status.RECEIVED, phone="13900017788")
    other = make(org, Status.RECEIVED, phone="13900001234")
    _received(old, new.received_at - dt.timedelta(days=30))
    assert _found(org, "7788") == [new.pk, old.pk]
    assert _found(org, "17788") == [new.pk]
    number_tail = other.number[-5:]
    found = set(_found(org, number_tail))
    assert other.pk in found
    assert all(c.number.endswith(number_tail) or c.contact_phone.endswith(number_tail)
               for c in Complaint.objects.filter(pk__in=found))
    assert _found(org, "99999999") == []


def test_a_tail_shared_by_many_is_searched_among_its_newest(org, monkeypatch):
    made = [make(org, Status.RECEIVED, phone=f"139000{i}0456") for i in range(4)]
    for age, c in enumerate(reversed(made)):
        _received(c, made[-1].received_at - dt.timedelta(days=age))
    monkeypatch.setattr(selectors, "TAIL_MATCHES", 2)
    found = _found(org, "0456")
    if connection.vendor == "postgresql":
        assert found == [made[-1].pk, made[-2].pk]
    else:  # SQLite: a plain suffix match, every match
        assert set(found) == {c.pk for c in made}


def test_the_tail_is_read_from_the_indexes_in_every_plan(org):
    """A range with parameters for bounds can use the index in a generic plan (a prepared statement's
    sixth run); ``LIKE $1`` cannot, and the plan read the whole table (415 ms at 10 M for a
    frequent tail, seconds for a rare one)."""
    make(org, Status.RECEIVED, phone="13900005678")
    executed = []

    def keep(execute, sql, params, many, context):
        if TAIL_SQL_MARK in sql:
            executed.append((sql, list(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        found = _found(org, "5678")
    assert len(found) == 1
    if connection.vendor != "postgresql":
        assert executed == []  # SQLite: a suffix match in the query itself
        return
    (sql, params), = executed
    assert "LIKE" not in sql.upper()
    plan = _generic_plan(sql, params)
    assert "complaint_phone_rev_idx" in plan and "complaint_number_rev_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                       "('complaint_phone_rev_idx', 'complaint_number_rev_idx', 'complaint_id_received_idx')")
        definitions = dict(cursor.fetchall())
    # Covering: the matches, their receipt times and ids come from the indexes without the table.
    assert "INCLUDE (contact_phone, received_at, id)" in definitions["complaint_phone_rev_idx"]
    assert "INCLUDE (number, received_at, id)" in definitions["complaint_number_rev_idx"]
    assert "INCLUDE (received_at)" in definitions["complaint_id_received_idx"]


def test_the_matches_go_to_the_database_as_one_parameter(org):
    """Up to 2,000 ids, for the count, the page's ids and its rows: one array parameter on
    PostgreSQL, so each query is compiled, bound and planned once for any number of matches."""
    made = [make(org, Status.RECEIVED, phone=f"139000{i}0456") for i in range(3)]
    qs = selectors.complaint_list(user=org.supervisor, search="0456")
    sql, params = qs.query.sql_with_params()
    assert sorted(qs.values_list("pk", flat=True)) == sorted(c.pk for c in made)
    if connection.vendor == "postgresql":
        assert '"complaints_complaint"."id" = ANY(%s)' in sql
        assert sorted(next(p for p in params if isinstance(p, list))) == sorted(c.pk for c in made)
    else:
        assert "ANY(" not in sql
