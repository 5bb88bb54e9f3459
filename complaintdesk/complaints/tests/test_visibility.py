"""Object-level permission: one rule (``selectors.visible_complaints``) decides who reads what."""

from __future__ import annotations

import pytest

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core.errors import NotPermitted
from complaintdesk.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(org, pinned_clock):
    """One customer (same phone) with a case in engineering and one in after-sales."""
    ours = make(org, Status.DISPATCHED)
    theirs = receive(org, subject="售后态度差", category=org.category2)
    services.complaint_review_valid(complaint=theirs, actor=org.agent)
    services.complaint_dispatch(complaint=theirs, actor=org.agent, department=org.aftersales)
    assert ours.customer_id == theirs.customer_id
    return ours, theirs


def test_handler_sees_only_their_department(org, two_departments):
    ours, theirs = two_departments
    visible = set(selectors.visible_complaints(org.handler).values_list("pk", flat=True))
    assert visible == {ours.pk}
    assert selectors.complaint_visible_to(user=org.handler, complaint=ours)
    assert not selectors.complaint_visible_to(user=org.handler, complaint=theirs)


@pytest.mark.parametrize("who", ["agent", "supervisor", "manager", "admin"])
def test_service_centre_and_supervisors_see_everything(org, two_departments, who):
    assert selectors.visible_complaints(getattr(org, who)).count() == 2


def test_customer_history_hides_other_departments(org, two_departments):
    ours, theirs = two_departments
    history = selectors.customer_history(user=org.handler, customer_id=ours.customer_id, exclude=ours.pk)
    assert list(history) == []
    desk = selectors.customer_history(user=org.agent, customer_id=ours.customer_id, exclude=ours.pk)
    assert [c.pk for c in desk] == [theirs.pk]
    assert [c.pk for c in selectors.customer_open_complaints(user=org.other_handler, customer_id=ours.customer_id)] == [
        theirs.pk
    ]


@pytest.mark.parametrize(("role", "has_department"), [("", True), ("boss", True), ("agent", False), ("supervisor", False)])
def test_empty_or_unknown_role_or_no_department_sees_nothing(org, two_departments, role, has_department):
    user = User.objects.create_user(
        username="odd", password="pw-12345678", role=role, department=org.service if has_department else None
    )
    with pytest.raises(NotPermitted):
        selectors.visible_complaints(user)
    with pytest.raises(NotPermitted):
        selectors.complaint_list(user=user)
    assert not selectors.complaint_visible_to(user=user, complaint=two_departments[0])


def test_empty_role_is_refused_cleanly_by_actions(org, two_departments):
    ours, _theirs = two_departments
    user = User.objects.create_user(username="norole", password="pw-12345678", role="", department=org.service)
    with pytest.raises(NotPermitted):
        services.complaint_add_note(complaint=ours, actor=user, text="看看")
    ours.refresh_from_db()
    assert ours.events.filter(type="note_added").count() == 0
