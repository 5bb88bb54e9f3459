"""Object-level permission over HTTP: history boxes, pages and the API never show another
department's complaint; users without a valid role or department get a clean, translated 403."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(org, pinned_clock):
    ours = make(org, Status.AWAITING_VISIT)
    theirs = receive(org, subject="售后态度差ABC", category=org.category2)
    services.complaint_review_valid(complaint=theirs, actor=org.agent)
    services.complaint_dispatch(complaint=theirs, actor=org.agent, department=org.aftersales)
    return ours, theirs


@pytest.mark.parametrize("page", ["web:complaint", "web:visit"])
def test_history_box_hides_another_departments_case(client, org, two_departments, page):
    ours, theirs = two_departments
    client.force_login(org.handler)
    html = client.get(reverse(page, args=[ours.pk])).content.decode()
    assert theirs.number not in html and "售后态度差ABC" not in html
    client.force_login(org.agent)
    html = client.get(reverse(page, args=[ours.pk])).content.decode()
    assert theirs.number in html


def test_handler_cannot_open_another_departments_case(client, org, two_departments):
    _ours, theirs = two_departments
    client.force_login(org.handler)
    assert client.get(reverse("web:complaint", args=[theirs.pk])).status_code == 404


def test_intake_lookup_shows_only_visible_cases(client, org, two_departments):
    ours, theirs = two_departments
    client.force_login(org.agent)
    html = client.get(reverse("web:lookup"), {"phone": "13812345678"}).content.decode()
    assert theirs.number in html and ours.number in html


def test_api_list_and_detail_follow_the_same_rule(org, two_departments):
    ours, theirs = two_departments
    api = APIClient()
    api.force_authenticate(org.handler)
    listed = api.get("/api/v1/complaints/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["number"] for row in rows] == [ours.number]
    assert api.get(f"/api/v1/complaints/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/complaints/by-number/{theirs.number}/").status_code == 404


@pytest.mark.parametrize(("role", "has_department"), [("", True), ("agent", False)])
def test_no_role_or_department_gets_a_translated_403_not_500(client, org, two_departments, role, has_department):
    ours, _theirs = two_departments
    user = User.objects.create_user(
        username="odd", password="pw-12345678", role=role, department=org.service if has_department else None
    )
    client.force_login(user)
    for url in (reverse("web:queue", args=["all"]), reverse("web:complaint", args=[ours.pk]), reverse("web:visit", args=[ours.pk])):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "有效的角色或部门" in response.content.decode()
    response = client.post(reverse("web:act", args=[ours.pk, "add_note"]), {"add_note-text": "x"})
    assert response.status_code == 403
    assert ours.events.filter(type="note_added").count() == 0
    client.cookies["django_language"] = "en"
    english = client.get(reverse("web:queue", args=["all"]))
    assert english.status_code == 403 and "valid role or department" in english.content.decode()
    api = APIClient()
    api.force_authenticate(user)
    for url in ("/api/v1/complaints/", f"/api/v1/complaints/{ours.pk}/"):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "not_permitted"
