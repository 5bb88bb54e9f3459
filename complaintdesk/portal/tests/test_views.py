"""Portal pages through the test client: what a customer (or someone guessing) can and cannot do."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaintdesk.complaints import services as complaint_services
from complaintdesk.complaints.choices import ContactKind, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.core import clock
from complaintdesk.notifications.models import OutboundMessage
from complaintdesk.portal.links import link_read, link_token, portal_link_for
from complaintdesk.portal.tests.conftest import last_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def body(response) -> str:
    """The page without its per-response CSRF token (the only part allowed to differ)."""
    return CSRF.sub("", response.content.decode())


def sign_in(client, phone: str) -> None:
    client.post(reverse("portal:login"), {"phone": phone})
    response = client.post(reverse("portal:login"), {"phone": phone, "code": last_code(phone)})
    assert response.status_code == 302 and response.url == reverse("portal:mine")


def submission(**extra):
    data = dict(token="tok-1", customer_name="李雷", salutation="mr", phone="13900001111", address="",
                subject="电梯经常停运", description="2栋电梯这周停了三次", demand="")
    data.update(extra)
    return data


# -- submit -----------------------------------------------------------------------------------


def test_submit_shows_the_number_and_the_promised_answer_time(client, org):
    page = client.get(reverse("portal:submit"))
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    assert len(token) >= 32
    response = client.post(reverse("portal:submit"),
                           {**submission(token=token), "photos": [SimpleUploadedFile("p.png", PNG)]})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    done = client.get(response.url).content.decode()
    assert complaint.number in done
    due = timezone.localtime(complaint.first_answer_due_at).strftime("%Y-%m-%d %H:%M")
    assert due in done and "答复" in done
    assert complaint.attachments.count() == 1


def test_a_double_submit_makes_one_complaint(client, org):
    first = client.post(reverse("portal:submit"), submission())
    second = client.post(reverse("portal:submit"), submission())
    assert Complaint.objects.count() == 1
    assert first.url == second.url


def test_a_bad_photo_is_refused_with_a_message_and_nothing_is_stored(client, org):
    response = client.post(reverse("portal:submit"),
                           {**submission(), "photos": [SimpleUploadedFile("p.png", b"GIF89a fake")]})
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_bad_phone_is_refused_in_words(client, org):
    response = client.post(reverse("portal:submit"), submission(phone="12345"))
    assert response.status_code == 400 and "电话号码格式不正确" in response.content.decode()


def test_submissions_are_rate_limited(client, org, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "submit_ip": (2, 3600)}
    for i in range(2):
        assert client.post(reverse("portal:submit"), submission(token=f"t{i}")).status_code == 302
    assert client.post(reverse("portal:submit"), submission(token="t9")).status_code == 429
    assert Complaint.objects.count() == 2


# -- sign-in and one's own complaints ----------------------------------------------------------


def test_signed_in_customer_sees_only_their_own_complaints(client, org):
    mine = receive(org, phone="13812345678", subject="我家的热水器")
    other = receive(org, phone="13698765432", customer_name="韩梅梅", subject="别人家的门禁")
    sign_in(client, "13812345678")
    page = client.get(reverse("portal:mine")).content.decode()
    assert mine.number in page and "我家的热水器" in page
    assert other.number not in page and "别人家的门禁" not in page
    assert client.get(reverse("portal:case", args=[mine.pk])).status_code == 200
    assert client.get(reverse("portal:case", args=[other.pk])).status_code == 404
    assert client.get(reverse("portal:case", args=[other.pk + 1000])).status_code == 404


def test_the_code_page_reads_the_same_for_a_customer_and_a_stranger(client, org):
    receive(org, phone="13812345678")
    known = client.post(reverse("portal:login"), {"phone": "13812345678"})
    unknown = client.post(reverse("portal:login"), {"phone": "13712345678"})
    assert known.status_code == unknown.status_code == 200
    assert body(known).replace("13812345678", "PHONE") == body(unknown).replace("13712345678", "PHONE")


def test_a_wrong_code_does_not_sign_in(client, org):
    receive(org, phone="13812345678")
    client.post(reverse("portal:login"), {"phone": "13812345678"})
    code = last_code("13812345678")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(reverse("portal:login"), {"phone": "13812345678", "code": wrong})
    assert response.status_code == 400 and "验证码错误或已失效" in response.content.decode()
    assert client.get(reverse("portal:mine")).status_code == 302


def test_codes_per_phone_are_rate_limited(client, org, settings):
    receive(org, phone="13812345678")
    limit = settings.PORTAL_RATE_LIMITS["code_phone"][0]
    for _ in range(limit):
        assert client.post(reverse("portal:login"), {"phone": "13812345678"}).status_code == 200
    assert client.post(reverse("portal:login"), {"phone": "138 1234 5678"}).status_code == 429
    assert OutboundMessage.objects.filter(template_code="login_code").count() == limit


def test_sign_out_ends_the_portal_session_only(client, org):
    receive(org, phone="13812345678")
    sign_in(client, "13812345678")
    client.post(reverse("portal:logout"))
    assert client.get(reverse("portal:mine")).status_code == 302


def test_staff_login_does_not_open_the_portal(client, org):
    complaint = receive(org, phone="13812345678")
    client.force_login(org.admin)
    assert client.get(reverse("portal:case", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("portal:mine")).status_code == 302


# -- tracking by number and phone -------------------------------------------------------------


def test_tracking_by_number_and_phone_opens_the_case(client, org):
    complaint = receive(org, phone="13812345678")
    response = client.post(reverse("portal:track"), {"number": complaint.number.lower(), "phone": "138 1234 5678"})
    assert response.status_code == 302 and response.url == reverse("portal:case", args=[complaint.pk])
    assert complaint.number in client.get(response.url).content.decode()


def test_wrong_number_and_wrong_phone_get_identical_answers(client, org):
    complaint = receive(org, phone="13812345678")
    other = receive(org, phone="13698765432", customer_name="韩梅梅")
    answers = [
        client.post(reverse("portal:track"), {"number": "TS2099010100001", "phone": "13812345678"}),
        client.post(reverse("portal:track"), {"number": complaint.number, "phone": "13698765432"}),
        client.post(reverse("portal:track"), {"number": other.number, "phone": "13812345678"}),
        client.post(reverse("portal:track"), {"number": complaint.number, "phone": "12345"}),
        client.post(reverse("portal:track"), {"number": "TS\x00", "phone": "13812345678"}),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({body(a) for a in answers}) == 1
    assert client.get(reverse("portal:case", args=[complaint.pk])).status_code == 404


def test_tracking_is_rate_limited(client, org, settings):
    complaint = receive(org, phone="13812345678")
    limit = settings.PORTAL_RATE_LIMITS["track_ip"][0]
    for i in range(limit):
        client.post(reverse("portal:track"), {"number": f"TS20990101{i:05d}", "phone": "13812345678"})
    response = client.post(reverse("portal:track"), {"number": complaint.number, "phone": "13812345678"})
    assert response.status_code == 429  # even the right pair, once over the limit


def test_tracking_shows_progress_but_does_not_answer_the_visit(client, org):
    complaint = make(org, Status.AWAITING_VISIT)
    client.post(reverse("portal:track"), {"number": complaint.number, "phone": complaint.contact_phone})
    page = client.get(reverse("portal:case", args=[complaint.pk])).content.decode()
    assert "待回访" in page and 'id="visit-form"' not in page
    response = client.post(reverse("portal:visit", args=[complaint.pk]), {"satisfied": "yes"})
    assert response.status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_VISIT


# -- what a case page shows -------------------------------------------------------------------


def test_the_case_page_shows_plain_progress_promises_and_nothing_internal(client, org):
    org.handler.display_name = "张处理员"
    org.handler.save()
    org.agent.display_name = "王专员"
    org.agent.save()
    complaint = make(org, Status.IMPLEMENTING)
    complaint_services.complaint_add_note(complaint=complaint, actor=org.handler, text="内部备注：客户比较难缠")
    promised = clock.now() + dt.timedelta(days=2)
    complaint_services.complaint_log_contact(complaint=complaint, actor=org.agent, kind=ContactKind.CALLBACK_PROMISED,
                                             note="跟客户说周四给答复（内部记录）", promised_for=promised)
    client.post(reverse("portal:track"), {"number": complaint.number, "phone": complaint.contact_phone})
    page = client.get(reverse("portal:case", args=[complaint.pk])).content.decode()
    assert "处理中" in page

    assert timezone.localtime(promised).strftime("%Y-%m-%d %H:%M") in page
    assert timezone.localtime(complaint.implement_due_at).strftime("%Y-%m-%d %H:%M") in page
    assert timezone.localtime(complaint.first_answer_due_at).strftime("%Y-%m-%d %H:%M") in page
    complaint.refresh_from_db()
    for secret in ["内部备注", "客户比较难缠", "内部记录", "张处理员", "王专员", org.engineering.name,
                   complaint.cause_analysis, complaint.responsibility, complaint.approval_comment,
                   complaint.compensation_description, "同意", "temperature"]:
        if secret:
            assert secret not in page, secret


def test_the_selector_returns_customer_safe_fields_only(org):
    from complaintdesk.portal.selectors import CaseView, portal_case_get

    complaint = make(org, Status.RECEIPT_SUBMITTED)
    view = portal_case_get(complaint_id=complaint.pk)
    fields = set(CaseView.__dataclass_fields__)
    assert not fields & {"handler", "department", "first_owner", "cause_analysis", "responsibility", "receipt_text",
                         "approval_comment", "approved_by", "visit_notes", "plan_options", "compensation_amount"}
    assert "回单" not in repr(view) and complaint.receipt_text not in repr(view)
    assert view.step == "handling" and [s.state for s in view.steps] == ["done", "current", "todo", "todo"]


def test_an_invalid_complaint_shows_the_explanation_given_to_the_customer(client, org):
    complaint = receive(org, phone="13812345678")
    complaint_services.complaint_review_invalid(complaint=complaint, actor=org.agent, reason="非我司责任范围",
                                                explanation="该问题属于燃气公司管理，已告知您联系方式。")
    client.post(reverse("portal:track"), {"number": complaint.number, "phone": "13812345678"})
    page = client.get(reverse("portal:case", args=[complaint.pk])).content.decode()
    assert "已办结" in page and "该问题属于燃气公司管理" in page and "不成立" in page
    assert "非我司责任范围" not in page


# -- signed links in SMS ----------------------------------------------------------------------


def test_every_customer_sms_carries_a_link_that_opens_the_case(client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = receive(org, phone="13812345678")
    sms = OutboundMessage.objects.get(complaint=complaint, template_code="receipt").body
    url = re.search(r"https?://\S+/portal/l/\S+/", sms).group(0)
    assert url.split("/portal/l/")[0] == portal_link_for(complaint).split("/portal/l/")[0]
    token = url.split("/portal/l/")[1].rstrip("/")
    assert link_read(token)[0] == complaint.pk
    response = client.get(reverse("portal:link", args=[token]))
    assert response.status_code == 302
    assert complaint.number in client.get(response.url).content.decode()


def test_a_link_answers_the_return_visit(client, org):
    complaint = make(org, Status.AWAITING_VISIT)
    client.get(reverse("portal:link", args=[link_token(complaint)]))
    page = client.get(reverse("portal:case", args=[complaint.pk])).content.decode()
    assert 'id="visit-form"' in page
    data = {"satisfied": "yes", "satisfaction": "5", "comment": "满意",
            **{f"dim_{k}": "5" for k in ["tangibles", "empathy", "assurance", "responsiveness", "reliability"]}}
    response = client.post(reverse("portal:visit", args=[complaint.pk]), data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.satisfaction_dimensions["reliability"] == 5


def test_a_visit_with_missing_scores_is_refused_in_words(client, org):
    complaint = make(org, Status.AWAITING_VISIT)
    client.get(reverse("portal:link", args=[link_token(complaint)]))
    response = client.post(reverse("portal:visit", args=[complaint.pk]), {"satisfied": "yes", "satisfaction": "5"})
    assert response.status_code == 400 and response.content.decode().count("该字段是必填项") == 5
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_VISIT


def test_a_tampered_expired_or_rebound_link_opens_nothing(client, org, settings):
    complaint = receive(org, phone="13812345678")
    token = link_token(complaint)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("portal:link", args=[tampered])).status_code == 404
    other = receive(org, phone="13698765432", customer_name="韩梅梅")
    forged = token.replace(f"{complaint.pk}.", f"{other.pk}.", 1)
    assert client.get(reverse("portal:link", args=[forged])).status_code == 404
    later = clock.now() + dt.timedelta(days=settings.PORTAL_LINK_MAX_AGE_DAYS, hours=1)
    import time

    real_time = time.time
    try:
        time.time = lambda: later.timestamp()
        assert client.get(reverse("portal:link", args=[token])).status_code == 404
    finally:
        time.time = real_time
    Complaint.objects.filter(pk=complaint.pk).update(contact_phone="13711112222")
    assert client.get(reverse("portal:link", args=[token])).status_code == 404
    assert client.get(reverse("portal:case", args=[complaint.pk])).status_code == 404


# -- rights and language ----------------------------------------------------------------------


def test_the_rights_page_lists_12315_and_the_five_routes(client, db):
    page = client.get(reverse("portal:rights")).content.decode()
    for text in ["12315", "www.12315.cn", "第三十九条", "与经营者协商和解", "请求消费者协会或者依法成立的其他调解组织调解",
                 "向有关行政部门投诉", "根据与经营者达成的仲裁协议提请仲裁机构仲裁", "向人民法院提起诉讼"]:
        assert text in page, text


def test_the_portal_speaks_english_through_the_same_language_switch(client, org):
    complaint = make(org, Status.AWAITING_VISIT)
    client.post(reverse("set_language"), {"language": "en", "next": "/portal/"})
    assert "Article 39" in client.get(reverse("portal:rights")).content.decode()
    client.get(reverse("portal:link", args=[link_token(complaint)]))
    page = client.get(reverse("portal:case", args=[complaint.pk])).content.decode()
    assert "Awaiting your feedback" in page and "Were we quick to respond and act" in page
    assert "待回访" not in page and "我们的承诺" not in page
