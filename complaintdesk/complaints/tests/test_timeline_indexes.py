"""The timeline's indexes (docs/BENCHMARKS.md, "Indexes of the timeline"): the idempotency key is
unique only where it is set, and the reports' read of customer texts by period and the key lookup
use their small partial indexes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from complaintdesk.complaints.choices import EventType
from complaintdesk.complaints.models import TimelineEvent
from complaintdesk.complaints.tests.factories import receive
from complaintdesk.core import clock
from complaintdesk.reports import indicators

pytestmark = pytest.mark.django_db


def _event(complaint, **kwargs) -> TimelineEvent:
    return TimelineEvent.objects.create(complaint=complaint, type=EventType.CONTACT_LOGGED, created_at=clock.now(),
                                        **kwargs)


@pytest.mark.tally_unchecked  # writes timeline rows directly, to test the database's constraint
def test_a_key_is_written_once_and_events_without_a_key_are_many(org, pinned_clock):
    c = receive(org)
    _event(c)
    _event(c)
    _event(c, idempotency_key="sweep:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        _event(c, idempotency_key="sweep:1")
    assert TimelineEvent.objects.filter(complaint=c, idempotency_key__isnull=True).count() == 3  # received + 2
    assert TimelineEvent.objects.filter(idempotency_key="sweep:1").count() == 1


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask which index it can use
            return queryset.explain()
    return queryset.explain()


def test_reports_read_customer_texts_through_the_partial_index(org, pinned_clock):
    receive(org)
    now = clock.now()
    w = indicators.Window(start=now - dt.timedelta(days=30), end=now + dt.timedelta(days=1), as_of=now)
    texts = indicators.customer_texts(w).order_by()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            assert "timeline_period_idx" in _plan(texts)
    else:
        # SQLite matches a partial index only against literal values, not bound parameters: there
        # the index exists (for the small centres of the embedded default a scan is fine).
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'timeline_period_idx'")
            (sql,) = cursor.fetchone()
        assert all(f"'{t}'" in sql for t in (*indicators.CUSTOMER_TEXT_EVENTS, *indicators.LANGUAGE_EVENTS))
    assert {e.type for e in texts} <= {*indicators.CUSTOMER_TEXT_EVENTS, *indicators.LANGUAGE_EVENTS}


def test_the_key_lookup_uses_the_partial_unique_index(org, pinned_clock):
    receive(org)
    with transaction.atomic():
        assert "timeline_once" in _plan(TimelineEvent.objects.filter(idempotency_key="sweep:1"))


def test_no_index_of_its_own_on_complaint_or_on_created_at():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TimelineEvent._meta.db_table)
    single = {tuple(c["columns"]) for c in constraints.values() if c["index"] and len(c["columns"]) == 1}
    assert ("complaint_id",) not in single
    names_on_created = {n for n, c in constraints.items() if c["index"] and c["columns"][:1] == ["created_at"]}
    assert names_on_created == {"timeline_period_idx", "timeline_breach_idx"}  # both partial


def test_missed_deadlines_by_period_use_the_partial_index(org, pinned_clock):
    from complaintdesk.complaints.models.timeline import BREACH_EVENTS

    receive(org)
    now = clock.now()
    breaches = TimelineEvent.objects.filter(type__in=list(BREACH_EVENTS), created_at__gte=now - dt.timedelta(days=1),
                                            created_at__lt=now).order_by().values("complaint_id")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            assert "Index Only Scan using timeline_breach_idx" in _plan(breaches)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'timeline_breach_idx'")
            (sql,) = cursor.fetchone()
        assert all(f"'{t}'" in sql for t in BREACH_EVENTS)


def test_call_backs_promised_in_a_period_use_their_partial_index(org, pinned_clock):
    from complaintdesk.complaints.choices import ContactKind
    from complaintdesk.complaints.models import ContactLog

    receive(org)
    now = clock.now()
    promises = ContactLog.objects.filter(kind=ContactKind.CALLBACK_PROMISED, promised_for__gte=now,
                                         promised_for__lt=now + dt.timedelta(days=1)).order_by()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            assert "contact_promise_due_idx" in _plan(promises)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'contact_promise_due_idx'")
            (sql,) = cursor.fetchone()
        assert "callback_promised" in sql
