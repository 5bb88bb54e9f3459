import pytest
from django.core.management import call_command

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Category, Complaint, TimelineEvent
from complaintdesk.core import clock
from complaintdesk.org.models import Department, Role, User
from complaintdesk.sla.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_setup_demo_loads_everything_in_every_state_and_keeps_it_on_rerun(capsys):
    call_command("setup_demo")
    out = capsys.readouterr().out
    assert "agent@2026" in out and "supervisor@2026" in out
    assert {d.name for d in Department.objects.all()} >= {"客服中心", "工程维修部", "秩序维护部", "售后服务部", "财务部"}
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="agent").check_password("agent@2026")
    assert Category.objects.count() == 8
    assert CalendarDay.objects.filter(date__year=2026).count() == 365
    # Deadlines stay computable a year ahead even before next year's holidays are published.
    next_year = clock.now().year + 1
    assert CalendarDay.objects.filter(date__year=next_year).count() in (365, 366)
    assert Complaint.objects.count() == 200
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    # Every demo complaint travelled through the services: its timeline starts with intake.
    assert TimelineEvent.objects.filter(type="received").count() == 200
    first_events = TimelineEvent.objects.count()
    User.objects.filter(username="agent").update(display_name="改过的名字")
    call_command("setup_demo", quiet=True)
    assert Complaint.objects.count() == 200 and TimelineEvent.objects.count() == first_events
    assert User.objects.get(username="agent").display_name == "改过的名字"
