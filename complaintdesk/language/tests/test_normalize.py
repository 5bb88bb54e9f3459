from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.language.normalize import MARK, NormalizedText, fold


def test_fold_traditional_width_case_and_separators():
    assert fold("你儘管去投訴好了") == "你尽管去投诉好了"
    assert fold("ＡＢＣ１２３abc") == "abc123abc"
    assert fold("不 知\u200b道「您」") == "不知道您"
    assert fold("好，好。好！好?好；好") == MARK.join("好" * 6)


def test_offsets_point_back_into_the_original():
    original = "你 儘管去\u200b投訴，好了！"
    norm = NormalizedText(original)
    assert norm.text == "你尽管去投诉，好了，"
    start, end = norm.span_to_original(1, 6)
    assert original[start:end] == "儘管去\u200b投訴"


def test_text_without_deletions_maps_identically():
    norm = NormalizedText("这个我不知道。")
    assert norm.text == "这个我不知道，"
    assert [norm.to_original(i) for i in range(len(norm.text))] == list(range(7))


@given(st.text(alphabet=st.sampled_from(list("不知道你好投訴，。 \u3000\u200b！ＡB「」-~")), max_size=40))
def test_every_normalised_char_maps_to_a_source_char_that_folds_to_it(text):
    norm = NormalizedText(text)
    previous = -1
    for index, char in enumerate(norm.text):
        original_index = norm.to_original(index)
        assert original_index > previous
        assert fold(text[original_index]) == char
        previous = original_index
