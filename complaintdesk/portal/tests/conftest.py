from __future__ import annotations

import os
import re
from pathlib import Path

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


# -- screenshots (the browser fixture is the root conftest's, shared with the workspace's tests) --

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """Saved under docs/screenshots/ when SCREENSHOTS=1."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if full_page:  # the fixed tab bar would float mid-picture: show it at the end of the page
            page.add_style_tag(content="nav.p-tabs{position:static} body.portal{padding-bottom:0}")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
