import datetime as dt

import pytest

from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.tests.factories import make
from complaintdesk.core import clock
from complaintdesk.core.errors import Conflict, NotPermitted, ValidationFailed
from complaintdesk.enforcement import sweeps
from complaintdesk.enforcement.actions import (
    complaint_decide_extension,
    complaint_request_extension,
    complaint_sync_clock,
)
from complaintdesk.notifications.models import Notification, NotificationKind
from complaintdesk.sla.models import ClockPause, ExtensionStatus, SlaPolicy
from complaintdesk.sla.tests.conftest import at

pytestmark = pytest.mark.django_db
T0 = at(2026, 3, 10, 9)


@pytest.fixture
def handling(org):
    with clock.frozen(T0):
        return make(org, Status.HANDLING)


def test_handler_requests_supervisor_approves_and_deadline_moves(org, handling):
    assert handling.implement_due_at == at(2026, 3, 17, 9)
    with clock.frozen(T0 + dt.timedelta(days=1)):
        request = complaint_request_extension(
            complaint=handling, actor=org.handler, working_days=3, reason="等待配件到货"
        )
        with pytest.raises(Conflict):
            complaint_request_extension(complaint=handling, actor=org.handler, working_days=1, reason="再延")
        assert Notification.objects.filter(
            recipient=org.supervisor, kind=NotificationKind.EXTENSION_REQUESTED
        ).exists()
        decided = complaint_decide_extension(
            complaint=handling, actor=org.supervisor, approve=True, comment="同意"
        )
    handling.refresh_from_db()
    assert decided.pk == request.pk and decided.status == ExtensionStatus.APPROVED
    assert handling.implement_due_at == at(2026, 3, 20, 9) == decided.due_after
    assert handling.events.filter(type=EventType.EXTENSION_REQUESTED).count() == 1
    assert handling.events.get(type=EventType.EXTENSION_DECIDED).after["approved"] is True
    assert Notification.objects.filter(
        recipient=org.handler, kind=NotificationKind.EXTENSION_DECIDED
    ).exists()
    with clock.frozen(at(2026, 3, 18, 9)):
        assert sweeps.run("implement_breach").found == 0  # the old deadline no longer applies


def test_refusal_needs_a_reason_and_keeps_the_deadline(org, handling):
    with clock.frozen(T0):
        complaint_request_extension(complaint=handling, actor=org.handler, working_days=2, reason="人手不足")
        with pytest.raises(ValidationFailed):
            complaint_decide_extension(complaint=handling, actor=org.supervisor, approve=False)
        refused = complaint_decide_extension(
            complaint=handling, actor=org.supervisor, approve=False, comment="请按期完成"
        )
    handling.refresh_from_db()
    assert refused.status == ExtensionStatus.REFUSED and handling.implement_due_at == at(2026, 3, 17, 9)


def test_only_the_department_requests_and_only_supervisors_decide(org, handling):
    with clock.frozen(T0):
        with pytest.raises(NotPermitted):
            complaint_request_extension(
                complaint=handling, actor=org.other_handler, working_days=2, reason="x"
            )
        complaint_request_extension(complaint=handling, actor=org.handler, working_days=2, reason="等待配件")
        with pytest.raises(NotPermitted):
            complaint_decide_extension(complaint=handling, actor=org.handler, approve=True)


def test_pause_status_stops_and_resumes_the_clock(org, handling):
    SlaPolicy.objects.create(pause_statuses=[Status.PENDING_APPROVAL])
    with clock.frozen(T0):
        handling.status = Status.PENDING_APPROVAL  # as if waiting on the customer's choice
        handling.save(update_fields=["status"])
        assert complaint_sync_clock(complaint_id=handling.pk) == "paused"
        assert complaint_sync_clock(complaint_id=handling.pk) is None
    with clock.frozen(at(2026, 3, 18, 9)):
        assert sweeps.run("implement_breach").found == 0  # paused: no breach
    with clock.frozen(at(2026, 3, 12, 9)):  # two working days later the customer answers
        handling.status = Status.HANDLING
        handling.save(update_fields=["status"])
        assert complaint_sync_clock(complaint_id=handling.pk) == "resumed"
    handling.refresh_from_db()
    assert handling.implement_due_at == at(2026, 3, 19, 9)
    pause = ClockPause.objects.get(complaint=handling)
    assert pause.paused_seconds == 2 * 24 * 3600 and pause.ended_at == at(2026, 3, 12, 9)
