"""A customer on a phone (390×844) in Chromium: submits with a photo, signs in with the SMS code,
tracks by number and phone, answers the return visit, reads the rights page. Staff steps between
(review, dispatch, handling, 回单) run through the services, as the desk would."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest

from complaintdesk.complaints import services as complaint_services
from complaintdesk.complaints.choices import ContactKind, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import PLAN, RECEIPT
from complaintdesk.core import clock
from complaintdesk.portal.tests.conftest import last_code, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def png(width=48, height=32) -> bytes:
    """A small real PNG (a photo stand-in) built without any imaging library."""
    rows = b"".join(b"\x00" + bytes([200, 120 + (x % 60), 60]) * width for x in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def phone_page(browser):
    contexts = []

    def open_page():
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale="zh-CN")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_customer_on_a_phone(phone_page, live_server, org, tmp_path):
    page = phone_page()
    page.goto(f"{live_server.url}/portal/")
    screenshot(page, "portal-home")
    no_horizontal_scroll(page)

    # Submit with a photo; the number and the promised first-answer time come back.
    page.click(".p-actions >> text=我要投诉")
    page.fill("#id_customer_name", "李雷")
    page.check("input[name=salutation][value=mr]")
    page.fill("#id_phone", "139 0000 1111")
    page.fill("#id_address", "阳光花园2栋1201")
    page.fill("#id_subject", "电梯一周停运三次")
    page.fill("#id_description", "2栋电梯这周停了三次，每次都要等半天才有人来，老人上下楼很困难。")
    page.fill("#id_demand", "尽快彻底修好，并告知原因")
    photo = tmp_path / "elevator.png"
    photo.write_bytes(png())
    page.set_input_files("#id_photos", str(photo))
    screenshot(page, "portal-submit")
    no_horizontal_scroll(page)
    page.click("#submit-form button[type=submit]")
    done = page.wait_for_selector("#submitted")
    number = page.inner_text("#number").strip()
    complaint = Complaint.objects.get(number=number)
    assert "答复" in done.inner_text() and complaint.attachments.count() == 1
    screenshot(page, "portal-submitted", full_page=False)

    # Staff work through the services: valid, dispatched, a promised call-back, handled, 回单 accepted.
    complaint_services.complaint_review_valid(complaint=complaint, actor=org.agent, category=org.category)
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.agent, department=org.engineering)
    complaint_services.complaint_accept_ticket(complaint=complaint, actor=org.handler)
    complaint_services.complaint_log_contact(
        complaint=complaint, actor=org.agent, kind=ContactKind.CALLBACK_PROMISED, note="内部：约客户周五回电",
        promised_for=clock.now() + dt.timedelta(days=1),
    )
    complaint_services.complaint_add_note(complaint=complaint, actor=org.handler, text="内部备注：维保公司拖延")

    # Track by number and phone (a second phone, not signed in): progress in plain words.
    tracker = phone_page()
    tracker.goto(f"{live_server.url}/portal/track/")
    tracker.fill("#id_number", number)
    tracker.fill("#id_phone", "13900001111")
    tracker.click("#track-form button[type=submit]")
    tracker.wait_for_selector('#case[data-step="handling"]')
    text = tracker.inner_text("#case")
    assert "处理中" in text and "约定" in text and "内部" not in text and "handler" not in text
    screenshot(tracker, "portal-track")
    no_horizontal_scroll(tracker)

    complaint_services.complaint_submit_plan(complaint=complaint, actor=org.handler, **PLAN)
    complaint_services.complaint_submit_receipt(complaint=complaint, actor=org.handler, text=RECEIPT)
    complaint_services.complaint_accept_receipt(complaint=complaint, actor=org.agent)
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_VISIT

    # Sign in with the SMS code (read from the outbound SMS log, as the phone would show it).
    page.click("nav.p-tabs >> text=我的投诉")
    page.fill("#id_phone", "13900001111")
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#code-form")
    page.fill("#id_code", last_code("13900001111"))
    screenshot(page, "portal-code", full_page=False)
    page.click("#code-form button[type=submit]")
    page.wait_for_selector(f".p-case >> text={number}")
    screenshot(page, "portal-mine", full_page=False)

    # Answer the return visit: satisfied, with a score for every SERVQUAL dimension.
    page.click(f".p-case >> text={number}")
    page.wait_for_selector("#visit-form")
    page.click("#visit-form label.p-pill >> text=满意")
    for name in ["satisfaction", "dim_tangibles", "dim_empathy", "dim_assurance", "dim_responsiveness",
                 "dim_reliability"]:
        page.click(f'#visit-form input[name="{name}"][value="5"] + span')
    page.click('#visit-form input[name="dim_responsiveness"][value="4"] + span')
    page.fill("#id_comment", "维修师傅很负责，谢谢")
    screenshot(page, "portal-visit")
    no_horizontal_scroll(page)
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector('#case[data-step="done"]')
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.satisfaction == 5
    assert complaint.satisfaction_dimensions["responsiveness"] == 4
    screenshot(page, "portal-closed")

    # The rights page: 12315, 全国12315平台 and the five routes of 第三十九条.
    page.click("nav.p-tabs >> text=维权途径")
    page.wait_for_selector("#law")
    assert page.locator("#law li").count() == 5
    assert "www.12315.cn" in page.inner_text("#platform")
    screenshot(page, "portal-rights")
    no_horizontal_scroll(page)
