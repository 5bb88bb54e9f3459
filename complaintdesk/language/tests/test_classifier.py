import csv
import pickle
from pathlib import Path

import pytest

from complaintdesk.language.classifier import FIELDS, LABELS, TextClassifier, cross_validate, rule_predictions

DATASET = Path(__file__).resolve().parents[1] / "testdata" / "reviews" / "negative_reviews.csv"


def test_rule_predictions_cover_every_field_with_known_labels():
    predictions = rule_predictions("电梯又坏了，困了我半小时，再不处理我就打12315投诉，找媒体曝光！！！")
    assert set(predictions) == set(FIELDS)
    for field, p in predictions.items():
        assert p.label in LABELS[field]
        assert 0.0 < p.score <= 1.0
        assert p.model == "rules-v1"
    assert predictions["escalation_risk"].label == "high"
    assert {"12315", "媒体", "曝光"} <= set(predictions["escalation_risk"].evidence)
    assert predictions["emotion"].label == "intense"
    assert predictions["category"].label == "facilities"


@pytest.mark.parametrize(
    ("text", "field", "label"),
    [
        ("这个问题已经是第三次了，我要找你们总经理！", "escalation_risk", "high"),  # SPEC §5 signal (issue 11 §6)
        ("你们告诉我3月5日有人来处理，我已经等了三天了，也不见你们来人。", "escalation_risk", "medium"),
        ("我要请律师起诉你们", "escalation_risk", "high"),
        ("请问物业费怎么交？", "escalation_risk", "low"),
        ("请问物业费怎么交？", "nature", "inquiry"),
        ("请问物业费怎么交？", "emotion", "calm"),
        ("麻烦帮我看看，家里停水了怎么办", "nature", "help"),
        ("垃圾公司，气死我了，再也不来了", "nature", "venting"),
        ("热水器坏了，要求赔偿", "nature", "valid"),
        ("你们的服务人员态度差，打电话不接或直接挂断", "category", "service_attitude"),
        ("你们的服务人员态度差，打电话不接或直接挂断", "dimension", "empathy"),
        ("师傅修了三次还是修不好", "category", "repair_quality"),
        ("快递送货太慢，等了一个星期", "dimension", "responsiveness"),
        ("物业费乱收费", "category", "business_policy"),
        ("今天又停电了，冰箱里的东西都坏了", "category", "emergency"),
        ("服务还行，就是有点慢", "emotion", "dissatisfied"),
        ("太过分了，简直是欺骗消费者", "emotion", "angry"),
        ("太過分了，簡直是欺騙消費者", "emotion", "angry"),
    ],
)
def test_rule_model_examples(text, field, label):
    assert rule_predictions(text)[field].label == label


def _dataset_subset(per_class: int):
    counts: dict[str, int] = {}
    texts, labels = [], []
    with DATASET.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["label"] != "0" or not row["review"] or counts.get(row["cat"], 0) >= per_class:
                continue
            counts[row["cat"]] = counts.get(row["cat"], 0) + 1
            texts.append(row["review"])
            labels.append(row["cat"])
    return texts, labels


def test_trained_model_learns_cross_validates_and_round_trips():
    texts, labels = _dataset_subset(60)
    result = cross_validate(texts, labels, folds=3)
    assert result.folds == 3 and result.n_examples == len(texts)
    assert result.accuracy > 0.6  # ten classes, 40 training texts each: far above the 0.1 chance level
    model = pickle.loads(pickle.dumps(result.model))
    [(label, score)] = model.predict(["房间很小，隔音很差，前台服务也不好，不会再住这家酒店了"])
    assert label == "酒店"
    assert 0.1 < score <= 1.0
    assert model.explain("房间很小，隔音很差，前台服务也不好", "酒店")


def test_scores_are_calibrated_probabilities():
    texts, labels = _dataset_subset(40)
    result = cross_validate(texts, labels, folds=2, words=False)
    probs = result.model.probabilities(result.model.decision_function(texts[:5]))
    assert probs.shape == (5, len(set(labels)))
    assert abs(probs.sum(axis=1) - 1).max() < 1e-6
    assert result.model.temperature > 0


def test_training_needs_two_labels_with_examples():
    with pytest.raises(ValueError):
        TextClassifier().fit(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError):
        cross_validate(["电梯坏了", "物业费太贵", "停水了"], ["a", "b", "b"])
