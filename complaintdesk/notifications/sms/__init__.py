"""Pluggable SMS backends, chosen by ``settings.SMS_BACKEND`` (a dotted path).

* ``console.ConsoleSmsBackend`` (default) — writes the message to the log/stdout;
* ``locmem.LocmemSmsBackend`` — keeps messages in ``outbox`` (tests);
* ``aliyun.AliyunSmsBackend`` — Alibaba Cloud SMS (dysmsapi ``SendSms``) over HTTPS.

A backend's ``send(message)`` returns the provider's id or raises :class:`SmsError`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "complaintdesk.notifications.sms.console.ConsoleSmsBackend"


class SmsError(Exception):
    """The provider refused or could not be reached; ``retryable`` says whether to try again."""

    def __init__(self, message: str, *, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


def get_backend():
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()
