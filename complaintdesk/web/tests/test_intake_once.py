"""The intake form cannot create two complaints from one submission (double-click, resent POST),
and a call-back promised for an absurd date is refused on the web form too."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint, ContactLog, IntakeKey
from complaintdesk.complaints.tests.factories import receive

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db

FORM = {"phone": "13900001111", "customer_name": "李雷", "salutation": "mr", "channel": "phone",
        "subject": "电梯停运", "description": "电梯停了一天没人管", "demand": "尽快修好电梯"}


def _token(html: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', html).group(1)


def test_the_form_carries_a_fresh_one_time_token_and_disables_its_button(client, org):
    client.force_login(org.agent)
    first = client.get(reverse("web:intake")).content.decode()
    second = client.get(reverse("web:intake")).content.decode()
    assert _token(first) != _token(second)
    assert "hx-disabled-elt=\"find button[type='submit']\"" in first and "data-submit-once" in first


def test_submitting_the_same_form_twice_creates_one_complaint(client, org, pinned_clock):
    client.force_login(org.agent)
    token = _token(client.get(reverse("web:intake")).content.decode())
    first = client.post(reverse("web:intake"), {**FORM, "form_token": token}, **HTMX)
    second = client.post(reverse("web:intake"), {**FORM, "form_token": token}, **HTMX)
    assert first.status_code == second.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.number in first.content.decode() and complaint.number in second.content.decode()
    assert IntakeKey.objects.get().complaint == complaint
    # The page after saving offers a new token for the next call.
    assert _token(second.content.decode()) != token
    third = client.post(reverse("web:intake"), {**FORM, "form_token": _token(first.content.decode())}, **HTMX)
    assert third.status_code == 200 and Complaint.objects.count() == 2


def test_a_refused_intake_leaves_its_token_usable(client, org, pinned_clock):
    client.force_login(org.agent)
    token = _token(client.get(reverse("web:intake")).content.decode())
    refused = client.post(reverse("web:intake"), {**FORM, "phone": "123", "form_token": token}, **HTMX)
    assert refused.status_code == 422 and not IntakeKey.objects.exists()
    saved = client.post(reverse("web:intake"), {**FORM, "form_token": token}, **HTMX)
    assert saved.status_code == 200 and Complaint.objects.count() == 1


@pytest.mark.parametrize("when", ["9999-12-31T10:00", "2030-01-01T10:00"])
def test_the_web_form_refuses_a_call_back_promised_too_far_ahead(client, org, pinned_clock, when):
    c = receive(org)
    client.force_login(org.agent)
    response = client.post(
        reverse("web:act", args=[c.pk, "log_contact"]),
        {"log_contact-kind": "callback_promised", "log_contact-note": "约定回电", "log_contact-promised_for": when},
        **HTMX,
    )
    assert response.status_code == 422, response.status_code
    assert "天之后" in response.content.decode(), response.content.decode()
    assert not ContactLog.objects.filter(complaint=c).exists()
    c.refresh_from_db()
    assert c.status == Status.RECEIVED and c.next_callback_due_at is None
