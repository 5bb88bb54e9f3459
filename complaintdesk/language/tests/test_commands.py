import csv
import io
import json

import pytest
from django.core.management import call_command

from .test_classifier import _dataset_subset

pytestmark = pytest.mark.django_db


def _run(name, stdin_text, *args):
    out = io.StringIO()
    call_command(name, *args, stdin=io.StringIO(stdin_text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_phrases_check_contract():
    lines = _run("phrases_check", "您好！你 儘管去投訴好了\n不知道您现在方便接电话吗\n\n")
    assert [r["text"] for r in lines] == ["您好！你 儘管去投訴好了", "不知道您现在方便接电话吗", ""]
    [v] = lines[0]["violations"]
    assert set(v) == {"start", "end", "phrase", "rule", "suggestion"}
    assert lines[0]["text"][v["start"] : v["end"]] == v["phrase"] == "你 儘管去投訴好了"
    assert lines[1]["violations"] == [] and lines[2]["violations"] == []


def test_phrases_check_writes_unescaped_utf8():
    out = io.StringIO()
    call_command("phrases_check", stdin=io.StringIO("不知道\n"), stdout=out)
    assert "不知道" in out.getvalue() and "\\u" not in out.getvalue()


@pytest.mark.parametrize("field", ["emotion", "escalation_risk"])
def test_classify_works_without_training(field):
    [row] = _run("classify", "我要找媒体曝光你们，还要打12315！\n", "--field", field)
    assert row["model"] == "rules-v1"
    assert row["label"] in {"intense", "high"}
    assert 0 < row["score"] <= 1


def test_classifier_train_then_classify(tmp_path):
    texts, labels = _dataset_subset(30)
    path = tmp_path / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review", "cat"])
        writer.writerows(zip(texts, labels, strict=True))
    out = io.StringIO()
    call_command(
        "classifier_train",
        "--csv",
        str(path),
        "--text-column",
        "review",
        "--label-column",
        "cat",
        "--field",
        "category",
        "--folds",
        "2",
        "--chars-only",
        stdout=out,
    )
    assert out.getvalue().startswith("cross-validated accuracy: 0.")
    assert "category-v1 active" in out.getvalue()
    [row] = _run("classify", "酒店房间很脏，前台态度差\n", "--field", "category")
    assert row == {
        "text": "酒店房间很脏，前台态度差",
        "label": "酒店",
        "score": row["score"],
        "model": "category-v1",
    }


def test_seed_phrases_command():
    out = io.StringIO()
    call_command("seed_phrases", stdout=out)
    assert out.getvalue().startswith("新增")
