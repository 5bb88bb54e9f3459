"""Quick replies: approved phrases and 预案, searchable, and never carrying a forbidden phrase."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from complaintdesk.language import services
from complaintdesk.language.models import HandlingTemplate, PhraseKind, PhraseRule
from complaintdesk.language.selectors import quick_reply_list

pytestmark = pytest.mark.django_db

PLAN = "师傅将于明天上午上门检查漏水点，修复后为您重新粉刷受损墙面，费用由我方承担。"


def test_templates_and_phrases_are_found_by_situation_and_text():
    services.seed_default_phrases()
    services.handling_template_save(template=HandlingTemplate(title="漏水维修", situation="漏水", body=PLAN))
    apology = quick_reply_list(query="致歉")
    phrases = [r for r in apology if r.kind == "phrase"]
    assert phrases and all(r.group == "致歉" for r in phrases)
    assert "补偿致歉" in [r.title for r in apology if r.kind == "template"]
    leak = [r for r in quick_reply_list(query="漏水") if r.kind == "template"]
    assert "漏水维修" in [r.title for r in leak]
    assert next(r for r in leak if r.title == "漏水维修").text == PLAN
    assert "上门维修预约" not in [r.title for r in leak]
    everything = quick_reply_list()
    assert everything[0].kind == "template" and any(r.group == "等待" for r in everything)


def test_inactive_entries_are_not_offered():
    services.handling_template_save(template=HandlingTemplate(title="旧预案", body=PLAN, is_active=False))
    assert not [r for r in quick_reply_list(query="旧预案")]


def test_a_template_with_a_forbidden_phrase_is_refused_and_not_stored():
    with pytest.raises(ValidationError) as err:
        services.handling_template_save(
            template=HandlingTemplate(title="推脱", body="这不是我负责的，你尽管去投诉好了")
        )
    assert "body" in err.value.message_dict and "服务禁语" in err.value.message_dict["body"][0]
    assert not HandlingTemplate.objects.filter(title="推脱").exists()


def test_an_approved_phrase_with_a_forbidden_phrase_is_refused():
    rule = PhraseRule(kind=PhraseKind.APPROVED, code="bad-1", situation="apology", phrase="不知道，你找领导去")
    with pytest.raises(ValidationError):
        services.phrase_rule_save(rule=rule)
    assert not PhraseRule.objects.filter(code="bad-1").exists()


def test_default_templates_pass_the_forbidden_phrase_checker():
    from importlib import import_module

    defaults = import_module("complaintdesk.language.migrations.0003_default_handling_templates").TEMPLATES
    assert len(defaults) >= 5
    for title, _situation, body in defaults:
        assert services.check_customer_text(body) == [], title
    assert HandlingTemplate.objects.count() == len(defaults)  # seeded by the migration
