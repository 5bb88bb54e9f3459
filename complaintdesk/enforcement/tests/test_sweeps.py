"""Each sweep rule with a controllable clock: warned, breached, escalated — once."""

import datetime as dt

import pytest
from django.db import transaction

from complaintdesk.complaints.choices import EscalationLevel, EventType, Status
from complaintdesk.complaints.models import Complaint, TimelineEvent
from complaintdesk.core import changes, clock
from complaintdesk.enforcement import sweeps
from complaintdesk.notifications.models import Notification, NotificationKind
from complaintdesk.sla.models import (
    AlertStage,
    DeadlineAlert,
    DeadlineKind,
    EscalationChainStep,
    ProgressClock,
    SlaPolicy,
    SweepRun,
)
from complaintdesk.sla.tests.conftest import at

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
T0 = at(2026, 3, 10, 9)  # a Tuesday


def events(c, type_):
    return TimelineEvent.objects.filter(complaint=c, type=type_)


def notified(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_first_answer_warning_goes_to_handler_and_first_owner_once(org, row):
    c = row(
        first_answer_due_at=T0 + 3 * H,
        handler=org.handler,
        department=org.engineering,
        status=Status.HANDLING,
    )
    far = row(first_answer_due_at=T0 + 5 * H)
    with clock.frozen(T0):
        run = sweeps.run("first_answer_warning")
        again = sweeps.run("first_answer_warning")
    assert (run.found, run.acted, run.errors) == (1, 1, 0)
    assert (again.found, again.acted) == (0, 0)
    assert events(c, EventType.DEADLINE_WARNING).count() == 1
    assert not events(far, EventType.DEADLINE_WARNING).exists()
    assert notified(org.handler, NotificationKind.DEADLINE_WARNING).count() == 1
    assert notified(org.agent, NotificationKind.DEADLINE_WARNING).count() == 1
    assert DeadlineAlert.objects.get(complaint=c).stage == AlertStage.WARNING


def test_warning_lead_time_comes_from_the_policy(org, row):
    SlaPolicy.objects.create(category=org.category, warning_lead_hours=8)
    c = row(first_answer_due_at=T0 + 7 * H)
    other = row(first_answer_due_at=T0 + 7 * H, category=org.category2)
    with clock.frozen(T0):
        run = sweeps.run("first_answer_warning")
    assert run.acted == 1
    assert events(c, EventType.DEADLINE_WARNING).exists()
    assert not events(other, EventType.DEADLINE_WARNING).exists()


def test_untouched_complaint_breaches_and_goes_to_the_supervisor(org, row):
    c = row(first_answer_due_at=T0 + 24 * H)
    with clock.frozen(T0 + 24 * H - dt.timedelta(seconds=1)):
        assert sweeps.run("first_answer_breach").found == 0
    with clock.frozen(T0 + 24 * H):
        run = sweeps.run("first_answer_breach")
        assert sweeps.run("first_answer_breach").found == 0
    assert run.acted == 1
    c.refresh_from_db()
    assert c.first_answer_breached
    # Nobody to tell at the department level (not dispatched yet): straight to the supervisor.
    assert c.escalation_level == EscalationLevel.SUPERVISOR and c.escalated_at == T0 + 24 * H
    event = events(c, EventType.DEADLINE_BREACHED).get()
    assert (
        event.after["escalation_level"] == EscalationLevel.SUPERVISOR
        and event.before["escalation_level"] == 0
    )
    assert notified(org.supervisor, NotificationKind.DEADLINE_BREACHED).count() == 1
    assert notified(org.agent, NotificationKind.DEADLINE_BREACHED).count() == 1

    from complaintdesk.complaints.selectors import queue_filter

    assert Complaint.objects.filter(queue_filter(org.supervisor, "escalated")).filter(pk=c.pk).exists()


def test_implementation_breach_escalates_one_level_along_the_chain(org, row):
    org.engineering.head = org.handler_b
    org.engineering.save()
    c = row(
        status=Status.HANDLING,
        department=org.engineering,
        handler=org.handler,
        escalation_level=EscalationLevel.AGENT,
        implement_due_at=T0,
    )
    with clock.frozen(T0 + H):
        sweeps.run("implement_breach")
    c.refresh_from_db()
    assert c.implement_breached and c.escalation_level == EscalationLevel.DEPARTMENT
    assert notified(org.handler_b, NotificationKind.DEADLINE_BREACHED).exists()  # the department head
    assert notified(org.handler, NotificationKind.DEADLINE_BREACHED).exists()

    # An approved extension gives a new due time; missing that one escalates a level further.
    with transaction.atomic(), changes.complaints_changing([c.pk]):  # as the extension service does
        Complaint.objects.filter(pk=c.pk).update(implement_breached=False, implement_due_at=T0 + 48 * H)
    with clock.frozen(T0 + 49 * H):
        sweeps.run("implement_breach")
    c.refresh_from_db()
    assert c.escalation_level == EscalationLevel.SUPERVISOR
    assert events(c, EventType.DEADLINE_BREACHED).count() == 2


def test_admin_configured_chain_is_followed(org, row):
    EscalationChainStep.objects.filter(level=EscalationLevel.SUPERVISOR).update(active=False)
    c = row(first_answer_due_at=T0)
    with clock.frozen(T0 + H):
        sweeps.run("first_answer_breach")
    c.refresh_from_db()
    assert c.escalation_level == EscalationLevel.MANAGEMENT
    assert notified(org.manager, NotificationKind.DEADLINE_BREACHED).exists()
    assert not notified(org.supervisor, NotificationKind.DEADLINE_BREACHED).exists()


def test_at_the_top_a_breach_is_still_marked(org, row):
    c = row(first_answer_due_at=T0, escalation_level=EscalationLevel.MANAGEMENT)
    with clock.frozen(T0 + H):
        assert sweeps.run("first_answer_breach").acted == 1
    c.refresh_from_db()
    assert c.first_answer_breached and c.escalation_level == EscalationLevel.MANAGEMENT


def test_answered_or_closed_complaints_never_breach(org, row):
    row(first_answer_due_at=T0, first_answered_at=T0 - H)
    row(first_answer_due_at=T0, status=Status.CLOSED)
    with clock.frozen(T0 + H):
        run = sweeps.run("first_answer_breach")
    assert run.found == 0 and not DeadlineAlert.objects.exists()


def test_callback_reminder_then_missed_is_counted_and_escalated(org, row):
    due = T0 + 2 * H
    c = row(next_callback_due_at=due, status=Status.HANDLING, department=org.engineering, handler=org.handler)
    with clock.frozen(due - dt.timedelta(minutes=20)):
        assert sweeps.run("callback_reminder").acted == 1
        assert sweeps.run("callback_reminder").found == 0
        assert sweeps.run("callback_missed").found == 0
    assert notified(org.agent, NotificationKind.CALLBACK_DUE).count() == 1
    with clock.frozen(due + dt.timedelta(minutes=31)):
        assert sweeps.run("callback_missed").acted == 1
        assert sweeps.run("callback_missed").found == 0
    c.refresh_from_db()
    assert c.callbacks_missed == 1 and c.escalation_level == EscalationLevel.SUPERVISOR
    assert events(c, EventType.CALLBACK_MISSED).count() == 1
    # A new promise that is missed again counts again.
    Complaint.objects.filter(pk=c.pk).update(next_callback_due_at=due + 24 * H)
    with clock.frozen(due + 25 * H):
        sweeps.run("callback_missed")
    c.refresh_from_db()
    assert c.callbacks_missed == 2 and c.escalation_level == EscalationLevel.MANAGEMENT


def test_progress_update_is_due_at_the_interval(org, row, django_capture_on_commit_callbacks):
    from complaintdesk.notifications.models import OutboundMessage

    c = row(status=Status.HANDLING, department=org.engineering, handler=org.handler)
    ProgressClock.objects.create(complaint=c, next_due_at=T0)
    with clock.frozen(T0 + H), django_capture_on_commit_callbacks(execute=True):
        run = sweeps.run("progress_update")
        assert sweeps.run("progress_update").found == 0
    assert run.acted == 1
    assert notified(org.handler, NotificationKind.PROGRESS_DUE).count() == 1
    sms = OutboundMessage.objects.get(complaint=c, template_code="progress")
    assert c.number in sms.body and sms.status == "sent"
    # Three working days later (policy default), from the sweep's time: Tue 10:00 → Fri 10:00.
    assert ProgressClock.objects.get(pk=c.pk).next_due_at == at(2026, 3, 13, 10)


def test_calendar_ending_warns_admins_once(org):
    from complaintdesk.sla.seeding import seed_official

    seed_official([2026])
    with clock.frozen(at(2026, 10, 15, 9)):
        assert sweeps.run("calendar_ending").acted == 0
    with clock.frozen(at(2026, 11, 2, 9)):
        assert sweeps.run("calendar_ending").acted == 1
        sweeps.run("calendar_ending")
    notice = notified(org.admin, NotificationKind.CALENDAR_ENDING).get()
    assert "2027" in notice.display and "2026-12-31" in notice.display


def test_paused_statuses_stop_the_clock(org, row):
    SlaPolicy.objects.create(pause_statuses=[Status.PENDING_APPROVAL])
    paused = row(status=Status.PENDING_APPROVAL, department=org.engineering, implement_due_at=T0)
    running = row(status=Status.HANDLING, department=org.engineering, implement_due_at=T0)
    with clock.frozen(T0 + H):
        run = sweeps.run("implement_breach")
    assert run.acted == 1
    paused.refresh_from_db()
    running.refresh_from_db()
    assert not paused.implement_breached and running.implement_breached


def test_every_run_is_recorded_and_a_failing_chunk_is_isolated(org, row, monkeypatch):
    rows = [row(first_answer_due_at=T0) for _ in range(5)]
    from complaintdesk.enforcement import actions as sla_actions
    from complaintdesk.enforcement.sweeps import rules

    real = sla_actions.complaints_mark_breached

    def flaky(*, complaints, **kw):
        if any(c.pk == rows[2].pk for c in complaints):
            raise RuntimeError("boom")
        return real(complaints=complaints, **kw)

    monkeypatch.setattr(rules, "complaints_mark_breached", flaky)
    with clock.frozen(T0 + H):
        run = sweeps.run("first_answer_breach", chunk_size=2)
    assert (run.found, run.acted, run.errors) == (5, 3, 1)
    assert "boom" in run.error_text and run.finished_at is not None
    assert SweepRun.objects.filter(name="first_answer_breach").count() == 1
    monkeypatch.setattr(rules, "complaints_mark_breached", real)
    with clock.frozen(T0 + H):
        rerun = sweeps.run("first_answer_breach")
    assert (rerun.found, rerun.acted) == (2, 2)  # the failed chunk's rows, nothing else
    assert Complaint.objects.filter(first_answer_breached=True).count() == 5


def test_single_complaint_breach_uses_the_same_path(org, row):
    from complaintdesk.enforcement.actions import complaint_mark_breached

    c = row(first_answer_due_at=T0)
    with clock.frozen(T0 + H):
        assert complaint_mark_breached(complaint_id=c.pk, deadline=DeadlineKind.FIRST_ANSWER)
        assert not complaint_mark_breached(complaint_id=c.pk, deadline=DeadlineKind.FIRST_ANSWER)
        assert sweeps.run("first_answer_breach").found == 0
    assert events(c, EventType.DEADLINE_BREACHED).count() == 1


def test_breach_sweep_query_count_does_not_grow_with_rows(org, row, django_assert_max_num_queries):
    for _ in range(40):
        row(first_answer_due_at=T0)
    with clock.frozen(T0 + H), django_assert_max_num_queries(25):
        run = sweeps.run("first_answer_breach")
    assert run.acted == 40
