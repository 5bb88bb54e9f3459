import pytest

from complaintdesk.language.checker import PhraseChecker
from complaintdesk.language.phrases_default import FORBIDDEN_RULES
from complaintdesk.language.receipt import receipt_problems, review_receipt

CHECKER = PhraseChecker(FORBIDDEN_RULES)

GOOD = (
    "经现场核查，漏水原因是楼上住户卫生间防水层老化。3月5日已安排维修人员更换防水层并修复天花板。"
    "3月6日上午10点电话联系客户告知处理结果，客户表示满意。"
)


def test_complete_receipt_is_accepted():
    assert receipt_problems(GOOD, CHECKER) == []
    assert review_receipt(GOOD, CHECKER).acceptable


def test_traditional_receipt_is_accepted_too():
    text = "經核實，故障原因是光纖接頭鬆動。已於今天下午更換接頭並恢復網路，隨即致電客戶，客戶表示滿意。"
    assert receipt_problems(text, CHECKER) == []


@pytest.mark.parametrize("text", ["已处理", "已解决，请回访", "处理完毕。", "OK", "已联系客户，已处理。"])
def test_vague_receipts_fail_with_reasons(text):
    problems = receipt_problems(text, CHECKER)
    assert problems[0].startswith("回单内容过于笼统")
    assert any("原因" in p for p in problems)


def test_missing_elements_are_each_named():
    text = "经查，系快递员漏送导致，已重新配送。"
    report = review_receipt(text, CHECKER)
    assert set(report.present) == {"checked", "cause", "action"}
    assert {e.code for e in report.missing} == {"contact_time", "contact_method", "response"}
    assert receipt_problems(text, CHECKER) == [
        "未写明联系客户的时间。",
        "未写明联系客户的方式（电话、短信、上门、当面等）。",
        "未写明客户的反馈意见（是否满意、是否接受处理结果）。",
    ]


def test_forbidden_phrase_in_receipt_fails():
    text = GOOD + "客户还要投诉，我们告诉他你尽管投诉好了。"
    problems = receipt_problems(text, CHECKER)
    assert len(problems) == 1
    assert "你尽管投诉好了" in problems[0] and "建议改为" in problems[0]


def test_failed_contact_is_a_recorded_response():
    text = "经核查，停电原因是变压器故障，已于当天抢修恢复。3月2日下午两次电话联系客户，均无人接听，已发短信告知。"
    assert receipt_problems(text, CHECKER) == []
