"""History in the reader's language: stored machine values, sentences rendered when shown; the
timeline shows labels, never codes, and hides what did not change. Old rows are migrated."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import EventType, Status
from complaintdesk.complaints.models import TimelineEvent
from complaintdesk.complaints.tests.factories import make
from complaintdesk.web.templatetags.desk import event_changes

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def _page(client, user, complaint, language: str | None = None) -> str:
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("web:complaint", args=[complaint.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _timeline_html(html: str) -> str:
    return html[html.index('id="timeline"') : html.index("</ol>", html.index('id="timeline"'))]


def test_a_case_handled_in_english_reads_in_chinese(org, client):
    """Intake of a high-risk repeat complaint, handled end to end with the English UI."""
    with translation.override("en"):
        c = make(org, Status.IMPLEMENTING, description="热水器坏了三天没人修，再不解决我就打12315投诉你们")
    html = _timeline_html(_page(client, org.supervisor, c))
    assert "升级风险高" in html
    visible = re.sub(r"<[^>]+>", " ", html)
    english_words = re.findall(r"\b(?:deadline|escalat\w*|High|risk|Customer|repeat)\b", visible)
    assert english_words == []


def test_a_case_handled_in_chinese_reads_in_english(org, client):
    c = make(org, Status.IMPLEMENTING, description="热水器坏了三天没人修，再不解决我就打12315投诉你们")
    html = _timeline_html(_page(client, org.supervisor, c, "en"))
    assert "High escalation risk" in html
    # Only what people typed (and the names of people and departments) may be Chinese.
    typed = {e.reason for e in c.events.all()}
    sentences = re.findall(r'<div class="summary">(.*?)</div>', html)
    assert sentences
    for sentence in sentences:
        quoted = [run for run in re.findall(r"[\u4e00-\u9fff]+", sentence) if run not in c.description]
        assert quoted == [] and not any(w in sentence for w in typed if w and w not in c.description), sentence


def test_timeline_shows_labels_not_codes_and_hides_unchanged_fields(org):
    c = make(org, Status.IMPLEMENTING)
    from complaintdesk.complaints import services

    services.complaint_log_contact(complaint=c, actor=org.agent, kind="first_answer", note="已告知客户处理进度")
    contact = c.events.filter(type=EventType.CONTACT_LOGGED).last()
    plan = c.events.get(type=EventType.PLAN_SUBMITTED)
    with translation.override("zh-hans"):
        contact_rows = dict((label, new) for label, _old, new in event_changes(contact))
        plan_rows = {label: (old, new) for label, old, new in event_changes(plan)}
    assert contact_rows["联系类型"] == "首次答复"
    assert "first_answer" not in contact_rows.values()
    assert plan_rows["客户选定方案"][1] == "上门免费更换温控阀"  # the option's text, not its index
    assert all(old != new for old, new in plan_rows.values())  # 否 → 否 and — → — are hidden


def test_existing_rows_are_migrated_to_machine_values(org):
    c = make(org, Status.HANDLING)
    legacy = [
        TimelineEvent(
            complaint=c, type=EventType.DEADLINE_BREACHED, created_at=c.received_at, from_status="handling",
            to_status="handling", before={"escalation_level": 0}, reason="First answer deadline 03-10 08:00 passed",
            after={"deadline": "first_answer", "due_at": "2026-03-10T00:00:00+00:00", "escalation_level": 0},
        ),
        TimelineEvent(
            complaint=c, type=EventType.REPEAT_LINKED, created_at=c.received_at, from_status="received",
            to_status="received", reason="同一客户/电话/地址在30天内的相似投诉，这是第2次重复",
            after={"repeat_of": c.pk, "repeat_count": 2, "score": 0.9},
        ),
        TimelineEvent(
            complaint=c, type=EventType.ESCALATED, created_at=c.received_at, from_status="handling",
            to_status="handling", reason="按客户要求升级", before={"escalation_level": 0},
            after={"escalation_level": 2},
        ),
    ]
    for event in legacy:
        event.save()
    module = __import__(
        "complaintdesk.complaints.migrations.0004_timeline_machine_values", fromlist=["forwards"]
    )
    state = MigrationExecutor(connection).loader.project_state([("complaints", "0003_index_cleanup")])
    module.forwards(state.apps, None)
    breach, repeat, manual = (TimelineEvent.objects.get(pk=e.pk) for e in legacy)
    assert breach.reason == "" and repeat.reason == ""
    assert repeat.after["window_days"] == 30
    assert manual.reason == "按客户要求升级"  # a person's words stay as typed
    with translation.override("zh-hans"):
        assert events.describe(breach) == "首次答复时限 03-10 08:00 已过"
        assert events.describe(repeat) == "同一客户/电话/地址在30天内的相似投诉，这是第2次重复"
    with translation.override("en"):
        assert events.describe(repeat).startswith("A similar complaint by the same customer")
