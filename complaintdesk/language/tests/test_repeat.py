import pytest

from complaintdesk.language.repeat import (
    REPEAT_SIMILARITY_THRESHOLD,
    address_key,
    phone_key,
    repeat_similarity,
)

SAME = [
    ("电梯又坏了，困在里面半小时", "3号楼电梯经常故障，今天又停了"),
    ("家里卫生间漏水，楼上渗下来的", "卫生间天花板一直在渗水"),
    ("快递三天没送到", "我的快递到现在还没送"),
    ("楼道路灯不亮", "路灯坏了一个星期了"),
    ("宽带又断网了", "网速太慢上不了网"),
    ("这个月话费多扣了五十元", "话费账单有问题，多扣钱了"),
    ("退款申请了一周还没到账", "退款一直没有到账"),
    ("電梯又壞了", "电梯坏了没人修"),
]
DIFFERENT = [
    ("物业费收费不合理", "电梯又坏了"),
    ("退款一直没到账", "空调不制冷"),
    ("电梯又坏了", "楼下噪音太大，晚上睡不着"),
    ("保洁打扫不干净", "保安态度很差"),
    ("快递三天没送到", "热水器漏电"),
    ("手机屏幕碎了要求换新", "发票一直没有寄过来"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_matter_scores_above_threshold(a, b):
    assert repeat_similarity(a, b) >= REPEAT_SIMILARITY_THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_matters_score_below_threshold(a, b):
    assert repeat_similarity(a, b) < REPEAT_SIMILARITY_THRESHOLD


def test_similarity_is_symmetric_bounded_and_total():
    assert repeat_similarity("电梯坏了", "电梯坏了") == 1.0
    assert repeat_similarity("", "电梯坏了") == 0.0
    for a, b in SAME + DIFFERENT:
        assert repeat_similarity(a, b) == repeat_similarity(b, a)
        assert 0.0 <= repeat_similarity(a, b) <= 1.0


def test_index_keys():
    assert phone_key("+86 138-0013-8000") == phone_key("13800138000") == "13800138000"
    assert phone_key("０２０－８８８８１２３４") == "02088881234"
    assert (
        address_key("幸福小區 3號樓 2單元 502室")
        == address_key("幸福小区3栋2单元502")
        == "幸福小区3栋2单元502"
    )
