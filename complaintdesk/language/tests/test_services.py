import pytest
from django.core.exceptions import ValidationError

from complaintdesk.language import services
from complaintdesk.language.checker import Violation
from complaintdesk.language.classifier import FIELDS, LABELS
from complaintdesk.language.models import (
    ClassifierModel,
    PhraseKind,
    PhraseRule,
    PhraseRuleVersion,
    TrainingExample,
    TrainingSource,
)
from complaintdesk.language.phrases_default import APPROVED_PHRASES, FORBIDDEN_RULES

from .test_classifier import _dataset_subset

pytestmark = pytest.mark.django_db


def test_empty_db_falls_back_to_packaged_rules():
    [v] = services.check_customer_text("你尽管投诉好了")
    assert isinstance(v, Violation) and v.rule == "go_complain"


def test_seeding_is_versioned_and_idempotent():
    created = services.seed_default_phrases()
    assert created == len(FORBIDDEN_RULES) + len(APPROVED_PHRASES)
    assert PhraseRuleVersion.objects.count() == created
    assert services.seed_default_phrases() == 0
    assert PhraseRule.objects.filter(kind=PhraseKind.APPROVED, situation="tactful").exists()
    assert [v.rule for v in services.check_customer_text("这个我真的不知道")] == ["dont_know"]


def test_admin_edit_takes_effect_and_is_versioned(org):
    services.seed_default_phrases()
    rule = PhraseRule.objects.get(code="dont_know")
    rule.suggestion = "请稍等，我马上为您核实。"
    services.phrase_rule_save(rule=rule, acting_user=org.admin, note="改建议")
    [v] = services.check_customer_text("不知道。")
    assert v.suggestion == "请稍等，我马上为您核实。"
    history = list(rule.versions.order_by("version").values_list("version", "action", "changed_by"))
    assert history == [(1, "create", None), (2, "update", org.admin.pk)]

    services.phrase_rule_deactivate(rule=rule, acting_user=org.admin)
    assert services.check_customer_text("不知道。") == []
    assert rule.versions.latest("version").action == "deactivate"

    new = PhraseRule(
        kind=PhraseKind.FORBIDDEN,
        code="wait_forever",
        phrase="等着吧",
        patterns="(你|您)?等着吧",
        suggestion="请您稍等，我马上处理。",
        reason="敷衍",
    )
    services.phrase_rule_save(rule=new, acting_user=org.admin)
    assert [v.rule for v in services.check_customer_text("你等着吧")] == ["wait_forever"]


def test_unchanged_save_writes_no_version():
    services.seed_default_phrases()
    rule = PhraseRule.objects.get(code="dont_know")
    before = PhraseRuleVersion.objects.count()
    services.phrase_rule_save(rule=rule)
    assert PhraseRuleVersion.objects.count() == before


def test_invalid_pattern_is_rejected_in_chinese():
    rule = PhraseRule(kind=PhraseKind.FORBIDDEN, code="bad", phrase="x", patterns="(坏", suggestion="y")
    with pytest.raises(ValidationError) as excinfo:
        services.phrase_rule_save(rule=rule)
    assert "缺少" in str(excinfo.value)
    assert not PhraseRule.objects.filter(code="bad").exists()


def test_receipt_problems_include_forbidden_phrases():
    assert services.receipt_problems("已处理")
    problems = services.receipt_problems(
        "经现场核查，漏水原因是防水层老化，已于3月5日更换。3月6日上午电话联系客户，客户表示满意。我跟客户说这不归我管。"
    )
    assert len(problems) == 1 and "不归我管" in problems[0]


def test_suggest_cold_start_uses_rules():
    result = services.suggest("电梯又坏了，这已经是第三次了，再不修我就打12315！")
    assert set(result) == set(FIELDS)
    for field, value in result.items():
        assert set(value) == {"label", "score", "model", "evidence"}
        assert value["label"] in LABELS[field]
        assert value["model"] == "rules-v1"
    assert result["escalation_risk"]["label"] == "high"
    assert "12315" in result["escalation_risk"]["evidence"]


def test_record_correction_keeps_one_example_per_text():
    services.record_correction(field="category", text="电梯坏了", label="facilities")
    services.record_correction(field="category", text="电梯坏了", label="repair_quality")
    [example] = TrainingExample.objects.all()
    assert (example.label, example.source) == ("repair_quality", TrainingSource.CORRECTION)
    with pytest.raises(ValueError):
        services.record_correction(field="colour", text="x", label="y")


def test_trained_model_takes_over_its_field_without_restart():
    texts, labels = _dataset_subset(30)
    assert services.training_examples_import(field="category", rows=zip(texts, labels, strict=True)) == len(
        texts
    )
    assert services.training_examples_import(field="category", rows=zip(texts, labels, strict=True)) == 0
    first = services.classifier_train(field="category", folds=2, words=False)
    assert first.name == "category-v1" and first.is_active
    assert first.metrics["cv_accuracy"] > 0.3 and first.n_examples == len(texts)

    result = services.suggest("房间很小，隔音很差，前台服务也不好，不会再住这家酒店了")
    assert result["category"]["model"] == "category-v1"
    assert result["category"]["label"] == "酒店"
    assert result["emotion"]["model"] == "rules-v1"

    # A correction overrides the imported label of the same text and lands in the next model.
    services.record_correction(field="category", text=texts[0], label="酒店")
    assert services._training_set("category")[1][0] == "酒店"
    second = services.classifier_train(field="category", folds=2, words=False)
    assert second.version == 2
    assert list(ClassifierModel.objects.filter(is_active=True).values_list("version", flat=True)) == [2]
    assert services.suggest("酒店房间太脏")["category"]["model"] == "category-v2"

    services.classifier_activate(model=first)
    assert services.predict_field("category", ["酒店房间太脏"])[0].model == "category-v1"


def test_a_broken_rule_row_is_skipped_not_fatal():
    services.seed_default_phrases()
    PhraseRule.objects.filter(code="dont_care").update(patterns="(坏")
    rule = PhraseRule.objects.get(code="dont_know")
    rule.reason = "改了原因"
    services.phrase_rule_save(rule=rule)  # a new version, so the checker is rebuilt
    assert services.check_customer_text("我不管") == []
    assert [v.rule for v in services.check_customer_text("我不知道")] == ["dont_know"]


def test_retrain_due_trains_only_fields_with_enough_new_history():
    texts, labels = _dataset_subset(25)
    services.training_examples_import(field="category", rows=zip(texts, labels, strict=True))
    services.record_correction(field="emotion", text="太差了", label="angry")
    assert services.classifier_retrain_due(min_examples=len(texts) + 1) == []
    assert services.classifier_retrain_due(min_examples=100, min_new=10) == ["category-v1"]
    assert ClassifierModel.objects.get(field="category").is_active
    assert services.classifier_retrain_due(min_examples=100, min_new=10) == []  # nothing new since
