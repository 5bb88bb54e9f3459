"""Alibaba Cloud SMS (短信服务, dysmsapi 2017-05-25 ``SendSms``), signature version 1.0.

Settings: ``ALIYUN_SMS_ACCESS_KEY_ID``, ``ALIYUN_SMS_ACCESS_KEY_SECRET``, ``ALIYUN_SMS_SIGN_NAME``
(签名), ``ALIYUN_SMS_TEMPLATES`` mapping our template codes to approved Aliyun template codes
(Aliyun only sends pre-approved templates; our rendered context is passed as ``TemplateParam``),
and optionally ``ALIYUN_SMS_ENDPOINT``. Our idempotency key goes in ``OutId`` so a resend after a
crash can be matched against the provider's delivery report.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings

from complaintdesk.notifications.sms import SmsError

ENDPOINT = "https://dysmsapi.aliyuncs.com/"


def _encode(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def sign(params: dict[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_encode('/')}&{_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    name = "aliyun"

    def __init__(self, opener=urllib.request.urlopen):
        self.opener = opener
        self.key_id = settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.secret = settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.ALIYUN_SMS_SIGN_NAME
        self.templates = getattr(settings, "ALIYUN_SMS_TEMPLATES", {})
        self.endpoint = getattr(settings, "ALIYUN_SMS_ENDPOINT", ENDPOINT)

    def request_url(self, message, *, now: dt.datetime | None = None, nonce: str | None = None) -> str:
        template = self.templates.get(message.template_code)
        if not template:
            raise SmsError(f"no Aliyun template configured for {message.template_code!r}", retryable=False)
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": message.idempotency_key[:64],
            "PhoneNumbers": message.to,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps({k: v for k, v in (message.params or {}).items() if k != "redact"}, ensure_ascii=False),
            "Timestamp": (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = sign(params, self.secret)
        return self.endpoint + "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)

    def send(self, message) -> str:
        url = self.request_url(message)
        try:
            with self.opener(url, timeout=10) as response:
                payload = json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsError(f"Aliyun SMS unreachable: {exc}")
        if payload.get("Code") != "OK":
            retryable = payload.get("Code") in {
                "isv.BUSINESS_LIMIT_CONTROL",
                "SignatureNonceUsed",
                "Throttling",
            }
            raise SmsError(
                f"Aliyun SMS refused: {payload.get('Code')} {payload.get('Message')}", retryable=retryable
            )
        return payload.get("BizId", "")
