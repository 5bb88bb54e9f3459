"""Issue 5 "done when": with the in-process scheduler alone, a complaint left untouched is warned
about, breaches, escalates and lands in the supervisor's queue on time; a handled one gets its
return visit on the next working day. Real services, a controllable clock."""

import datetime as dt

import pytest

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import EscalationLevel, EventType, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors import queue_filter
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import clock
from complaintdesk.followups.models import ReturnVisitTask, TaskStatus
from complaintdesk.notifications.models import Notification, NotificationKind, OutboundMessage
from complaintdesk.sla.scheduler import Scheduler
from complaintdesk.sla.tests.conftest import at

pytestmark = pytest.mark.django_db


def tick(scheduler: Scheduler, when: dt.datetime) -> None:
    with clock.frozen(when):
        scheduler.last_run.clear()  # every job is due at each simulated tick
        scheduler.run_once()


def in_supervisor_queue(org, complaint) -> bool:
    return Complaint.objects.filter(queue_filter(org.supervisor, "escalated"), pk=complaint.pk).exists()


def test_untouched_complaint_is_warned_breaches_and_reaches_the_supervisor(
    org, django_capture_on_commit_callbacks
):
    received = at(2026, 2, 13, 15)  # Friday before the Spring Festival
    with clock.frozen(received), django_capture_on_commit_callbacks(execute=True):
        complaint = receive(org)
    assert complaint.first_answer_due_at == received + dt.timedelta(hours=24)
    assert OutboundMessage.objects.filter(complaint=complaint, template_code="receipt").exists()

    scheduler = Scheduler()
    tick(scheduler, received + dt.timedelta(hours=19))
    assert not complaint.events.filter(type=EventType.DEADLINE_WARNING).exists()
    tick(scheduler, received + dt.timedelta(hours=20, minutes=1))  # 4 h before: warned
    assert complaint.events.filter(type=EventType.DEADLINE_WARNING).count() == 1
    assert Notification.objects.filter(recipient=org.agent, kind=NotificationKind.DEADLINE_WARNING).exists()
    assert not in_supervisor_queue(org, complaint)

    tick(scheduler, received + dt.timedelta(hours=24, seconds=30))
    complaint.refresh_from_db()
    assert complaint.first_answer_breached and complaint.escalation_level == EscalationLevel.SUPERVISOR
    assert in_supervisor_queue(org, complaint)
    assert Notification.objects.filter(
        recipient=org.supervisor, kind=NotificationKind.DEADLINE_BREACHED
    ).exists()

    tick(scheduler, received + dt.timedelta(hours=25))  # nothing twice
    assert complaint.events.filter(type=EventType.DEADLINE_BREACHED).count() == 1


def test_handled_complaint_gets_its_visit_next_working_day_then_escalates(
    org, django_capture_on_commit_callbacks
):
    handled = at(2026, 9, 30, 16)  # the day before National Day
    with clock.frozen(handled), django_capture_on_commit_callbacks(execute=True):
        complaint = make(org, Status.AWAITING_VISIT)
    # Next working day after 30 Sep is Thu 8 Oct (1–7 Oct off), by the end of the centre's day.
    assert complaint.visit_due_at == at(2026, 10, 8, 18)
    task = ReturnVisitTask.objects.get(complaint=complaint)
    assert (task.due_at, task.assigned_to, task.status) == (at(2026, 10, 8, 18), org.agent, TaskStatus.OPEN)
    assert complaint.events.filter(type=EventType.VISIT_SCHEDULED).count() == 1
    assert Notification.objects.filter(recipient=org.agent, kind=NotificationKind.VISIT_TASK).exists()
    assert OutboundMessage.objects.filter(complaint=complaint, template_code="result").exists()

    scheduler = Scheduler()
    tick(scheduler, at(2026, 10, 8, 17, 59))
    complaint.refresh_from_db()
    level = complaint.escalation_level
    tick(scheduler, at(2026, 10, 8, 18, 1))
    complaint.refresh_from_db()
    task.refresh_from_db()
    assert complaint.escalation_level > level and task.status == TaskStatus.OVERDUE
    assert complaint.events.filter(type=EventType.DEADLINE_BREACHED, after__deadline="visit").count() == 1

    with clock.frozen(at(2026, 10, 9, 10)), django_capture_on_commit_callbacks(execute=True):
        services.complaint_record_visit(
            complaint=complaint, actor=org.agent, outcome="satisfied", satisfaction=5
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert OutboundMessage.objects.filter(complaint=complaint, template_code="visit").exists()


def test_visit_schedule_sweep_catches_a_missed_hook(org):
    with clock.frozen(at(2026, 3, 10, 9)):
        complaint = make(org, Status.AWAITING_VISIT)  # on-commit hooks not run: no task yet
    assert not ReturnVisitTask.objects.filter(complaint=complaint).exists()
    tick(Scheduler(), at(2026, 3, 10, 9, 5))
    assert ReturnVisitTask.objects.filter(complaint=complaint, due_at=at(2026, 3, 11, 18)).count() == 1
