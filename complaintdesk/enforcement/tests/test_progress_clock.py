"""The progress-update clock (004 §七.11) follows the complaint: set at intake, moved by a
progress contact, stopped at closing — one statement each time, whoever writes it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import ContactKind, Status
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import clock
from complaintdesk.enforcement import listeners
from complaintdesk.sla.deadlines import get_calendar, policy_for
from complaintdesk.sla.models import ProgressClock, SlaPolicy

pytestmark = pytest.mark.django_db


def due(c):
    return ProgressClock.objects.get(pk=c.pk).next_due_at


def test_intake_starts_the_clock_at_the_policy_interval_in_its_transaction(org, pinned_clock):
    SlaPolicy.objects.create(category=org.category, progress_update_interval_days=3)
    c = receive(org)  # no after-commit callback runs here: the clock is written with the complaint
    assert due(c) == get_calendar().add_working_days(clock.now(), 3)


def test_a_progress_contact_moves_it_and_closing_stops_it(org, pinned_clock, django_capture_on_commit_callbacks):
    c = make(org, Status.HANDLING)
    first = due(c)  # set at intake
    later = clock.now() + dt.timedelta(days=1)
    with clock.frozen(later), django_capture_on_commit_callbacks(execute=True):
        services.complaint_log_contact(complaint=c, actor=org.handler, kind=ContactKind.PROGRESS_UPDATE,
                                       note="您好，维修师傅明天上午上门，请您留意电话。")
    interval = policy_for(c.category_id, c.priority).progress_update_interval_days
    assert due(c) == get_calendar().add_working_days(later, interval) and due(c) > first
    type(c).objects.filter(pk=c.pk).update(status=Status.CLOSED)  # the listener reads the stored status
    listeners.on_closed_or_reopened(complaint_id=c.pk)
    assert due(c) is None
    assert ProgressClock.objects.filter(pk=c.pk).count() == 1


def test_moving_the_clock_is_one_statement(org, pinned_clock):
    c = receive(org)
    with CaptureQueriesContext(connection) as queries:
        listeners.on_closed_or_reopened(complaint_id=c.pk)  # (still open: moves it)
    writes = [q["sql"] for q in queries.captured_queries if "sla_progressclock" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes
    assert not any(q["sql"].startswith(("SAVEPOINT", "BEGIN")) for q in queries.captured_queries)


def _policy_reads(queries) -> int:
    return sum('FROM "sla_slapolicy"' in q["sql"] for q in queries.captured_queries)


def test_intake_reads_the_policies_once_for_both_clocks(org, pinned_clock):
    SlaPolicy.objects.create(category=org.category, first_answer_hours=2, progress_update_interval_days=4)
    with CaptureQueriesContext(connection) as queries:
        c = receive(org)
    assert _policy_reads(queries) == 1
    assert c.first_answer_due_at == get_calendar().add_working_hours(clock.now(), 2)
    assert due(c) == get_calendar().add_working_days(clock.now(), 4)


def test_a_priority_raised_at_intake_sets_the_progress_clock_by_the_new_priority(org, pinned_clock):
    """A repeat raises the priority during intake, after the first-answer promise was computed: the
    progress clock then follows the raised priority's policy, read again."""
    SlaPolicy.objects.create(category=org.category, progress_update_interval_days=5)
    first = receive(org)
    raised = "high" if first.priority == "normal" else "urgent"
    SlaPolicy.objects.create(category=org.category, priority=raised, progress_update_interval_days=1)
    with CaptureQueriesContext(connection) as queries:
        repeat = receive(org)  # the same customer and problem
    assert repeat.repeat_of_id == first.pk and repeat.priority == raised
    assert _policy_reads(queries) == 2
    assert due(first) == get_calendar().add_working_days(clock.now(), 5)
    assert due(repeat) == get_calendar().add_working_days(clock.now(), 1)
