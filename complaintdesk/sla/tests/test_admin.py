import datetime as dt

import pytest
from django.urls import reverse

from complaintdesk.org.models import Role, User
from complaintdesk.sla.models import CalendarDay, DaySource, EscalationChainStep
from complaintdesk.sla.seeding import seed_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.com", "pw-123456", role=Role.ADMIN)
    client.force_login(user)
    return client


def test_calendar_admin_lists_and_filters_by_year_and_kind(admin_client):
    seed_official([2026])
    url = reverse("admin:sla_calendarday_changelist")
    page = admin_client.get(url, {"year": "2026", "kind__exact": "makeup"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 6  # 1/4, 2/14, 2/28, 5/9, 9/20, 10/10


def test_editing_a_day_in_admin_marks_it_admin_owned(admin_client):
    seed_official([2026])
    day = CalendarDay.objects.get(date=dt.date(2026, 11, 23))
    url = reverse("admin:sla_calendarday_change", args=[day.pk])
    response = admin_client.post(
        url, {"date": "2026-11-23", "is_working_day": "", "kind": "holiday", "name": "公司假日"}
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.is_working_day, day.source) == (False, DaySource.ADMIN)


def test_default_escalation_chain_is_installed(admin_client):
    steps = list(EscalationChainStep.objects.values_list("level", "notify_role"))
    assert steps == [(0, "handler"), (1, "department_head"), (2, "supervisor"), (3, "manager")]
    for name in ("slapolicy", "escalationchainstep"):
        assert admin_client.get(reverse(f"admin:sla_{name}_changelist")).status_code == 200
