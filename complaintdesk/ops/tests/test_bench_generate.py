"""The 10-million-complaint generator's row builders (bench/generate.py), in pure Python: the rows
it would COPY agree with the workflow, the deadlines and the project's number and phone formats."""

import datetime as dt
import re
from collections import Counter

import pytest

from bench.generate import DAY, HOUR, Builder, Org, constant_columns, load_texts, local_day
from complaintdesk.complaints.choices import OPEN_STATUSES, Status
from complaintdesk.complaints.models import Complaint, ContactLog, PlanRecord, TimelineEvent, VisitRecord
from complaintdesk.customers.models import Customer, CustomerPhone
from complaintdesk.customers.phones import normalize_phone

CATEGORIES = ["product_quality", "facilities", "service_attitude", "service_quality", "repair_quality", "emergency",
              "business_policy", "other"]
END = int(dt.datetime(2026, 11, 23, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
ROWS = 600


@pytest.fixture(scope="module")
def built():
    org = Org(
        categories={code: i for i, code in enumerate(CATEGORIES, 1)},
        category_department={code: 2 + i % 4 for i, code in enumerate(CATEGORIES)},
        agents=[1, 2], supervisors=[7], managers=[8], handlers={2: [3], 3: [4], 4: [5], 5: [6]},
    )
    builder = Builder(rows=ROWS, years=2, end=END, seed=7, org=org, texts=load_texts(), keep_cases=True)
    out = {name: [] for name in ("complaints", "events", "contacts", "visits", "plans")}
    for day, count in builder.days:
        for name, lines in builder.build_day(day, count).items():
            out[name].extend(lines)
    return builder, out


def test_every_row_has_one_value_per_column(built):
    builder, out = built
    extra, suffix = constant_columns(Complaint, Builder.COMPLAINT_COLUMNS)
    assert suffix.count("\t") == len(extra)
    widths = {"complaints": len(Builder.COMPLAINT_COLUMNS), "events": len(Builder.EVENT_COLUMNS),
              "contacts": len(Builder.CONTACT_COLUMNS), "visits": len(Builder.VISIT_COLUMNS),
              "plans": len(Builder.PLAN_COLUMNS)}
    for name, lines in out.items():
        assert lines, name
        assert {line.count("\t") + 1 for line in lines} == {widths[name]}, name
        assert all(line.endswith("\n") and "\n" not in line[:-1] for line in lines)
    # The tables loaded without a constant suffix leave out only nullable columns.
    for model, columns in [(TimelineEvent, Builder.EVENT_COLUMNS), (ContactLog, Builder.CONTACT_COLUMNS),
                           (VisitRecord, Builder.VISIT_COLUMNS), (PlanRecord, Builder.PLAN_COLUMNS),
                           (Customer, Builder.CUSTOMER_COLUMNS), (CustomerPhone, Builder.PHONE_COLUMNS)]:
        missing = [f for f in model._meta.concrete_fields if f.column not in columns]
        assert all(f.null for f in missing), (model, missing)


def test_numbers_are_unique_in_the_project_format(built):
    builder, _ = built
    numbers = [c.number for c in builder.cases]
    assert len(numbers) == len(set(numbers)) == ROWS
    for case in builder.cases:
        assert re.fullmatch(r"TS\d{8}\d{5}", case.number)
        day = dt.date(1970, 1, 1) + dt.timedelta(days=local_day(case.received_at))
        assert case.number[2:10] == day.strftime("%Y%m%d")
    assert sum(builder.day_counts.values()) == ROWS
    assert [c.id for c in builder.cases] == sorted(c.id for c in builder.cases)


def test_phones_are_valid_mobiles_and_unique_per_customer(built):
    builder, _ = built
    customers, phones = builder.customer_lines()
    numbers = [line.split("\t")[2] for line in phones]
    assert len(numbers) == len(set(numbers)) > len(customers) > ROWS // 3
    for number in numbers + [c.phone for c in builder.cases]:
        assert normalize_phone(number) == number and number.startswith("1") and len(number) == 11
    assert set(c.phone for c in builder.cases) <= set(numbers)
    # Some customers come back: fewer customers than complaints.
    per_customer = Counter(c.customer for c in builder.cases)
    assert max(per_customer.values()) >= 3


def test_states_agree_with_timestamps_and_deadlines(built):
    builder, _ = built
    end = builder.end
    statuses = Counter(c.status for c in builder.cases)
    assert (statuses[Status.CLOSED] + statuses[Status.ARCHIVED]) / ROWS > 0.8
    assert statuses[Status.ARCHIVED] > statuses[Status.CLOSED]
    for case in builder.cases:
        f, r = case.fields, case.received_at
        assert r <= end
        assert f["first_answer_due_at"] == r + 24 * HOUR
        # What happened lies between receipt and the end; deadlines (…_due_at) may lie ahead.
        times = {k: v for k, v in f.items() if k.endswith("_at") and "_due_" not in k and isinstance(v, int)}
        assert all(r <= t <= end for t in times.values()), (case.number, times)
        if f["implement_due_at"] is not None:
            assert 5 * DAY <= f["implement_due_at"] - f["dispatched_at"] <= 14 * DAY
        answered = f["first_answered_at"]
        assert f["first_answer_breached"] == ((answered if answered is not None else end) > r + 24 * HOUR)
        if f["implement_due_at"] is not None:
            assert f["implement_breached"] == ((f["implemented_at"] or end) > f["implement_due_at"])
        else:
            assert not f["implement_breached"]
        if case.status in OPEN_STATUSES:
            assert f["closed_at"] is None and f["closure_reason"] == ""
        else:
            assert f["closed_at"] is not None and f["closure_reason"]
        assert (case.status == Status.ARCHIVED) == (f["archived_at"] is not None)
        if case.status in {Status.DISPATCHED, Status.HANDLING, Status.IMPLEMENTING, Status.PENDING_APPROVAL}:
            assert f["dispatched_at"] is not None and f["department"] is not None
        if case.status in {Status.RECEIPT_SUBMITTED, Status.AWAITING_VISIT}:
            assert f["implemented_at"] is not None
        if f["closure_reason"] == "satisfied":
            assert 1 <= f["satisfaction"] <= 5 and f["satisfaction_dimensions"] != "{}"
        if f["repeat_of"] is not None:
            assert f["repeat_of"] < case.id and f["repeat_count"] >= 1


def test_timelines_follow_the_workflow(built):
    builder, out = built
    for case in builder.cases:
        events = case.events
        assert events[0][0] == "received" and events[0][1] == case.received_at
        assert [e[1] for e in events] == sorted(e[1] for e in events)
        status = ""
        for type_, at, from_status, to_status in events:
            assert from_status == status or type_ == "received", (case.number, events)
            assert at <= builder.end
            status = to_status
        assert status == case.status
    per_complaint = len(out["events"]) / ROWS
    assert 8 <= per_complaint <= 13
    ids = [int(line.split("\t", 1)[0]) for line in out["events"]]
    assert len(ids) == len(set(ids))


def test_rework_flags_agree_with_the_timeline(built):
    builder, out = built
    reworked_at = Builder.COMPLAINT_COLUMNS.index("reworked")
    handed_at = Builder.COMPLAINT_COLUMNS.index("handed_back")
    flags = {int(c[0]): (c[reworked_at], c[handed_at]) for c in (line.split("\t") for line in out["complaints"])}
    returned = {int(line.split("\t")[1]) for line in out["events"]
                if line.split("\t")[2] in ("returned_to_department", "reopened", "receipt_rejected")}
    handed = {int(line.split("\t")[1]) for line in out["events"] if line.split("\t")[2] == "handed_back"}
    assert returned, "the sample has complaints returned to their department"
    assert {cid for cid, (r, _h) in flags.items() if r == "t"} == returned
    assert {cid for cid, (_r, h) in flags.items() if h == "t"} == handed
