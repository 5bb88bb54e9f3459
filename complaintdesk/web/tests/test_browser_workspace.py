"""Issue 11 in the browser: the phone-width complaint page is short (secondary cards collapse),
intake prefills a returning caller and clears the side panels, keyboard shortcuts, English pages
carry no Chinese outside what customers and staff typed."""

from __future__ import annotations

import re
import time

import pytest

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make, receive

pytestmark = pytest.mark.django_db(transaction=True)

# Measured with this test's complaint at 390 px: 4,225 px before the secondary cards folded,
# 3,454 px after (the rest is mostly the timeline).
PHONE_HEIGHT_LIMIT = 3900  # 4,225 px before folding; the visit and message cards came since


def _wait_until(page, expression: str, timeout: float = 10) -> None:
    """Poll ``expression`` with ``page.evaluate`` until it is true. Not ``page.wait_for_function``:
    that one ``eval``s its predicate inside the page, which the pages' Content-Security-Policy
    (no 'unsafe-eval') refuses whenever the predicate is not true at once."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout} s: {expression}"
        page.wait_for_timeout(50)


def _busy_complaint(org):
    c = make(org, Status.IMPLEMENTING)
    for i in range(6):
        services.complaint_log_contact(complaint=c, actor=org.agent, kind="progress_update",
                                       note=f"已电话告知客户处理进展（第{i + 1}次），客户表示理解。")
        services.complaint_add_note(complaint=c, actor=org.handler, text=f"内部备注 {i + 1}：材料已到货，约定上门时间。")
    for i in range(4):
        receive(org, phone=c.contact_phone, subject=f"其他问题{i}", description=f"楼道灯坏了第{i}次，请尽快维修")
    return c


def test_complaint_page_at_phone_width_is_short(open_as, org, live_server):
    c = _busy_complaint(org)
    page = open_as(org.supervisor, width=390, height=844)
    page.goto(f"{live_server.url}/c/{c.pk}/")
    page.wait_for_selector("#complaint")
    height = page.evaluate("document.documentElement.scrollHeight")
    if __import__("os").environ.get("DEBUG_SHOTS"):
        page.screenshot(path="/tmp/phone.png", full_page=True)
    print(f"phone-width complaint page height: {height}px")
    assert height < PHONE_HEIGHT_LIMIT
    wide_elements = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392 && !e.closest('nav'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, wide_elements
    # Collapsed, not gone: a tap opens the contacts.
    contacts = page.locator("details.card-fold[data-card='contacts']")
    assert contacts.get_attribute("open") is None
    contacts.locator("summary").click()
    assert contacts.get_attribute("open") is not None
    # On a desktop the same cards start open.
    wide = open_as(org.supervisor)
    wide.goto(f"{live_server.url}/c/{c.pk}/")
    assert wide.locator("details.card-fold[data-card='contacts']").get_attribute("open") is not None


# -- English: no Chinese left outside what people typed ----------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")

PAGE_TEXT = """() => {
  const skip = document.querySelector('#timeline');
  if (skip) skip.remove();  // the timeline's rendering is being rewritten separately
  document.querySelectorAll('details').forEach(d => { d.open = true; });  // folded forms count too
  const parts = [document.title, document.body.innerText];
  document.querySelectorAll('[title],[aria-label],[placeholder]').forEach(el => {
    for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
  });
  document.querySelectorAll('option').forEach(o => parts.push(o.textContent));
  return parts.join('\\n');
}"""


def _typed_text() -> str:
    """Everything people typed (customers' words, staff notes, names): Chinese is right there."""
    from django.conf import settings

    from complaintdesk.complaints.models import Complaint, ContactLog, TimelineEvent
    from complaintdesk.customers.models import Customer
    from complaintdesk.notifications.models import Notification
    from complaintdesk.org.models import User

    parts = [settings.SERVICE_CENTRE_NAME]  # the centre's own name, as configured
    for model in (Complaint, Customer, ContactLog, Notification, User):
        for row in model.objects.all():
            for field in row._meta.concrete_fields:
                value = getattr(row, field.attname)
                parts.append(value if isinstance(value, str) else repr(value))
    for event in TimelineEvent.objects.all():
        parts += [event.reason or "", repr(event.before), repr(event.after)]
    return "\n".join(parts)


def _set_english_names(org):
    for dept, en in ((org.service, "Service Centre"), (org.engineering, "Engineering"),
                     (org.aftersales, "After-sales")):
        dept.name_en = en
        dept.save(update_fields=["name_en"])
    for cat, en in ((org.category, "Repair quality"), (org.category2, "Service attitude")):
        cat.name_en = en
        cat.save(update_fields=["name_en"])


def test_every_page_in_english_has_no_untranslated_chinese(open_as, org, live_server):
    _set_english_names(org)
    busy = _busy_complaint(org)
    states = [make(org, s, phone=f"1390000{i:04d}", customer_name=f"客户{i}", salutation="ms", address=f"花园{i}栋")
              for i, s in enumerate([Status.RECEIVED, Status.PENDING_APPROVAL, Status.AWAITING_VISIT, Status.CLOSED])]
    services.complaint_escalate(complaint=states[1], actor=org.supervisor, reason="客户要找总经理", level=2)
    from complaintdesk.complaints.selectors import QUEUES
    from complaintdesk.notifications.models import Notification

    Notification.objects.create(recipient=org.supervisor, complaint=busy, kind="deadline_warning",
                                text="投诉即将超时", created_at=busy.received_at, idempotency_key="en-walk")
    page = open_as(org.supervisor)
    page.select_option("#lang-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("#lang-select option[value=en]").inner_text() == "English"
    assert page.locator("#lang-select option[value=zh-hans]").inner_text() == "简体中文"
    urls = [f"/q/{q.code}/" for q in QUEUES]
    urls += [f"/c/{c.pk}/" for c in [busy, *states]]
    urls += [f"/c/{states[2].pk}/visit/", f"/c/{busy.pk}/print/ticket/", f"/c/{busy.pk}/print/receipt/",
             "/supervisor/?tab=approvals", "/supervisor/?tab=escalated", "/supervisor/?tab=to_archive",
             "/supervisor/?tab=closed", "/notifications/", "/notifications/?show=all&group=complaint",
             f"/customers/{busy.customer_id}/", "/intake/"]
    typed = _typed_text()
    found = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        text = page.evaluate(PAGE_TEXT)
        leaks = sorted({run for run in CJK.findall(text) if run not in typed and run != "简体中文"})
        if leaks:
            found[url] = leaks
    if found:
        import json

        print(json.dumps(found, ensure_ascii=False, indent=1))
    assert not found, found
    # Names read the English way round.
    page.goto(f"{live_server.url}/c/{states[0].pk}/")
    assert "Ms 客户0" in page.inner_text("#complaint")


# -- keyboard ----------------------------------------------------------------------------------


def test_keyboard_shortcuts_and_their_help(open_as, org, live_server):
    first = receive(org, phone="13911110001")
    second = receive(org, phone="13911110002", customer_name="赵六", address="翠湖苑8栋")
    page = open_as(org.agent)
    page.goto(f"{live_server.url}/q/all/")
    help_box = page.locator("#keys-help")
    assert help_box.is_hidden()
    page.keyboard.press("?")
    assert help_box.is_visible() and "Ctrl" in help_box.inner_text()
    page.keyboard.press("Escape")
    assert help_box.is_hidden()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.locator("h1").click()  # leave the search box
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("tr.kbd-current").get_attribute("data-number") == first.number  # newest first
    page.keyboard.press("k")
    assert page.locator("tr.kbd-current").get_attribute("data-number") == second.number
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#complaint[data-status="{second.status}"]')
    assert f"/c/{second.pk}/" in page.url
    page.keyboard.press("n")
    page.wait_for_selector("#intake-form")
    page.fill("#id_phone", "13911110003")
    page.fill("#id_customer_name", "钱七")
    page.fill("#id_subject", "电梯停运")
    page.fill("#id_description", "3栋电梯停运两天，老人上下楼很困难")
    page.fill("#id_demand", "尽快修复")
    page.focus("#id_demand")
    # Saved at once, before the typing hints come back: the save is not lost to them.
    page.keyboard.press("Control+s")
    page.wait_for_selector("#intake-saved")


# -- intake (item 9) ----------------------------------------------------------------------------


def test_intake_prefills_a_returning_caller_and_clears_the_panels_after_saving(open_as, org, live_server):
    before = receive(org, phone="13922220001", customer_name="李", salutation="ms", address="阳光花园3栋", room="1201")
    page = open_as(org.agent)
    page.goto(f"{live_server.url}/intake/")
    page.fill("#id_phone", before.contact_phone)
    page.wait_for_selector("#lookup >> text=李女士")
    _wait_until(page, "document.getElementById('id_customer_name').value === '李'")
    assert page.input_value("#id_salutation") == "ms"
    assert page.input_value("#id_address") == "阳光花园3栋" and page.input_value("#id_room") == "1201"
    page.fill("#id_subject", "楼道灯不亮")
    page.fill("#id_description", "3栋2单元楼道灯坏了一周没人修，晚上回家看不见，你尽管投诉好了这种话也说得出来")
    page.fill("#id_demand", "尽快修好")
    page.wait_for_selector("#assist .hint")
    assert "go_complain" not in page.inner_text("#assist")
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("#intake-saved")
    # The sentence to read out is on screen, not scrolled away by the fresh form's autofocus.
    _wait_until(page, "document.getElementById('intake-saved').getBoundingClientRect().top > -2")
    assert page.evaluate("document.getElementById('intake-saved').getBoundingClientRect().top") < 768 / 2
    assert page.evaluate("document.activeElement.id") == "id_phone"  # ready for the next caller
    assert "李女士" not in page.inner_text("#lookup")
    assert page.locator("#assist .hint").count() == 0
    assert page.input_value("#id_customer_name") == ""
