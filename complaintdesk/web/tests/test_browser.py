"""One complaint's whole life through the browser only — agent, handler, supervisor — and a check of
every queue. Data for the queue tests comes from the services; the life test types everything."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from complaintdesk.complaints import selectors
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import make
from complaintdesk.web.tests.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

GOOD_RECEIPT = (
    "经现场核查，热水器不出热水是温控阀老化失灵所致。已于当日上门更换温控阀并试机，出水温度恢复正常。"
    "随后电话联系客户告知处理结果，客户表示认可。"
)


def open_action(page, key: str):
    details = page.locator(f'#complaint details[data-action="{key}"]').first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    # The form is fetched when its fold opens (htmx): wait until it is in and htmx has set it up
    # (its own triggers work only after htmx's settle step, a few milliseconds after the swap).
    details.locator("form, a[role=button]").first.wait_for()
    page.locator("#complaint .htmx-added, #complaint .htmx-settling").first.wait_for(state="detached")
    return details


def act(page, key: str, *, fill=None, select=None, check=None, expect: str | None = None):
    """Open an action's form, fill it, submit it; wait for the complaint to reach ``expect``."""
    details = open_action(page, key)
    for name, value in (fill or {}).items():
        details.locator(f'[name="{key}-{name}"]').fill(value)
    for name, value in (select or {}).items():
        details.locator(f'select[name="{key}-{name}"]').select_option(value)
    for name, value in (check or {}).items():
        details.locator(f'[name="{key}-{name}"][value="{value}"]').check()
    details.locator("button[type=submit]").click()
    if expect:
        page.wait_for_selector(f'#complaint[data-status="{expect}"]')


def goto_complaint(page, live_server, complaint_id: int):
    page.goto(f"{live_server.url}/c/{complaint_id}/")
    page.wait_for_selector("#complaint")


def test_whole_life_of_a_complaint(open_as, org, live_server):
    agent = open_as(org.agent)

    # 受理: the phone number brings up the customer panel; forbidden phrases are flagged as typed.
    agent.click("text=受理投诉")
    agent.fill("#id_phone", "13955556666")
    agent.wait_for_selector("#lookup >> text=新客户")
    agent.fill("#id_customer_name", "韩梅梅")
    agent.select_option("#id_salutation", "ms")
    agent.fill("#id_address", "阳光花园5栋")
    agent.fill("#id_room", "802")
    agent.fill("#id_subject", "热水器不出热水")
    agent.fill("#id_description", "家里热水器坏了三天，报修后没人来，打电话过去说不知道")
    agent.fill("#id_demand", "尽快上门维修")
    agent.locator("#id_demand").press("End")
    agent.wait_for_selector("#assist .hint")
    agent.select_option("#id_category", org.category.code)
    screenshot(agent, "intake")
    agent.click("#intake-form button[type=submit]")
    readout = agent.wait_for_selector("#intake-saved")
    number = re.search(r"TS\d+", readout.inner_text()).group(0)
    assert "答复" in readout.inner_text()
    screenshot(agent, "intake-saved", full_page=False)
    complaint = Complaint.objects.get(number=number)

    # 判定成立 and 派单 by the agent (the first owner).
    agent.click(f"text=打开投诉 {number}")
    agent.wait_for_selector('#complaint[data-status="received"]')
    act(agent, "review_valid", select={"category": org.category.code}, expect=Status.ACCEPTED)
    act(agent, "dispatch", select={"department": str(org.engineering.pk)}, expect=Status.DISPATCHED)

    # The handler finds it in the department queue, accepts it and proposes a plan with compensation.
    handler = open_as(org.handler)
    handler.click('[data-queue="department"]')
    handler.click(f"text={number}")
    act(handler, "accept_ticket", expect=Status.HANDLING)
    act(handler, "plan", fill={
        "cause_analysis": "温控阀老化失灵", "responsibility": "产品质量问题，由我方负责",
        "option_1": "上门免费更换温控阀", "option_2": "更换整机", "compensation_amount": "100",
        "compensation_description": "赠送一年延保",
    }, check={"chosen_plan": "0"}, expect=Status.PENDING_APPROVAL)

    # 主管批示 from the supervisor's board.
    supervisor = open_as(org.supervisor)
    supervisor.click("text=批示 · 升级 · 重开")
    row = supervisor.locator(f"#row-{complaint.pk}")
    screenshot(supervisor, "supervisor-approvals")
    row.locator('[name="approve_plan-comment"]').fill("同意补偿")
    row.locator('details[data-action="approve_plan"] button[type=submit]').click()
    supervisor.wait_for_selector(f"#row-{complaint.pk}.ok")

    # 回单: a vague one is refused inline, then a complete one goes through.
    goto_complaint(handler, live_server, complaint.pk)
    handler.wait_for_selector('#complaint[data-status="implementing"]')
    act(handler, "submit_receipt", fill={"text": "已处理"})
    handler.wait_for_selector('details[data-action="submit_receipt"] .errorlist')
    assert handler.locator('#complaint[data-status="implementing"]').count() == 1
    handler.locator('details[data-action="submit_receipt"] [name="submit_receipt-text"]').fill(GOOD_RECEIPT)
    handler.locator('details[data-action="submit_receipt"] button[type=submit]').click()
    handler.wait_for_selector('#complaint[data-status="receipt_submitted"]')

    # The desk rejects the 回单 once (reason required), then accepts the resubmitted one.
    goto_complaint(agent, live_server, complaint.pk)
    act(agent, "reject_receipt", fill={"reason": "未写明联系客户的时间"}, expect=Status.IMPLEMENTING)
    goto_complaint(handler, live_server, complaint.pk)
    act(handler, "submit_receipt", fill={"text": GOOD_RECEIPT + "联系时间：当日16时。"},
        expect=Status.RECEIPT_SUBMITTED)
    goto_complaint(agent, live_server, complaint.pk)
    act(agent, "accept_receipt", expect=Status.AWAITING_VISIT)

    # 回访: unsatisfied → back to the department for another round.
    agent.click('[data-queue="to_visit"]')
    agent.click(f"text={number}")
    open_action(agent, "visit").locator("a[role=button]").click()
    agent.wait_for_selector("#visit-area")
    agent.select_option('[name="visit-satisfaction"]', "2")
    agent.fill('[name="visit-result"]', "热水器仍然时好时坏")
    agent.check('[name="visit-outcome"][value="unsatisfied"]')
    screenshot(agent, "return-visit")
    agent.click('#visit-area details[data-action="visit"] button[type=submit]')
    agent.wait_for_selector("#visit-done")

    # Handled again: a plan without compensation goes straight to implementation.
    goto_complaint(handler, live_server, complaint.pk)
    handler.wait_for_selector('#complaint[data-status="handling"]')
    act(handler, "plan", fill={
        "cause_analysis": "温控阀更换后线路接触不良", "responsibility": "维修质量问题，由我方负责",
        "option_1": "重新检修线路并更换整机", "compensation_amount": "0",
    }, expect=Status.IMPLEMENTING)
    act(handler, "submit_receipt", fill={"text": GOOD_RECEIPT + "第二次上门已更换整机。"},
        expect=Status.RECEIPT_SUBMITTED)

    goto_complaint(agent, live_server, complaint.pk)
    act(agent, "accept_receipt", expect=Status.AWAITING_VISIT)
    agent.goto(f"{live_server.url}/c/{complaint.pk}/visit/")
    agent.select_option('[name="visit-satisfaction"]', "5")
    agent.select_option('[name="visit-dim_empathy"]', "5")
    agent.select_option('[name="visit-dim_responsiveness"]', "4")
    agent.check('[name="visit-outcome"][value="satisfied"]')
    agent.click('#visit-area details[data-action="visit"] button[type=submit]')
    agent.wait_for_selector("#visit-done >> text=已结案")

    # The supervisor archives it; the timeline holds every step.
    goto_complaint(supervisor, live_server, complaint.pk)
    act(supervisor, "archive", expect=Status.ARCHIVED)
    events = [e.type for e in selectors.complaint_timeline(complaint=complaint)]
    for expected in ("received", "reviewed_valid", "dispatched", "plan_submitted", "plan_approved",
                     "receipt_rejected", "returned_to_department", "visited", "archived"):
        assert expected in events
    assert supervisor.locator("#timeline li").count() == len(events)
    screenshot(supervisor, "complaint")


QUEUES = [
    ("mine_first", Status.RECEIVED, "agent"),
    ("my_tasks", Status.HANDLING, "handler"),
    ("department", Status.DISPATCHED, "handler"),
    ("to_review", Status.RECEIPT_SUBMITTED, "agent"),
    ("to_approve", Status.PENDING_APPROVAL, "supervisor"),
    ("to_visit", Status.AWAITING_VISIT, "agent"),
    ("due_soon", Status.RECEIVED, "agent"),
    ("overdue", Status.HANDLING, "supervisor"),
    ("escalated", Status.HANDLING, "supervisor"),
    ("all", Status.CLOSED, "supervisor"),
]


def _set(complaint, **fields) -> None:
    """A row made due or breached directly, as a writer would (the reports' tallies move with it)."""
    from django.db import transaction

    from complaintdesk.core import changes

    with transaction.atomic(), changes.complaints_changing([complaint.pk]):
        Complaint.objects.filter(pk=complaint.pk).update(**fields)


@pytest.mark.parametrize(("code", "status", "role"), QUEUES)
def test_queue(open_as, org, live_server, code, status, role):
    from complaintdesk.complaints import services

    complaint = make(org, status)
    if code == "due_soon":
        # Due within the policy's warning lead (4 h by default): two hours to the first answer.
        from complaintdesk.core import clock

        _set(complaint, first_answer_due_at=clock.now() + dt.timedelta(hours=2))
    if code == "overdue":
        _set(complaint, implement_breached=True)
    if code == "escalated":
        services.complaint_escalate(complaint=complaint, actor=org.supervisor, reason="客户扬言找媒体曝光")
    page = open_as(getattr(org, role))
    link = page.locator(f'[data-queue="{code}"]')
    assert int(link.locator(".n").inner_text()) >= 1
    link.click()
    page.wait_for_selector(f'tr[data-number="{complaint.number}"]')
    # Search by phone narrows the list without a page load.
    page.fill("#id_q", complaint.contact_phone)
    page.wait_for_selector("#results >> text=共 1 件")
    if code == "all":
        screenshot(page, "queue", full_page=False)
    page.click(f"text={complaint.number}")
    page.wait_for_selector(f'#complaint[data-status="{complaint.status}"]')


def test_phone_width_supervisor(open_as, org, live_server):
    complaint = make(org, Status.PENDING_APPROVAL)
    page = open_as(org.supervisor, width=390, height=844)
    page.goto(f"{live_server.url}/c/{complaint.pk}/")
    actions = page.locator("#act-h")
    assert actions.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    screenshot(page, "complaint-phone", full_page=False)
    act(page, "approve_plan", fill={"comment": "同意"}, expect=Status.IMPLEMENTING)
