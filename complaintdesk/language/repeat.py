"""Repeat-complaint similarity (SPEC §5, seed 002 “这已经是第三次了”).

The complaints app finds candidates with indexed queries (same customer, phone key or address key
within N days); this module only scores whether two matters are *similar*, and provides the
normalised keys those indexes should hold.

Similarity is the larger of two views of the matter, so a paraphrase and a terse re-report both
count: the Dice coefficient of the character bigrams of the folded texts (stop characters removed),
and the overlap of matter concepts (lift, leak/seepage, refund…), weighted by how specific they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from .normalize import MARK, fold

__all__ = ["REPEAT_SIMILARITY_THRESHOLD", "address_key", "phone_key", "repeat_similarity"]

# Chosen on tests/test_repeat.py's pairs: every same-matter pair scores above, every different one
# below; 0.3 leaves margin on both sides.
REPEAT_SIMILARITY_THRESHOLD = 0.3

_STOP = set(
    "的了是我你他她它们在有和就都也还又吗呢吧啊呀么这那个一不没很给把被让到说要会去来上下对与及或请您"
)

# Matter concepts: (concept weight, words naming it). The same fault named twice, in whatever
# words, is strong evidence of one matter.
_MATTER_CONCEPTS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (3, ("电梯", "升降梯", "扶梯")),
    (3, ("漏水", "渗水", "滴水", "渗漏", "水渍", "返潮")),
    (3, ("停水", "没水", "水压", "断水")),
    (3, ("停电", "断电", "跳闸", "没电")),
    (3, ("堵塞", "下水道", "堵了", "返水", "马桶")),
    (3, ("噪音", "吵", "扰民", "施工声")),
    (3, ("异味", "臭味", "味道")),
    (3, ("暖气", "供暖", "不热")),
    (3, ("空调", "制冷", "不凉")),
    (3, ("热水器",)),
    (3, ("燃气", "煤气", "天然气")),
    (3, ("门禁", "门卡", "刷卡")),
    (3, ("路灯", "照明", "灯不亮")),
    (3, ("车位", "停车")),
    (3, ("物业费", "管理费")),
    (2, ("收费", "多收", "乱收费", "扣费", "扣钱")),
    (3, ("退款", "退钱", "没到账", "退费")),
    (3, ("退货", "换货", "退换")),
    (3, ("发票",)),
    (2, ("快递", "配送", "物流", "送货", "没送到", "包裹")),
    (2, ("维修", "修理", "报修", "修不好")),
    (2, ("安装",)),
    (3, ("宽带", "网络", "上不了网", "网速", "断网")),
    (3, ("信号",)),
    (3, ("话费", "账单", "套餐")),
    (2, ("态度", "骂人", "不耐烦")),
    (3, ("保洁", "卫生", "打扫", "垃圾")),
    (3, ("绿化", "树木", "草坪")),
    (3, ("漏电",)),
    (3, ("屏幕", "黑屏", "花屏")),
    (3, ("电池", "充电")),
    (3, ("死机", "卡顿", "重启")),
    (3, ("开裂", "裂缝", "破损")),
    (3, ("墙面", "墙皮", "脱落")),
    (3, ("天花板", "吊顶")),
    (3, ("窗户", "门窗")),
    (3, ("门锁", "锁坏")),
    (3, ("水管", "管道", "爆管")),
    (1, ("质量",)),
)


@lru_cache(maxsize=1)
def _terms() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for index, (weight, words) in enumerate(_MATTER_CONCEPTS):
        for word in words:
            automaton.add_word(fold(word), (index, weight))
    automaton.make_automaton()
    return automaton


def _bigrams(folded: str) -> set[str]:
    chars = [c for c in folded if c not in _STOP]
    text = "".join(chars)
    return {text[i : i + 2] for i in range(len(text) - 1) if MARK not in text[i : i + 2]}


def _terms_of(folded: str) -> dict[int, float]:
    return {concept: weight for _, (concept, weight) in _terms().iter(folded)}


def repeat_similarity(a: str, b: str) -> float:
    """How likely two complaint texts describe the same matter, in [0, 1]."""
    fa, fb = fold(a), fold(b)
    if not fa.replace(MARK, "") or not fb.replace(MARK, ""):
        return 0.0
    ga, gb = _bigrams(fa), _bigrams(fb)
    dice = 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0
    ta, tb = _terms_of(fa), _terms_of(fb)
    union = sum({**ta, **tb}.values())
    keywords = sum(w for t, w in ta.items() if t in tb) / union if union else 0.0
    return round(min(1.0, max(dice, 0.8 * keywords + 0.2 * dice)), 4)


def phone_key(phone: str) -> str:
    """Digits only, without a +86/0086 country prefix: the value to index for phone lookups."""
    digits = re.sub(r"\D", "", fold(phone))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (11, 10, 12):
            return digits[len(prefix) :]
    return digits


def address_key(address: str) -> str:
    """Folded address without spaces or punctuation, with common unit words unified (号楼 → 栋,
    單元 → 单元, 室/房 dropped): the value to index for address lookups."""
    key = fold(address).replace(MARK, "")
    key = re.sub(r"(号楼|幢|座)", "栋", key)
    key = re.sub(r"(\d+)(室|房|号房)$", r"\1", key)
    return key
