"""Corrective action services: every transition allowed and forbidden, permissions, required
fields, duplicate submissions, history and notifications."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.complaints.tests.factories import receive
from complaintdesk.core import clock
from complaintdesk.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from complaintdesk.improvement import services
from complaintdesk.improvement.choices import ActionEventType, ActionStatus
from complaintdesk.improvement.models import CorrectiveAction, CorrectiveActionEvent, ImmutableHistory
from complaintdesk.notifications.models import Notification, NotificationKind
from complaintdesk.org.models import Department, DepartmentKind, Role, User

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _clock(pinned_clock):
    return pinned_clock


def open_action(org, **extra):
    data = dict(actor=org.supervisor, title="3栋电梯反复故障", problem="一个月内 4 次电梯停运投诉",
                department=org.engineering, due_date=DUE)
    data.update(extra)
    return services.corrective_action_open(**data)


def to_status(org, status: str) -> CorrectiveAction:
    """An action that travelled the path to ``status`` through the services."""
    action = open_action(org)
    path = {
        ActionStatus.OPEN: [],
        ActionStatus.IN_PROGRESS: ["start"],
        ActionStatus.DONE: ["start", "complete"],
        ActionStatus.VERIFIED: ["start", "complete", "verify"],
        ActionStatus.REOPENED: ["start", "complete", "reject"],
    }[status]
    for verb in path:
        action = run(org, action, verb)
    assert action.status == status
    return action


def run(org, action, verb: str, actor=None):
    if verb == "start":
        return services.corrective_action_start(action=action, actor=actor or org.handler)
    if verb == "complete":
        return services.corrective_action_complete(action=action, actor=actor or org.handler, changes="更换曳引机钢丝绳")
    if verb == "verify":
        return services.corrective_action_verify(action=action, actor=actor or org.supervisor, comment="现场复查正常")
    return services.corrective_action_reject(action=action, actor=actor or org.supervisor, comment="仍有异响")


# ---- opening -------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["supervisor", "manager", "admin"])
def test_supervisors_and_managers_open(org, role):
    c1, c2 = receive(org), receive(org, phone="13900001111")
    action = open_action(org, actor=getattr(org, role), complaint_ids=[c1.pk, c2.pk], category=org.category,
                         area="阳光花园3栋", match_text="电梯停运")
    assert action.status == ActionStatus.OPEN
    assert action.number.startswith("ZG202603")
    assert set(action.complaints.values_list("pk", flat=True)) == {c1.pk, c2.pk}
    (event,) = action.events.all()
    assert event.type == ActionEventType.OPENED and event.actor == getattr(org, role)
    assert event.from_status == "" and event.to_status == ActionStatus.OPEN
    assert event.values["complaint_ids"] == sorted([c1.pk, c2.pk])
    assert event.values["due_date"] == "2026-03-20" and event.values["area"] == "阳光花园3栋"


@pytest.mark.parametrize("role", ["agent", "handler"])
def test_agents_and_handlers_cannot_open(org, role):
    with pytest.raises(NotPermitted):
        open_action(org, actor=getattr(org, role))
    assert not CorrectiveAction.objects.exists() and not CorrectiveActionEvent.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("title", "  "), ("problem", ""), ("department", None), ("due_date", None), ("due_date", dt.date(2026, 3, 9))],
)
def test_opening_requires_fields(org, field, value):
    with pytest.raises(ValidationFailed) as err:
        open_action(org, **{field: value})
    assert field in err.value.errors
    assert not CorrectiveAction.objects.exists()


def test_due_today_is_accepted(org):
    assert open_action(org, due_date=dt.date(2026, 3, 10)).due_date == dt.date(2026, 3, 10)


def test_management_or_inactive_department_refused(org):
    board = Department.objects.create(code="board", name="董事会办公室", kind=DepartmentKind.MANAGEMENT)
    with pytest.raises(ValidationFailed) as err:
        open_action(org, department=board)
    assert "department" in err.value.errors
    org.aftersales.active = False
    org.aftersales.save()
    with pytest.raises(ValidationFailed):
        open_action(org, department=org.aftersales)


def test_unknown_complaint_refused(org):
    c = receive(org)
    with pytest.raises(ValidationFailed) as err:
        open_action(org, complaint_ids=[c.pk, c.pk + 999])
    assert "complaints" in err.value.errors
    assert not CorrectiveAction.objects.exists()


def test_duplicate_submission_opens_one_action(org):
    first = open_action(org, submission_key="k-1")
    again = open_action(org, submission_key="k-1")
    assert again.pk == first.pk
    assert CorrectiveAction.objects.count() == 1 and CorrectiveActionEvent.objects.count() == 1
    other = open_action(org, submission_key="k-2")
    assert other.pk != first.pk and other.number != first.number


def test_opening_notifies_the_assigned_department_after_commit(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        action = open_action(org)
    assert not Notification.objects.exists()  # nothing before commit
    for callback in callbacks:
        callback()
    notices = Notification.objects.filter(kind=NotificationKind.CORRECTIVE_ACTION)
    assert set(notices.values_list("recipient__username", flat=True)) == {"handler", "handler_b"}
    assert all(action.number in n.display for n in notices)
    assert notices.first().message["msg"] == "新整改单 %(number)s：%(title)s，期限 %(due)s。"
    for callback in callbacks:  # a second run writes nothing twice
        callback()
    assert notices.count() == 2


# ---- transitions ---------------------------------------------------------------------------

TARGETS = {"start": ActionStatus.IN_PROGRESS, "complete": ActionStatus.DONE, "verify": ActionStatus.VERIFIED,
           "reject": ActionStatus.REOPENED}
ALLOWED = {(verb, source) for verb, (sources, _t) in services.TRANSITIONS.items() for source in sources}


@pytest.mark.parametrize("status", list(ActionStatus))
@pytest.mark.parametrize("verb", list(TARGETS))
def test_every_transition_allowed_or_refused(org, status, verb):
    action = to_status(org, status)
    events_before = action.events.count()
    if (verb, status) in ALLOWED:
        result = run(org, action, verb)
        assert result.status == TARGETS[verb]
        action.refresh_from_db()
        assert action.status == TARGETS[verb]
        assert action.events.count() == events_before + 1
        last = action.events.order_by("-id").first()
        assert (last.from_status, last.to_status) == (status, TARGETS[verb])
    else:
        with pytest.raises(InvalidTransition):
            run(org, action, verb)
        action.refresh_from_db()
        assert action.status == status and action.events.count() == events_before


def test_table_is_the_documented_lifecycle():
    assert ALLOWED == {
        ("start", ActionStatus.OPEN), ("start", ActionStatus.REOPENED), ("complete", ActionStatus.IN_PROGRESS),
        ("verify", ActionStatus.DONE), ("reject", ActionStatus.DONE),
    }


@pytest.mark.parametrize("verb", ["start", "complete"])
@pytest.mark.parametrize("who", ["other_handler", "agent", "supervisor", "manager"])
def test_only_the_assigned_department_starts_and_completes(org, verb, who):
    action = to_status(org, ActionStatus.OPEN if verb == "start" else ActionStatus.IN_PROGRESS)
    with pytest.raises(NotPermitted):
        run(org, action, verb, actor=getattr(org, who))
    action.refresh_from_db()
    assert action.events.count() == (1 if verb == "start" else 2)


def test_a_department_supervisor_may_complete(org):
    chief = User.objects.create_user(username="chief", password="x", role=Role.SUPERVISOR, department=org.engineering)
    action = run(org, to_status(org, ActionStatus.OPEN), "start", actor=chief)
    assert run(org, action, "complete", actor=chief).completed_by == chief
    # …but not verify their own work.
    with pytest.raises(NotPermitted):
        run(org, action, "verify", actor=chief)
    with pytest.raises(NotPermitted):
        run(org, action, "reject", actor=chief)
    assert run(org, action, "verify", actor=org.manager).verified_by == org.manager


@pytest.mark.parametrize("verb", ["verify", "reject"])
@pytest.mark.parametrize("who", ["handler", "handler_b", "agent", "other_handler"])
def test_only_supervisors_verify(org, verb, who):
    action = to_status(org, ActionStatus.DONE)
    with pytest.raises(NotPermitted):
        run(org, action, verb, actor=getattr(org, who))
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_complete_requires_what_was_changed(org):
    action = to_status(org, ActionStatus.IN_PROGRESS)
    with pytest.raises(ValidationFailed) as err:
        services.corrective_action_complete(action=action, actor=org.handler, changes="   ")
    assert "changes" in err.value.errors
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.changes == ""


def test_reject_requires_a_reason_verify_does_not(org):
    action = to_status(org, ActionStatus.DONE)
    with pytest.raises(ValidationFailed) as err:
        services.corrective_action_reject(action=action, actor=org.supervisor, comment="")
    assert "comment" in err.value.errors
    verified = services.corrective_action_verify(action=action, actor=org.supervisor)
    assert verified.status == ActionStatus.VERIFIED and verified.verified_at == clock.now()


def test_completion_and_verification_record_who_when_what(org):
    action = to_status(org, ActionStatus.IN_PROGRESS)
    clock.advance(dt.timedelta(days=2))
    done = services.corrective_action_complete(action=action, actor=org.handler_b, changes="  加装防水层  ")
    assert (done.changes, done.completed_by, done.completed_at) == ("加装防水层", org.handler_b, clock.now())
    clock.advance(dt.timedelta(days=1))
    verified = services.corrective_action_verify(action=done, actor=org.supervisor, comment="复查无渗水")
    verified.refresh_from_db()
    assert (verified.verified_by, verified.verified_at, verified.verification_comment) == (
        org.supervisor, clock.now(), "复查无渗水")
    assert [e.type for e in verified.events.all()] == ["opened", "started", "completed", "verified"]
    assert verified.events.get(type="completed").values == {"changes": "加装防水层"}


def test_failed_verification_reopens_and_the_cycle_repeats(org, django_capture_on_commit_callbacks):
    action = to_status(org, ActionStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.corrective_action_reject(action=action, actor=org.supervisor, comment="仍有异响")
    assert reopened.status == ActionStatus.REOPENED and reopened.verified_by is None
    (notice,) = Notification.objects.filter(recipient=org.handler, message__args__comment="仍有异响")
    assert "仍有异响" in notice.display
    again = run(org, run(org, run(org, reopened, "start"), "complete"), "verify")
    assert again.status == ActionStatus.VERIFIED
    assert [e.type for e in again.events.all()] == [
        "opened", "started", "completed", "rejected", "started", "completed", "verified"]


def test_double_submitted_transition_writes_once(org):
    action = to_status(org, ActionStatus.IN_PROGRESS)
    stale = CorrectiveAction.objects.get(pk=action.pk)
    services.corrective_action_complete(action=action, actor=org.handler, changes="更换")
    with pytest.raises(InvalidTransition):
        services.corrective_action_complete(action=stale, actor=org.handler, changes="更换")
    assert action.events.filter(type="completed").count() == 1


def test_history_is_immutable(org):
    action = open_action(org)
    event = action.events.get()
    event.values = {"title": "改写"}
    with pytest.raises(ImmutableHistory):
        event.save()
    with pytest.raises(ImmutableHistory):
        event.delete()
    with pytest.raises(ImmutableHistory):
        CorrectiveActionEvent.objects.filter(pk=event.pk).update(type="verified")
    with pytest.raises(ImmutableHistory):
        CorrectiveActionEvent.objects.all().delete()


def test_allowed_verbs_follow_the_same_rules(org):
    action = to_status(org, ActionStatus.OPEN)
    assert services.allowed_verbs(action=action, user=org.handler) == ["start"]
    assert services.allowed_verbs(action=action, user=org.supervisor) == []
    done = to_status(org, ActionStatus.DONE)
    assert services.allowed_verbs(action=done, user=org.supervisor) == ["verify", "reject"]
    assert services.allowed_verbs(action=done, user=org.handler) == []


def test_overdue_reminder_once_per_day_per_member(org):
    from complaintdesk.improvement.tests.fixtures import at

    with clock.frozen(at(2026, 3, 1)):
        late = open_action(org, due_date=dt.date(2026, 3, 5))
        open_action(org, due_date=dt.date(2026, 3, 30), title="未到期")
        done = services.corrective_action_start(action=open_action(org, due_date=dt.date(2026, 3, 5)), actor=org.handler)
        services.corrective_action_complete(action=done, actor=org.handler, changes="改")
        open_action(org, due_date=dt.date(2026, 3, 5), department=org.aftersales, title="售后逾期")
    def reminders():
        return Notification.objects.filter(message__msg__startswith="整改单 %(number)s 已逾期")

    with clock.frozen(at(2026, 3, 6, 9)):
        assert services.corrective_action_remind_overdue() == 3  # handler, handler_b; other (aftersales)
        services.corrective_action_remind_overdue()  # the hourly job again: nothing new
        assert reminders().count() == 3
        assert set(reminders().values_list("recipient__username", flat=True)) == {"handler", "handler_b", "other"}
        assert {n.display for n in reminders().filter(recipient=org.handler)} == {
            f"整改单 {late.number} 已逾期（期限 2026-03-05），请尽快完成整改。"}
    with clock.frozen(at(2026, 3, 7, 9)):
        services.corrective_action_remind_overdue()
    assert reminders().count() == 6
    with clock.frozen(at(2026, 3, 5, 23, 59)):  # not yet overdue on the due date itself
        Notification.objects.all().delete()
        assert services.corrective_action_remind_overdue() == 0


def test_overdue_reminder_is_a_scheduled_job():
    from complaintdesk.sla.schedule import PERIODIC
    from complaintdesk.sla.scheduler import task_for

    (job,) = [j for j in PERIODIC if j.name == "improvement.overdue_reminder"]
    assert task_for(job).name == "complaintdesk.improvement.tasks.remind_overdue_actions"
