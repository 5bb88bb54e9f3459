"""Text normalisation with an offset map back to the original string.

Staff text reaches the checker in every shape a keyboard can produce: Traditional characters
(seed 001 itself is Traditional), full-width letters and digits, spaces or zero-width characters
slipped between the characters of a phrase, Chinese or ASCII punctuation. Matching happens on a
*normalised* form in which all of that is folded away:

- Traditional → Simplified, character by character (zhconv's single-character table, so the
  length never changes and offsets stay exact);
- NFKC width folding (``ＡＢＣ１２３`` → ``abc123``) and ASCII lower-casing;
- clause punctuation (，。！？；：、… and their ASCII/full-width forms, line breaks) becomes one
  marker, ``MARK`` (“，”), so patterns can tell “不知道，你去问别人” from “不知道你现在方便吗”;
- every other whitespace, punctuation, symbol and format character (category Z*, P*, S*, C*) is
  removed, so “不 知 道”, “不\u200b知道” or “「不知道」” read as “不知道”.

Only deletions change positions, so the map back is kept as the sorted list of deleted original
positions and resolved with a binary search: building it costs O(number of deleted characters),
and it is only built when a match needs reporting.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

__all__ = ["MARK", "NormalizedText", "fold", "fold_script", "normalize"]

MARK = "，"
_CLAUSE_PUNCTUATION = set("，,。.！!？?；;：:、…\n\r\u2028\u2029｡､")

# Characters zhconv leaves alone because their simplification depends on context; for matching,
# the common reading is the right one.
_EXTRA_FOLDS = {
    "著": "着",
    "妳": "你",
    "祢": "你",
    "瞭": "了",
    "甚": "什",  # 甚麼 → 什么
    "麽": "么",
    "喫": "吃",
}


_DELETED = "\x00"
_DELETED_RE = re.compile(_DELETED)


@lru_cache(maxsize=1)
def _table() -> dict[int, int]:
    """str.translate table: folds script/width/case, maps clause punctuation to MARK, and every other
    separator to ``_DELETED`` (removed afterwards with one ``str.replace``)."""
    from zhconv import zhconv as zc

    if zc.zhcdicts is None:
        zc.loaddict()
    table: dict[int, int] = {}
    for trad, simp in zc.zhcdicts["zh2Hans"].items():
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            table[ord(trad)] = ord(simp)
    for trad, simp in _EXTRA_FOLDS.items():
        table[ord(trad)] = ord(simp)
    for cp in range(0x30000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch in _CLAUSE_PUNCTUATION or unicodedata.normalize("NFKC", ch) in _CLAUSE_PUNCTUATION:
            table[cp] = ord(MARK)
            continue
        if cat[0] in "ZPS" or (cat[0] == "C" and cat != "Co"):
            table[cp] = ord(_DELETED)
            continue
        if cp in table:
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) == 1 and folded != ch and unicodedata.category(folded)[0] in "LN":
            table[cp] = ord(folded.lower())
        elif "A" <= ch <= "Z":
            table[cp] = ord(ch.lower())
    # Width-folded upper-case letters (Ｑ → Q) must also end up lower-case.
    for cp, target in list(table.items()):
        if "A" <= chr(target) <= "Z":
            table[cp] = ord(chr(target).lower())
    return table


def fold(text: str) -> str:
    """The normalised form of ``text`` (no offset map). Use for patterns and keys."""
    return text.translate(_table()).replace(_DELETED, "")


@lru_cache(maxsize=1)
def _script_table() -> dict[int, int]:
    return {cp: target for cp, target in _table().items() if target not in (ord(MARK), ord(_DELETED))}


def fold_script(text: str) -> str:
    """Only Traditional → Simplified, width and case folding; punctuation and spaces stay (for models
    that learn from “！！！” or word boundaries)."""
    return text.translate(_script_table())


class NormalizedText:
    """A normalised string plus a lazy map from its indices to indices of the original."""

    __slots__ = ("original", "text", "_marked", "_shifts")

    def __init__(self, original: str) -> None:
        self.original = original
        self._marked = original.translate(_table())
        if _DELETED in self._marked:
            self.text = self._marked.replace(_DELETED, "")
            self._shifts: list[int] | None = None
        else:
            self.text = self._marked
            self._shifts = []

    def _shift_points(self) -> list[int]:
        if self._shifts is None:
            # For the k-th deleted original position d_k, normalised index d_k - k is the first one
            # that sits after it; a normalised index n is shifted by the count of such points <= n.
            self._shifts = [m.start() - k for k, m in enumerate(_DELETED_RE.finditer(self._marked))]
        return self._shifts

    def to_original(self, index: int) -> int:
        """Original index of the normalised character at ``index``."""
        return index + bisect_right(self._shift_points(), index)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering normalised ``[start, end)`` (end exclusive, non-empty)."""
        return self.to_original(start), self.to_original(end - 1) + 1


def normalize(text: str) -> NormalizedText:
    return NormalizedText(text)
