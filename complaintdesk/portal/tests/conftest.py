from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from complaintdesk.notifications.models import OutboundMessage


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def last_code(phone: str) -> str:
    """The sign-in code as the customer reads it: the newest SMS to ``phone``."""
    body = OutboundMessage.objects.filter(to=phone, template_code="login_code").latest("pk").body
    return re.search(r"\d{6}", body).group(0)
