"""Queue pages that read their rows' ids first (``CappedPaginator(ids_first=True)``): the same rows in
the same order as the one-query page, with the matches sorted without being joined first."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import Priority, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import changes
from complaintdesk.web import rows
from complaintdesk.web.views.queues import CappedPaginator

pytestmark = pytest.mark.django_db
IDS_QUERY = 'SELECT "complaints_complaint"."id" AS "pk" FROM'


@pytest.fixture
def many(org):
    """Eleven complaints: phones sharing a tail, two priorities, open and closed."""
    made = []
    for i in range(8):
        made.append(receive(org, phone=f"139{i:04d}0088", customer_name=f"客户{i}",
                            description=f"电梯第{i}次停运，困人半小时，物业一直没有处理"))
    made.append(make(org, Status.HANDLING, phone="13912340088"))
    made.append(make(org, Status.CLOSED, phone="13956780088"))
    urgent = receive(org, phone="13700000000")
    _update(urgent, priority=Priority.URGENT)
    for late in made[1:8:2]:  # four late ones (已超时), and two of them escalated (已升级)
        _update(late, implement_breached=True)
    for escalated in made[1:8:4]:
        services.complaint_escalate(complaint=escalated, actor=org.supervisor, reason="客户情绪激烈")
    return made + [urgent]


def _update(complaint, **values) -> None:
    with transaction.atomic(), changes.complaints_changing([complaint.pk]):
        Complaint.objects.filter(pk=complaint.pk).update(**values)


CASES = [
    {"queue": "all", "search": "0088"},  # a phone tail
    {"queue": "all", "search": "电梯"},
    {"queue": "all", "ordering": "priority"},
    {"queue": "all", "ordering": "-number"},
    {"queue": "due_soon"},
    {"queue": "overdue"},
    {"queue": "escalated"},
    {"queue": "all"},
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c.values())))
def test_every_page_holds_the_rows_of_the_one_query_page(org, many, case):
    qs = selectors.complaint_list(user=org.supervisor, **case).defer(*rows.DEFERRED)
    plain, ids_first = CappedPaginator(qs, 3), CappedPaginator(qs, 3, ids_first=True)
    assert plain.count == ids_first.count
    for number in plain.page_range:
        expected = [c.pk for c in plain.page(number).object_list]
        assert [c.pk for c in ids_first.page(number).object_list] == expected, number
    if case.get("search") == "0088":
        assert plain.count == 10  # the closed one too: a search covers every state


def test_the_ids_are_read_without_joins_then_the_rows_with_them(org, many, django_assert_num_queries):
    qs = selectors.complaint_list(user=org.supervisor, queue="all", search="0088").defer(*rows.DEFERRED)
    paginator = CappedPaginator(qs, 5, ids_first=True)
    paginator.count  # noqa: B018 - counted once, before the page
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.page(1)
        built = rows.queue_rows(page.object_list, bulk=False)
    ids_sql, rows_sql = (q["sql"] for q in ctx.captured_queries)
    assert "JOIN" not in ids_sql and '"customers_customer"' not in ids_sql
    assert '"customers_customer"' in rows_sql
    assert built.count("<tr data-number=") == 5


def test_a_row_that_stops_matching_between_the_two_reads_is_left_out(org, many, monkeypatch):
    qs = selectors.complaint_list(user=org.supervisor, queue="overdue")
    paginator = CappedPaginator(qs, 5, ids_first=True)
    first = list(qs.values_list("pk", flat=True)[:5])
    gone = first[0]

    original = type(qs).filter

    def filter_then_change(self, *args, **kwargs):
        if "pk__in" in kwargs:  # the second read: the row is no longer late
            _update(Complaint.objects.get(pk=gone), implement_breached=False)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(qs), "filter", filter_then_change)
    page = paginator.page(1)
    assert [c.pk for c in page.object_list] == first[1:]


@pytest.mark.parametrize("params", [{"q": "0088"}, {"q": "电梯", "page": "2"}, {"sort": "priority"}])
def test_the_queue_page_reads_ids_first_where_the_order_is_not_an_index(client, org, many, params):
    client.force_login(org.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:queue", args=["all"]), params, HTTP_HX_REQUEST="true",
                              HTTP_HX_TARGET="results")
    assert response.status_code == 200
    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(IDS_QUERY)]
    assert len(selects) == 1
    qs = selectors.complaint_list(user=org.supervisor, queue="all", search=params.get("q", ""),
                                  ordering=params.get("sort", ""))
    page = CappedPaginator(qs, 25).get_page(params.get("page"))
    html = response.content.decode()
    assert html.count("<tr data-number=") == len(page.object_list) > 0
    for c in page.object_list:
        assert f'data-number="{c.number}"' in html


def test_a_queue_in_received_order_stays_one_query(client, org, many):
    client.force_login(org.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("web:queue", args=["all"]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert not [q for q in ctx.captured_queries if q["sql"].startswith(IDS_QUERY)]


@pytest.mark.parametrize(("term", "kind"), [
    ("TS2026120500001", "number"), ("ts20261205", "number"), ("13900000088", "phone"), ("139 0000 0088", "phone"),
    ("0088", "tail"), ("5000001", "tail"), ("088", "words"), ("电梯", "words"), ("王五", "words"),
])
def test_what_a_search_is_read_as(term, kind):
    assert selectors.search_kind(term) == kind


def test_a_number_or_a_whole_phone_stays_one_query(client, org, many):
    client.force_login(org.supervisor)
    for term in (many[0].number, "13900000088"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("web:queue", args=["all"]), {"q": term}, HTTP_HX_REQUEST="true",
                                  HTTP_HX_TARGET="results")
        assert response.content.decode().count("<tr data-number=") == 1
        assert not [q for q in ctx.captured_queries if q["sql"].startswith(IDS_QUERY)]


@pytest.mark.parametrize("queue", ["overdue", "escalated"])
def test_late_and_escalated_are_in_receipt_order_whichever_way_they_are_sorted(client, org, many, queue):
    """On PostgreSQL 已超时 and 已升级 sort by an expression of the receipt time (so the open-queue
    index serves them): the same order as the plain column, newest first, ties by id."""
    qs = selectors.complaint_list(user=org.supervisor, queue=queue)
    expected = list(Complaint.objects.filter(selectors.queue_filter(org.supervisor, queue))
                    .order_by("-received_at", "-id").values_list("pk", flat=True))
    assert list(qs.values_list("pk", flat=True)) == expected and len(expected) >= {"overdue": 4, "escalated": 2}[queue]
    if connection.vendor == "postgresql":
        assert 'ORDER BY ("complaints_complaint"."received_at" + ' in str(qs.query)
    client.force_login(org.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("web:queue", args=[queue]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").content.decode()
    assert len([q for q in ctx.captured_queries if q["sql"].startswith(IDS_QUERY)]) == 1
    assert [int(pk) for pk in re.findall(r'name="ids" value="(\d+)"', html)] == expected
