"""Portal services: submission, sign-in codes, the customer's return visit."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from complaintdesk.complaints.choices import Channel, EscalationLevel, Status, VisitMethod
from complaintdesk.complaints.models import Attachment, Complaint
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import clock
from complaintdesk.core.errors import InvalidTransition, ValidationFailed
from complaintdesk.notifications.models import OutboundMessage
from complaintdesk.org.models import Role, User
from complaintdesk.portal import services
from complaintdesk.portal.models import LoginCode, Submission
from complaintdesk.portal.tests.conftest import last_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = dict(phone="139 0000 1111", customer_name="李雷", salutation="mr", address="阳光花园2栋",
            subject="电梯经常停运", description="2栋电梯这周停了三次，老人上下楼很困难", demand="尽快修好")


def photo(name="a.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_submit_creates_an_online_complaint_owned_by_the_portal_account(org):
    complaint, created = services.portal_complaint_submit(token="t1", photos=[photo(), photo("b.png")], **FORM)
    assert created
    assert complaint.channel == Channel.ONLINE and complaint.portal_submitted
    assert complaint.contact_phone == "13900001111" and complaint.status == Status.RECEIVED
    assert complaint.first_answer_due_at is not None
    owner = complaint.first_owner
    assert owner.username == "portal" and owner.role == Role.AGENT and owner.department == org.service
    assert not owner.has_usable_password()
    assert Attachment.objects.filter(complaint=complaint).count() == 2


def test_the_same_token_twice_returns_the_first_complaint(org):
    first, created = services.portal_complaint_submit(token="same", **FORM)
    again, created_again = services.portal_complaint_submit(token="same", **FORM)
    assert created and not created_again and again.pk == first.pk
    assert Complaint.objects.count() == 1 and Submission.objects.count() == 1


def test_a_bad_photo_stores_nothing_and_the_token_can_be_used_again(org):
    with pytest.raises(ValidationFailed) as error:
        services.portal_complaint_submit(token="t2", photos=[photo("x.png", b"not a png at all")], **FORM)
    assert "file" in error.value.errors or "photos" in error.value.errors
    assert not Complaint.objects.exists() and not Submission.objects.exists()
    complaint, created = services.portal_complaint_submit(token="t2", photos=[photo()], **FORM)
    assert created and complaint.pk


def test_only_photos_are_accepted_and_at_most_six(org, settings):
    with pytest.raises(ValidationFailed) as error:
        services.portal_complaint_submit(token="t", photos=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")], **FORM)
    assert "photos" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        services.portal_complaint_submit(token="t", photos=[photo() for _ in range(settings.PORTAL_MAX_PHOTOS + 1)],
                                         **FORM)
    assert "photos" in error.value.errors
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("field,value", [("description", "长" * 2001), ("subject", "题" * 101), ("demand", "a\x00b")])
def test_text_is_bounded(org, field, value):
    with pytest.raises(ValidationFailed) as error:
        services.portal_complaint_submit(token="t", **{**FORM, field: value})
    assert field in error.value.errors
    assert not Complaint.objects.exists()


def test_without_a_service_centre_the_portal_says_so(db):
    with pytest.raises(services.PortalUnavailable):
        services.portal_complaint_submit(token="t", **FORM)
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_one_token_make_one_complaint(org):
    services.portal_account()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def post():
        try:
            barrier.wait()
            results.append(services.portal_complaint_submit(token="race", **FORM))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Complaint.objects.count() == 1
    assert {c.pk for c, _created in results} == {Complaint.objects.get().pk}
    assert sorted(created for _c, created in results) == [False, True]


# -- sign-in codes ----------------------------------------------------------------------------


def test_a_code_is_sent_hashed_and_signs_the_customer_in_once(org):
    complaint = receive(org, phone="13812345678")
    assert services.portal_code_send(phone="138-1234-5678")
    code = last_code("13812345678")
    stored = LoginCode.objects.get()
    assert len(stored.code_hash) == 64 and stored.code_hash != code
    assert services.portal_code_verify(phone="13812345678", code=code) == (complaint.customer_id, "13812345678")
    with pytest.raises(ValidationFailed):
        services.portal_code_verify(phone="13812345678", code=code)


def test_no_code_for_a_phone_with_no_complaints(org):
    assert services.portal_code_send(phone="13700000000") is False
    assert not OutboundMessage.objects.exists() and not LoginCode.objects.exists()


def test_a_code_expires(org, settings):
    receive(org, phone="13812345678")
    start = clock.now()
    with clock.frozen(start):
        services.portal_code_send(phone="13812345678")
    code = last_code("13812345678")
    with clock.frozen(start + dt.timedelta(minutes=settings.PORTAL_CODE_TTL_MINUTES, seconds=1)):
        with pytest.raises(ValidationFailed):
            services.portal_code_verify(phone="13812345678", code=code)


def test_a_code_dies_after_the_allowed_attempts(org, settings):
    receive(org, phone="13812345678")
    services.portal_code_send(phone="13812345678")
    code = last_code("13812345678")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.PORTAL_CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed):
            services.portal_code_verify(phone="13812345678", code=wrong)
    with pytest.raises(ValidationFailed):
        services.portal_code_verify(phone="13812345678", code=code)  # right, but too late
    assert LoginCode.objects.get().attempts == settings.PORTAL_CODE_MAX_ATTEMPTS


def test_a_new_code_replaces_the_old_one(org):
    receive(org, phone="13812345678")
    services.portal_code_send(phone="13812345678")
    old = last_code("13812345678")
    services.portal_code_send(phone="13812345678")
    new = last_code("13812345678")
    if old != new:
        with pytest.raises(ValidationFailed):
            services.portal_code_verify(phone="13812345678", code=old)
    assert services.portal_code_verify(phone="13812345678", code=new)


def test_the_login_code_template_passes_the_phrase_checker(db):
    from complaintdesk.notifications.models import MessageTemplate
    from complaintdesk.notifications.services import template_problems

    for template in MessageTemplate.objects.all():
        assert template_problems(template.body) == [], template.code


# -- the return visit -------------------------------------------------------------------------

DIMS = {"tangibles": 5, "empathy": 4, "assurance": 5, "responsiveness": 4, "reliability": 5}


def test_satisfied_closes_with_scores_per_dimension(org):
    complaint = make(org, Status.AWAITING_VISIT)
    services.portal_visit_answer(complaint_id=complaint.pk, satisfied=True, satisfaction="5", dimensions=DIMS,
                                 comment="师傅很负责")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.visit_method == VisitMethod.ONLINE
    assert complaint.satisfaction == 5 and complaint.satisfaction_dimensions == DIMS
    assert complaint.visit_notes == "师傅很负责"


def test_unsatisfied_goes_back_up_to_the_department(org):
    complaint = make(org, Status.AWAITING_VISIT)
    level = complaint.escalation_level
    services.portal_visit_answer(complaint_id=complaint.pk, satisfied=False, satisfaction="2",
                                 dimensions={**DIMS, "reliability": 1})
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING and complaint.handling_rounds == 2
    assert complaint.escalation_level == min(level + 1, EscalationLevel.MANAGEMENT)


def test_every_dimension_needs_a_score(org):
    complaint = make(org, Status.AWAITING_VISIT)
    with pytest.raises(ValidationFailed) as error:
        services.portal_visit_answer(complaint_id=complaint.pk, satisfied=True, satisfaction="5",
                                     dimensions={"tangibles": 5})
    assert set(error.value.errors) == {"empathy", "assurance", "responsiveness", "reliability"}
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_VISIT


def test_a_visit_cannot_be_answered_before_handling_is_done(org):
    complaint = make(org, Status.HANDLING)
    with pytest.raises(InvalidTransition):
        services.portal_visit_answer(complaint_id=complaint.pk, satisfied=True, satisfaction="5", dimensions=DIMS)


def test_every_customer_sms_template_carries_the_link(db):
    from complaintdesk.notifications.models import MessageTemplate

    bodies = dict(MessageTemplate.objects.values_list("code", "body"))
    for code in ["receipt", "first_answer", "progress", "result", "visit"]:
        assert "{link}" in bodies[code], code
    assert "{code}" in bodies["login_code"] and "{link}" not in bodies["login_code"]


def test_without_a_link_builder_the_placeholder_is_empty(org, settings):
    from complaintdesk.notifications.models import MessageTemplate
    from complaintdesk.notifications.services import render

    complaint = receive(org)
    template = MessageTemplate.objects.get(code="receipt")
    assert "/portal/l/" in render(template, complaint)[0]
    settings.CUSTOMER_LINK_BUILDER = ""
    assert "/portal/" not in render(template, complaint)[0]


def test_codes_still_go_out_without_the_template_row_but_not_when_it_is_switched_off(org):
    from complaintdesk.notifications.models import MessageTemplate

    receive(org, phone="13812345678")
    MessageTemplate.objects.filter(code="login_code").delete()
    services.portal_code_send(phone="13812345678")
    assert len(last_code("13812345678")) == 6
    MessageTemplate.objects.create(code="login_code", name="验证码", body="码{code}", active=False)
    count = OutboundMessage.objects.count()
    services.portal_code_send(phone="13812345678")
    assert OutboundMessage.objects.count() == count
