"""Signed, expiring links in customer SMS that open one case without a sign-in code.

The token carries the complaint id and a keyed digest of the contact phone (never the phone in
clear, so it does not end up in proxy logs), signed with ``TimestampSigner``. It is valid for
``PORTAL_LINK_MAX_AGE_DAYS`` and only while the complaint's contact phone is still that phone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "complaintdesk.portal.link"


def _phone_digest(phone: str) -> str:
    return salted_hmac(SALT + ".phone", phone).hexdigest()[:12]


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def link_token(complaint) -> str:
    return _signer().sign(f"{complaint.pk}.{_phone_digest(complaint.contact_phone)}")


def portal_link_for(complaint) -> str:
    """The absolute URL put in customer SMS (``PORTAL_BASE_URL`` + the signed path)."""
    path = reverse("portal:link", kwargs={"token": link_token(complaint)})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def link_read(token: str) -> tuple[int, str] | None:
    """``(complaint_id, phone_digest)`` of a valid, unexpired token, else ``None``."""
    max_age = dt.timedelta(days=settings.PORTAL_LINK_MAX_AGE_DAYS)
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    complaint_id, _sep, digest = value.partition(".")
    if not complaint_id.isdigit() or not digest:
        return None
    return int(complaint_id), digest


def phone_matches(digest: str, phone: str) -> bool:
    return constant_time_compare(digest, _phone_digest(phone))
