"""回访计划 and 主管领导审阅 (001 §3.1 steps 3 and 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.complaints import events, services
from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import TimelineEvent, VisitRecord
from complaintdesk.complaints.tests.factories import make
from complaintdesk.core import clock
from complaintdesk.core.errors import Conflict, NotPermitted, ValidationFailed
from complaintdesk.followups import selectors
from complaintdesk.followups.models import ReturnVisitTask, ReviewPolicy, TaskStatus, VisitPlan, VisitReview
from complaintdesk.followups.planning import visit_plan_create, visit_review_record
from complaintdesk.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def _today():
    from django.utils import timezone

    return timezone.localdate(clock.now())


def test_plan_groups_the_chosen_cases_with_date_channel_and_agent(org, pinned_clock):
    a = make(org, Status.AWAITING_VISIT)
    b = make(org, Status.AWAITING_VISIT, phone="13700000021", description="楼道灯不亮")
    plan = visit_plan_create(
        actor=org.supervisor, complaint_ids=[a.pk, b.pk], scheduled_for=_today() + dt.timedelta(days=1),
        method="on_site", assigned_to=org.agent2, note="带上维修记录",
    )
    tasks = ReturnVisitTask.objects.filter(plan=plan)
    assert tasks.count() == 2 and {t.assigned_to for t in tasks} == {org.agent2}
    assert plan.method == "on_site" and plan.name.startswith("回访计划")
    event = TimelineEvent.objects.get(complaint=a, type=EventType.VISIT_PLANNED)
    assert event.after["plan"] == plan.pk and event.after["method"] == "on_site"
    assert events.describe(event).endswith("上门回访") and event.reason == ""
    assert Notification.objects.filter(recipient=org.agent2, kind=NotificationKind.VISIT_TASK).exists()
    assert a.pk not in [c.pk for c in selectors.visit_plan_candidates()]
    [listed] = selectors.visit_plan_list()
    assert listed.total == 2 and listed.done == 0


def test_plan_refuses_cases_not_awaiting_visit_and_stores_nothing(org, pinned_clock):
    a = make(org, Status.AWAITING_VISIT)
    closed = make(org, Status.CLOSED, phone="13700000022", description="门禁卡失灵")
    with pytest.raises(ValidationFailed) as err:
        visit_plan_create(actor=org.supervisor, complaint_ids=[a.pk, closed.pk], scheduled_for=_today(),
                          method="phone", assigned_to=org.agent)
    assert "complaints" in err.value.errors
    assert not VisitPlan.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("scheduled_for", {"scheduled_for": dt.date(2020, 1, 1)}),
        ("method", {"method": "pigeon"}),
        ("complaints", {"complaint_ids": []}),
    ],
)
def test_plan_bad_input_is_refused(org, pinned_clock, field, kwargs):
    a = make(org, Status.AWAITING_VISIT)
    data = dict(actor=org.supervisor, complaint_ids=[a.pk], scheduled_for=_today(), method="phone",
                assigned_to=org.agent)
    data.update(kwargs)
    with pytest.raises(ValidationFailed) as err:
        visit_plan_create(**data)
    assert field in err.value.errors


def test_handlers_cannot_plan_visits(org, pinned_clock):
    a = make(org, Status.AWAITING_VISIT)
    with pytest.raises(NotPermitted):
        visit_plan_create(actor=org.handler, complaint_ids=[a.pk], scheduled_for=_today(), method="phone",
                          assigned_to=org.agent)


def test_completed_visits_wait_for_review_and_a_doubtful_one_is_visited_again(org, pinned_clock):
    c = make(org, Status.CLOSED)
    visit = VisitRecord.objects.get(complaint=c)
    rows, count = selectors.visit_review_queue()
    assert count == 1 and rows[0] == visit
    review = visit_review_record(actor=org.supervisor, visit_id=visit.pk, verdict="revisit",
                                 comment="满意度5分但记录为空，请核实")
    assert review.reviewer == org.supervisor
    assert selectors.visit_review_count() == 0
    task = ReturnVisitTask.objects.get(revisit_of=visit)
    assert task.status == TaskStatus.OPEN and task.assigned_to == org.agent
    assert Notification.objects.filter(recipient=org.agent, kind=NotificationKind.VISIT_REVIEW).exists()
    event = TimelineEvent.objects.get(complaint=c, type=EventType.VISIT_REVIEWED)
    assert event.reason == "满意度5分但记录为空，请核实" and event.after["verdict"] == "revisit"
    assert "退回重访" in events.describe(event)
    with pytest.raises(Conflict):
        visit_review_record(actor=org.supervisor, visit_id=visit.pk, verdict="confirmed")
    # The re-visit is recorded on the closed case and closes the task; the new record is reviewed too.

    services.complaint_record_revisit(complaint=c, actor=org.agent, outcome="satisfied", satisfaction=4,
                                      answers={"result": "问题确已解决"})
    second = VisitRecord.objects.filter(complaint=c).order_by("-id").first()
    assert second.attempt == 2 and second.answers == {"result": "问题确已解决"}
    assert selectors.visit_review_count() == 1


def test_revisit_needs_a_comment_and_a_closed_case(org, pinned_clock):
    c = make(org, Status.CLOSED)
    visit = VisitRecord.objects.get(complaint=c)
    with pytest.raises(ValidationFailed) as err:
        visit_review_record(actor=org.supervisor, visit_id=visit.pk, verdict="revisit", comment="")
    assert "comment" in err.value.errors
    assert not VisitReview.objects.exists() and not ReturnVisitTask.objects.filter(revisit_of=visit).exists()


def test_only_supervisors_review(org, pinned_clock):
    c = make(org, Status.CLOSED)
    visit = VisitRecord.objects.get(complaint=c)
    with pytest.raises(NotPermitted):
        visit_review_record(actor=org.agent, visit_id=visit.pk, verdict="confirmed")


def test_sample_rate_limits_the_queue(org, pinned_clock):
    for i in range(6):
        make(org, Status.CLOSED, phone=f"1370000003{i}", description=f"第{i}件：楼道灯不亮")
    assert selectors.visit_review_count() == 6
    ReviewPolicy.objects.create(sample_percent=0)
    assert selectors.visit_review_count() == 0
    policy = ReviewPolicy.objects.get()
    policy.sample_percent = 100
    policy.save()
    assert selectors.visit_review_count() == 6
    ids = list(VisitRecord.objects.values_list("id", flat=True))
    policy.sample_percent = 50
    policy.save()
    assert selectors.visit_review_count() == sum(1 for pk in ids if pk % 100 < 50)
