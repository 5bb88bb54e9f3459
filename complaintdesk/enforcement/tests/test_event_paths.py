"""One definition per event: the single-complaint path and the sweep write the same breach event,
and what the system writes is rendered in the reader's language, whoever acted."""

import datetime as dt

import pytest
from django.utils import translation

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import EventType
from complaintdesk.complaints.models import TimelineEvent
from complaintdesk.core import clock
from complaintdesk.enforcement import sweeps
from complaintdesk.enforcement.actions import complaint_mark_breached, complaint_sync_clock
from complaintdesk.notifications.models import Notification, NotificationKind
from complaintdesk.sla.models import DeadlineKind, SlaPolicy
from complaintdesk.sla.tests.conftest import at

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
T0 = at(2026, 3, 10, 9)
MACHINE = ("type", "actor_id", "from_status", "to_status", "before", "after", "reason")


def _machine(event: TimelineEvent) -> dict:
    return {name: getattr(event, name) for name in MACHINE}


def test_single_complaint_path_and_sweep_write_the_same_breach_event(org, row):
    alone = row(first_answer_due_at=T0 - H)
    swept = row(first_answer_due_at=T0 - H)
    with clock.frozen(T0):
        assert complaint_mark_breached(complaint_id=alone.pk, deadline=DeadlineKind.FIRST_ANSWER)
        assert sweeps.run("first_answer_breach").acted == 1
    one = TimelineEvent.objects.get(complaint=alone, type=EventType.DEADLINE_BREACHED)
    other = TimelineEvent.objects.get(complaint=swept, type=EventType.DEADLINE_BREACHED)
    assert _machine(one) == _machine(other)
    assert one.reason == ""  # no sentence stored: machine values only
    assert one.after["deadline"] == "first_answer" and one.after["escalation_level"] == 2
    assert one.before == {"escalation_level": 0, "first_answer_breached": False}


def test_breach_acted_in_english_reads_in_chinese_and_the_reverse(org, row):
    c = row(first_answer_due_at=T0 - H)
    with clock.frozen(T0), translation.override("en"):
        complaint_mark_breached(complaint_id=c.pk, deadline=DeadlineKind.FIRST_ANSWER)
    event = TimelineEvent.objects.get(complaint=c, type=EventType.DEADLINE_BREACHED)
    with translation.override("zh-hans"):
        chinese = events.describe(event)
        notice = Notification.objects.get(recipient=org.agent, kind=NotificationKind.DEADLINE_BREACHED).display
    with translation.override("en"):
        english = events.describe(event)
        notice_en = Notification.objects.get(recipient=org.agent, kind=NotificationKind.DEADLINE_BREACHED).display
    assert chinese == "首次答复时限 03-10 08:00 已过，自动升级至主管"
    assert english == "First answer deadline 03-10 08:00 passed; escalated automatically to Supervisor"
    assert notice == f"投诉 {c.number}：首次答复时限 03-10 08:00 已过，自动升级至主管。"
    assert notice_en.startswith(f"Complaint {c.number}: First answer deadline")


def test_warning_and_pause_events_render_in_each_language(org, row):
    SlaPolicy.objects.create(category=org.category, pause_statuses=["handling"])
    c = row(first_answer_due_at=T0 + H, status="handling")
    with clock.frozen(T0), translation.override("en"):
        complaint_sync_clock(complaint_id=c.pk)
    paused = TimelineEvent.objects.get(complaint=c, type=EventType.CLOCK_PAUSED)
    assert paused.reason == ""
    with translation.override("zh-hans"):
        assert events.describe(paused) == "等待客户，时限暂停计时"
    with translation.override("en"):
        assert events.describe(paused) == "Waiting for the customer: the clock is paused"

    warned = row(first_answer_due_at=T0 + H)
    with clock.frozen(T0), translation.override("en"):
        sweeps.run("first_answer_warning")
    warning = TimelineEvent.objects.get(complaint=warned, type=EventType.DEADLINE_WARNING)
    with translation.override("zh-hans"):
        assert events.describe(warning) == "首次答复时限 03-10 10:00 即将到期，请尽快处理。"
        text = Notification.objects.get(recipient=org.agent, complaint=warned).display
        assert text == f"投诉 {warned.number}：首次答复时限 03-10 10:00 即将到期，请尽快处理。"
