import pytest

from complaintdesk.language.patterns import PatternError, compile_pattern


def test_gap_alternation_and_optional():
    pattern = compile_pattern("你*尽管*(投诉|告)*2(好了|去吧)")
    assert pattern.anchors == ("尽管",)
    assert pattern.regex.search("你这个人尽管去投诉好了")
    assert not pattern.regex.search("你尽管放心我们处理好了")


def test_literals_are_folded_and_punctuation_is_a_clause_mark():
    pattern = compile_pattern("有意見，告去")
    assert pattern.regex.fullmatch("有意见告去")
    assert pattern.regex.fullmatch("有意见，告去")


def test_gap_does_not_cross_clause_punctuation():
    pattern = compile_pattern("不知道*4您")
    assert pattern.regex.search("不知道现在您")
    assert not pattern.regex.search("不知道，您")


def test_clause_boundaries_and_negated_class():
    bare = compile_pattern("^不可能$")
    assert bare.regex.search("不可能，你弄错了")
    assert not bare.regex.search("不可能让您白跑")
    sue = compile_pattern("告([^诉]|$)")
    assert sue.regex.search("你去告")
    assert not sue.regex.search("告诉我们")


def test_anchor_prefers_longest_required_literal():
    assert compile_pattern("(我|我们)*3不管").anchors == ("不管",)
    assert compile_pattern("找(领导|经理)(去|吧)").anchors == ("找经理去", "找经理吧", "找领导去", "找领导吧")


@pytest.mark.parametrize("source", ["", "*不知道", "不知道*", "(不知道", "不知道)", "(a)?", "[]", "*99好"])
def test_bad_patterns_are_rejected_with_a_message(source):
    with pytest.raises(PatternError) as excinfo:
        compile_pattern(source)
    assert "模式" in str(excinfo.value)


def test_exception_patterns_need_no_anchor():
    assert compile_pattern("(您)?不知道?", min_anchor=0).regex.search("不知")
