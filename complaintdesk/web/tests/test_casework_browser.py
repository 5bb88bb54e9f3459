"""Issue 11 in the browser: the customer's visit answers travel to the handler, quick replies are
inserted into a customer-facing box, a merge shows on both complaints, a supervisor sends a visit
back to be made again."""

from __future__ import annotations

import pytest

from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint, VisitRecord
from complaintdesk.complaints.tests.factories import make, receive
from complaintdesk.followups.models import ReturnVisitTask
from complaintdesk.language.models import HandlingTemplate
from complaintdesk.language.services import handling_template_save
from complaintdesk.web.tests.test_browser import act, goto_complaint, open_action

pytestmark = pytest.mark.django_db(transaction=True)


def test_visit_answers_reach_the_handler_after_reescalation(open_as, org, live_server):
    c = make(org, Status.AWAITING_VISIT)
    agent = open_as(org.agent)
    agent.goto(f"{live_server.url}/c/{c.pk}/visit/")
    agent.wait_for_selector("#visit-area form")
    agent.select_option('[name="visit-method"]', "on_site")
    agent.fill('[name="visit-process"]', "上门太慢")
    agent.fill('[name="visit-measures"]', "吊顶颜色和原来不一样")
    agent.select_option('[name="visit-satisfaction"]', "2")
    agent.check('[name="visit-outcome"][value="unsatisfied"]')
    agent.click("#visit-area button[type=submit]")
    agent.wait_for_selector("#visit-area >> text=" + c.number)
    assert Complaint.objects.get(pk=c.pk).status == Status.HANDLING

    handler = open_as(org.handler)
    goto_complaint(handler, live_server, c.pk)
    box = handler.locator("#last-visit")
    assert box.is_visible()
    assert "吊顶颜色和原来不一样" in box.inner_text() and "2/5" in box.inner_text()
    # The approved 100 元 of round one is not offered again as a new request.
    plan = open_action(handler, "plan")
    assert plan.locator('[name="plan-compensation_amount"]').input_value() == ""
    assert "已批准过的补偿" in plan.inner_text()


def test_quick_reply_is_inserted_into_the_text_box(open_as, org, live_server):
    handling_template_save(template=HandlingTemplate(
        title="漏水维修", situation="漏水", body="师傅明天上午上门检查漏水点，修复后重新粉刷受损墙面。"
    ))
    c = make(org, Status.HANDLING)
    handler = open_as(org.handler)
    goto_complaint(handler, live_server, c.pk)
    plan = open_action(handler, "plan")
    picker = plan.locator(".quick-replies").first
    picker.locator('input[type="search"]').fill("漏水")
    picker.locator("button.qr-item", has_text="漏水维修").click()
    assert plan.locator('[name="plan-option_1"]').input_value() == "师傅明天上午上门检查漏水点，修复后重新粉刷受损墙面。"


def test_merge_from_the_page_links_both_timelines(open_as, org, live_server):
    keep = make(org, Status.DISPATCHED)
    dup = receive(org, phone="13700000009", description="同一栋楼，电梯困人，物业迟迟不来")
    agent = open_as(org.agent)
    goto_complaint(agent, live_server, dup.pk)
    details = open_action(agent, "duplicate")
    details.locator('[name="duplicate-merge"]').check()
    act(agent, "duplicate", fill={"other": keep.number, "reason": "同一户同一故障"}, expect=Status.CLOSED)
    assert keep.number in agent.locator("#duplicates").inner_text()
    assert agent.locator('#timeline [data-event="duplicate_merged"]').count() == 1
    goto_complaint(agent, live_server, keep.pk)
    assert dup.number in agent.locator("#duplicates").inner_text()
    assert agent.locator('#timeline [data-event="duplicate_linked"]').count() == 1


def test_supervisor_sends_a_visit_back_and_the_agent_visits_again(open_as, org, live_server):
    c = make(org, Status.CLOSED)
    visit = VisitRecord.objects.get(complaint=c)
    supervisor = open_as(org.supervisor)
    supervisor.click("text=回访审阅")
    supervisor.wait_for_selector("#review-count")
    assert supervisor.locator("#review-count").inner_text() == "1"
    row = supervisor.locator(f"#review-{visit.pk}")
    row.locator(f'[name="v{visit.pk}-verdict"][value="revisit"]').check()
    row.locator(f'[name="v{visit.pk}-comment"]').fill("满意度5分但没有任何记录，请再次回访核实")
    row.locator("button[type=submit]").click()
    supervisor.wait_for_selector(f'#review-{visit.pk}[data-verdict="revisit"]')
    assert ReturnVisitTask.objects.filter(revisit_of=visit).exists()

    agent = open_as(org.agent)
    goto_complaint(agent, live_server, c.pk)
    act(agent, "revisit", select={"method": "phone", "satisfaction": "4"}, fill={"result": "问题确已解决"},
        check={"outcome": "satisfied"})
    agent.wait_for_selector("#visits >> text=问题确已解决")
    assert VisitRecord.objects.filter(complaint=c).count() == 2
