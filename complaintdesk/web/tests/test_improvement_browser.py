"""A supervisor opens a corrective action (整改单) from a recurring problem (热点问题), in Chromium;
the department starts and completes it; the supervisor verifies it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaintdesk.improvement.models import CorrectiveAction
from complaintdesk.improvement.tests.fixtures import received
from complaintdesk.web.tests.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LIFT = [("电梯故障", "3栋电梯又坏了，困在里面半小时才出来"), ("电梯停运", "电梯停运两天没人来修，老人上不了楼"),
        ("电梯老出问题", "电梯经常故障停运，这个月第三次了"), ("电梯异响", "电梯运行时异响很大，很害怕出事")]


def test_supervisor_opens_a_corrective_action_from_a_recurring_problem(open_as, org, live_server):
    now = timezone.now()
    complaints = [
        received(org, now - dt.timedelta(days=9 - 2 * i), building="阳光花园3栋2单元", subject=s, text=t,
                 phone=f"1390000{i:04d}")
        for i, (s, t) in enumerate(LIFT)
    ]
    received(org, now - dt.timedelta(days=3), building="阳光花园3栋1单元", subject="物业费多收",
             text="这个月物业费多收了两百元", phone="13900009999")

    supervisor = open_as(org.supervisor)
    supervisor.click("text=热点问题 · 整改")
    card = supervisor.locator(".hotspot").first
    card.wait_for()
    assert "阳光花园3栋" in card.inner_text() and "4 件" in card.inner_text()
    assert "物业费" not in card.inner_text()
    screenshot(supervisor, "hotspots")
    card.locator("a.open-action").click()

    supervisor.wait_for_selector("#open-action")
    assert supervisor.input_value("#id_department") == str(org.engineering.pk)  # the category's department
    assert "阳光花园3栋" in supervisor.input_value("#id_title")
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    supervisor.fill("#id_title", "阳光花园3栋电梯反复停运")
    supervisor.fill("#id_due_date", due)
    supervisor.click("#open-action button[type=submit]")
    supervisor.wait_for_selector('#corrective-action[data-status="open"]')

    action = CorrectiveAction.objects.get()
    assert set(action.complaints.values_list("pk", flat=True)) == {c.pk for c in complaints}
    assert action.due_date.isoformat() == due and action.area == "阳光花园3栋"
    for c in complaints:
        assert supervisor.locator(f"text={c.number}").count() >= 1

    handler = open_as(org.handler)
    handler.click("text=整改单")
    handler.click(f"text={action.number}")
    handler.click('details[data-action="start"] summary')
    handler.click('details[data-action="start"] button[type=submit]')
    handler.wait_for_selector('#corrective-action[data-status="in_progress"]')
    handler.click('details[data-action="complete"] summary')
    handler.click('details[data-action="complete"] button[type=submit]')  # empty: refused inline
    handler.wait_for_selector('details[data-action="complete"] .errorlist')
    handler.fill('[name="complete-changes"]', "更换3栋电梯曳引机钢丝绳和门机控制板，增加每周巡检一次。")
    handler.click('details[data-action="complete"] button[type=submit]')
    handler.wait_for_selector('#corrective-action[data-status="done"]')

    supervisor.reload()
    supervisor.click('details[data-action="verify"] summary')
    supervisor.fill('[name="verify-comment"]', "现场复查运行正常，巡检记录齐全。")
    supervisor.click('details[data-action="verify"] button[type=submit]')
    supervisor.wait_for_selector('#corrective-action[data-status="verified"]')
    assert supervisor.locator("#action-history li").count() == 4
    screenshot(supervisor, "corrective-action")
