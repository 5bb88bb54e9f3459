"""Named gap-free counters (the daily complaint number): one statement each, row-locked until commit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from complaintdesk.core.models import Counter
from complaintdesk.core.sequences import next_value, reserve_many


@pytest.mark.django_db
def test_a_counter_starts_at_one_and_counts_on_each_name_apart():
    assert [next_value("a"), next_value("a"), next_value("b"), next_value("a")] == [1, 2, 1, 3]
    assert dict(Counter.objects.values_list("name", "value")) == {"a": 3, "b": 1}


@pytest.mark.django_db
def test_a_value_is_one_statement():
    next_value("warm")
    with CaptureQueriesContext(connection) as queries:
        next_value("warm")
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_a_rolled_back_caller_gives_its_value_back():
    next_value("day")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_value("day") == 2
        raise RuntimeError
    assert next_value("day") == 2  # gap-free


@pytest.mark.django_db
def test_reserve_many_continues_where_next_value_stopped():
    next_value("x")
    assert reserve_many({"x": 3, "y": 2}) == {"x": 2, "y": 1}
    assert next_value("x") == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_value():
    values: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def take():
        try:
            barrier.wait(timeout=10)
            for _ in range(10):
                with transaction.atomic():
                    values.append(next_value("busy"))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(values) == list(range(1, 41))
