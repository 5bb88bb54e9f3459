import datetime as dt
import json
import urllib.parse

import pytest

from complaintdesk.complaints.tests.factories import receive
from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.notifications import services
from complaintdesk.notifications.models import MessageTemplate, Notification, OutboundMessage, OutboundStatus
from complaintdesk.notifications.selectors import notification_list, unread_count
from complaintdesk.notifications.sms import SmsError, locmem
from complaintdesk.notifications.sms.aliyun import AliyunSmsBackend, sign

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.SMS_BACKEND = "complaintdesk.notifications.sms.locmem.LocmemSmsBackend"
    locmem.outbox.clear()


def test_notify_is_idempotent_and_counts_unread(org):
    with clock.frozen(T0):
        assert (
            services.notify(
                recipients=[org.agent.pk, org.handler.pk], kind="escalated", text="升级", key="k1"
            )
            == 2
        )
        services.notify(recipients=[org.agent.pk], kind="escalated", text="升级", key="k1")
    assert Notification.objects.filter(recipient=org.agent).count() == 1
    assert unread_count(user=org.agent) == 1
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert services.notification_mark_read(user=org.agent) == 1
    assert unread_count(user=org.agent) == 0 and unread_count(user=org.handler) == 1
    assert [n.text for n in notification_list(user=org.handler)] == ["升级"]


def test_notices_are_emailed_once_to_staff_with_an_address(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    org.handler.email = "handler@example.com"
    org.handler.save()
    with clock.frozen(T0), django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[org.handler.pk, org.agent.pk], kind="escalated", text="投诉已升级", key="e1"
        )
    assert [m.to for m in mailoutbox] == [["handler@example.com"]]
    assert services.send_notification_emails([f"e1:u{org.handler.pk}"]) == 0
    assert Notification.objects.get(recipient=org.handler).emailed_at == T0


def test_customer_is_told_on_receipt_by_sms_once(org, django_capture_on_commit_callbacks):
    with clock.frozen(T0), django_capture_on_commit_callbacks(execute=True):
        complaint = receive(org)
    message = OutboundMessage.objects.get(complaint=complaint, template_code="receipt")
    assert message.status == OutboundStatus.SENT and message.to == complaint.contact_phone
    assert complaint.number in message.body and "王先生" in message.body
    assert "03月11日17:00" in message.body  # 24 h after 09:00 UTC = 17:00 Shanghai next day
    assert len(locmem.outbox) == 1
    assert (
        services.send_customer_message(
            complaint=complaint, template_code="receipt", key=f"receipt:{complaint.pk}"
        )
        is None
    )
    assert services.deliver(message.pk) == OutboundStatus.SENT and len(locmem.outbox) == 1


def test_customer_sms_is_in_chinese_even_when_the_agent_works_in_english(org, django_capture_on_commit_callbacks):
    from django.utils import translation

    with clock.frozen(T0), translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        complaint = receive(org)
    body = OutboundMessage.objects.get(complaint=complaint, template_code="receipt").body
    text = body.split("http")[0]  # the tracking link's signature is random letters ("…MrF4…")
    assert "王先生" in text and "Mr" not in text and "http" in body


def test_failed_sms_stays_queued_then_retry_sweep_sends_it(org, settings, monkeypatch):
    with clock.frozen(T0):
        complaint = receive(org)
        message = services.send_customer_message(complaint=complaint, template_code="receipt", key="r-x")
    calls = {"n": 0}

    def flaky(self, msg):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SmsError("timeout")
        return "ok-1"

    monkeypatch.setattr(locmem.LocmemSmsBackend, "send", flaky)
    with pytest.raises(SmsError):
        services.deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (OutboundStatus.QUEUED, 1, "timeout")
    from complaintdesk.enforcement import sweeps

    with clock.frozen(T0 + dt.timedelta(minutes=10)):
        run = sweeps.run("outbound_retry")
    message.refresh_from_db()
    assert run.acted >= 1 and message.status == OutboundStatus.SENT and message.provider_id == "ok-1"


def test_templates_are_checked_for_forbidden_phrases_and_placeholders():
    assert services.template_problems("{name}您好，您的投诉{number}已受理。") == []
    problems = services.template_problems("{name}您好，这不是我负责的，你尽管投诉好了。{foo}")
    assert any("{foo}" in p for p in problems)
    assert any("不是我负责" in p or "尽管投诉" in p for p in problems)
    with pytest.raises(ValidationFailed):
        services.message_template_save(code="bad", name="坏模板", body="不知道，找领导去。")
    assert services.message_template_save(code="ok", name="好模板", body="{name}您好，已为您登记。").pk
    for template in MessageTemplate.objects.all():
        assert services.template_problems(template.body) == [], template.code


def test_aliyun_request_is_signed_and_parsed(settings):
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "testid"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "testsecret"
    settings.ALIYUN_SMS_SIGN_NAME = "投诉工单台"
    settings.ALIYUN_SMS_TEMPLATES = {"receipt": "SMS_123"}
    message = OutboundMessage(
        template_code="receipt",
        to="13800000000",
        body="x",
        params={"number": "TS1"},
        idempotency_key="receipt:1",
    )
    seen = {}

    class Response:
        def __init__(self, payload):
            self.payload = payload

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return json.dumps(self.payload).encode()

    def opener(url, timeout):
        seen["url"] = url
        return Response({"Code": "OK", "BizId": "biz-9"})

    backend = AliyunSmsBackend(opener=opener)
    assert backend.send(message) == "biz-9"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(seen["url"]).query))
    signature = query.pop("Signature")
    assert signature == sign(query, "testsecret")
    assert query["TemplateCode"] == "SMS_123" and json.loads(query["TemplateParam"]) == {"number": "TS1"}
    assert query["OutId"] == "receipt:1" and query["PhoneNumbers"] == "13800000000"

    backend = AliyunSmsBackend(opener=lambda url, timeout: Response({"Code": "isv.MOBILE_NUMBER_ILLEGAL"}))
    with pytest.raises(SmsError) as info:
        backend.send(message)
    assert info.value.retryable is False


def test_aliyun_signature_canonicalises_as_documented():
    # POP signature v1: sorted keys, RFC 3986 encoding (space → %20, * → %2A, ~ kept), then the
    # whole query encoded again after "GET&%2F&"; HMAC-SHA1 keyed with secret + "&".
    import base64
    import hashlib
    import hmac

    params = {"b": "x y*", "a": "~é", "SignName": "投诉"}
    canonical = "SignName=%E6%8A%95%E8%AF%89&a=~%C3%A9&b=x%20y%2A"
    to_sign = "GET&%2F&" + urllib.parse.quote(canonical, safe="~")
    expected = base64.b64encode(hmac.new(b"secret&", to_sign.encode(), hashlib.sha1).digest()).decode()
    assert "%2520" in to_sign and "%252A" in to_sign
    assert sign(params, "secret") == expected
