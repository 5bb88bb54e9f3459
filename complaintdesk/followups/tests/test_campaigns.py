import datetime as dt

import pytest

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make
from complaintdesk.core import clock
from complaintdesk.core.errors import Conflict, NotPermitted, ValidationFailed
from complaintdesk.followups.models import CallStatus, CampaignCall, CampaignStatus
from complaintdesk.followups.services import campaign_create, campaign_plan, campaign_record_call
from complaintdesk.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 1, tzinfo=dt.UTC)


@pytest.fixture
def served(org):
    with clock.frozen(T0):
        return [make(org, Status.CLOSED, phone=f"1391234{i:04d}") for i in range(10)]


def _campaign(org, **kw):
    values = dict(
        actor=org.supervisor,
        name="三月服务回访",
        served_from=dt.date(2026, 3, 1),
        served_to=dt.date(2026, 3, 31),
        percent=50,
        agents=[org.agent, org.agent2],
        seed=7,
    )
    values.update(kw)
    with clock.frozen(T0 + dt.timedelta(days=2)):
        return campaign_create(**values)


def test_sample_is_spread_evenly_over_agents_and_reproducible(org, served):
    campaign = _campaign(org)
    with clock.frozen(T0 + dt.timedelta(days=2)):
        assert campaign_plan(campaign_id=campaign.pk, actor=org.supervisor) == 5
        with pytest.raises(Conflict):
            campaign_plan(campaign_id=campaign.pk, actor=org.supervisor)
    calls = list(CampaignCall.objects.filter(campaign=campaign))
    assert {c.served_complaint_id for c in calls} <= {c.pk for c in served}
    per_agent = sorted(sum(1 for c in calls if c.agent_id == a.pk) for a in (org.agent, org.agent2))
    assert per_agent == [2, 3]
    assert Notification.objects.filter(kind=NotificationKind.CAMPAIGN_CALL, recipient=org.agent).exists()
    again = _campaign(org, name="同样的抽样")
    with clock.frozen(T0 + dt.timedelta(days=2)):
        campaign_plan(campaign_id=again.pk, actor=org.supervisor)
    assert sorted(c.served_complaint_id for c in again.calls.all()) == sorted(
        c.served_complaint_id for c in calls
    )


def test_rules_filter_candidates(org, served):
    empty = _campaign(org, category_ids=[org.category2.pk], percent=100)
    with clock.frozen(T0 + dt.timedelta(days=2)):
        assert campaign_plan(campaign_id=empty.pk, actor=org.supervisor) == 0
    everyone = _campaign(org, percent=100)
    with clock.frozen(T0 + dt.timedelta(days=2)):
        assert campaign_plan(campaign_id=everyone.pk, actor=org.supervisor) == 10


def test_dissatisfied_answer_becomes_a_linked_complaint(org, served, django_capture_on_commit_callbacks):
    campaign = _campaign(org, percent=100, agents=[org.agent])
    with clock.frozen(T0 + dt.timedelta(days=2)):
        campaign_plan(campaign_id=campaign.pk, actor=org.supervisor)
    first, second, third, *rest = campaign.calls.order_by("pk")
    with clock.frozen(T0 + dt.timedelta(days=3)), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(NotPermitted):
            campaign_record_call(call_id=first.pk, actor=org.agent2, outcome="satisfied", satisfaction=5)
        with pytest.raises(ValidationFailed):
            campaign_record_call(call_id=first.pk, actor=org.agent, outcome="dissatisfied", satisfaction=2)
        campaign_record_call(call_id=first.pk, actor=org.agent, outcome="satisfied", satisfaction=5)
        campaign_record_call(call_id=second.pk, actor=org.agent, unreachable=True, notes="无人接听")
        call = campaign_record_call(
            call_id=third.pk,
            actor=org.agent,
            outcome="dissatisfied",
            satisfaction=2,
            notes="维修后热水器又出现漏水，希望再派人检查",
        )
    new = Complaint.objects.get(pk=call.new_complaint_id)
    assert new.first_owner == org.agent and new.contact_phone == third.phone
    assert new.customer_id == third.customer_id and "漏水" in new.description
    assert new.events.filter(after__campaign=campaign.pk).exists()
    assert CampaignCall.objects.get(pk=second.pk).status == CallStatus.UNREACHABLE
    with clock.frozen(T0 + dt.timedelta(days=3)):
        for c in rest:
            campaign_record_call(call_id=c.pk, actor=org.agent, outcome="declined")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE


def test_only_supervisors_run_campaigns(org):
    with pytest.raises(NotPermitted):
        _campaign(org, actor=org.agent)
    with pytest.raises(ValidationFailed):
        _campaign(org, percent=0)
