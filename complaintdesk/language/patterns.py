"""The small pattern language admins use to describe a forbidden phrase and its variants.

A pattern is written the way a trainer would write the phrase, with a few marks:

=============  ==============================================================
``*`` / ``…``  up to 4 inserted characters within the same clause (``*2`` / ``…2``: up to 2)
``(甲|乙)``    either alternative (alternatives may be empty: ``(去|)``)
``[甲乙]``     any one of these characters; ``[^诉]`` any character but these
``^`` / ``$``  start / end of a clause (of the text, or next to clause punctuation)
``?``          the previous character or group is optional (ASCII ``?`` only)
``，。！？…``   clause punctuation: the text may have any clause punctuation here, or none
anything else  literal text; spaces and other punctuation in it are ignored
=============  ==============================================================

Examples: ``你*尽管*(投诉|告)*2(好了|去吧)``, ``(真的)?不知道``, ``有意见，告去``.

Patterns are matched against normalised text (see :mod:`normalize`), so literals are folded the
same way: Traditional, full-width and spacing variants match without being written out. Each
pattern yields *anchors*, literal strings of which at least one must occur in any match; the
checker finds anchors with Aho-Corasick and only then runs the pattern's regex in a window around
the hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import MARK, fold

__all__ = ["CompiledPattern", "PatternError", "compile_pattern"]

DEFAULT_GAP = 4
MAX_GAP = 12
MAX_ALTERNATIVES_FOR_ANCHOR = 12


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message is shown to the admin."""


@dataclass(frozen=True)
class CompiledPattern:
    source: str
    regex: re.Pattern[str]
    anchors: tuple[str, ...]
    max_width: int


# Parsed items: ("lit", str) | ("gap", n) | ("cls", str) | ("ncls", str) | ("grp", [seq, ...]) |
# ("mark", None) | ("bol", None) | ("eol", None), each with an optional flag. A mark matches any run of
# clause punctuation, including none; bol/eol are zero-width clause boundaries.
_Item = tuple[str, object, bool]


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0

    def error(self, message: str) -> PatternError:
        return PatternError(f"模式“{self.src}”第 {self.pos + 1} 个字符处：{message}")

    def parse(self) -> list[_Item]:
        seq = self.sequence(top=True)
        if self.pos != len(self.src):
            raise self.error("多余的“)”")
        return seq

    def sequence(self, top: bool = False) -> list[_Item]:
        items: list[_Item] = []
        while self.pos < len(self.src):
            ch = self.src[self.pos]
            if ch in ")|" and not top:
                break
            if ch == ")" or ch == "|":
                raise self.error(f"“{ch}”只能出现在括号内")
            self.pos += 1
            if ch in "*…":
                digits = ""
                while self.pos < len(self.src) and self.src[self.pos].isdigit():
                    digits += self.src[self.pos]
                    self.pos += 1
                width = int(digits) if digits else DEFAULT_GAP
                if not 1 <= width <= MAX_GAP:
                    raise self.error(f"间隔须在 1 到 {MAX_GAP} 个字之间")
                items.append(("gap", width, False))
            elif ch == "(":
                alternatives = [self.sequence()]
                while self.pos < len(self.src) and self.src[self.pos] == "|":
                    self.pos += 1
                    alternatives.append(self.sequence())
                if self.pos >= len(self.src) or self.src[self.pos] != ")":
                    raise self.error("缺少“)”")
                self.pos += 1
                items.append(("grp", alternatives, False))
            elif ch == "[":
                end = self.src.find("]", self.pos)
                if end < 0:
                    raise self.error("缺少“]”")
                negated = self.src.startswith("^", self.pos)
                chars = fold(self.src[self.pos + negated : end])
                self.pos = end + 1
                if not chars:
                    raise self.error("“[]”里至少要有一个字")
                items.append(("ncls" if negated else "cls", chars, False))
            elif ch == "^":
                items.append(("bol", None, False))
            elif ch == "$":
                items.append(("eol", None, False))
            elif ch == "?":
                if not items or items[-1][0] in ("gap", "mark", "bol", "eol"):
                    raise self.error("“?”前面必须是一个字或一组括号")
                kind, value, _ = items[-1]
                if kind == "lit" and len(value) > 1:  # only the last character becomes optional
                    items[-1] = ("lit", value[:-1], False)
                    items.append(("lit", value[-1], True))
                else:
                    items[-1] = (kind, value, True)
            else:
                folded = fold(ch)
                if not folded:
                    continue
                if folded == MARK:
                    if items and items[-1][0] != "mark":
                        items.append(("mark", None, False))
                    continue
                if items and items[-1][0] == "lit" and not items[-1][2]:
                    items[-1] = ("lit", items[-1][1] + folded, False)
                else:
                    items.append(("lit", folded, False))
        return items


def _regex(seq: list[_Item]) -> str:
    out = []
    for kind, value, optional in seq:
        if kind == "lit":
            part = re.escape(value)
            if optional and len(value) > 1:
                part = f"(?:{part})"
        elif kind == "gap":
            part = f"[^{MARK}]{{0,{value}}}"
        elif kind == "mark":
            part = f"{MARK}*"
        elif kind == "bol":
            part = f"(?:^|(?<={MARK}))"
        elif kind == "eol":
            part = rf"(?={MARK}|\Z)"
        elif kind == "cls":
            part = "[" + "".join(re.escape(c) for c in value) + "]"
        elif kind == "ncls":
            part = "[^" + "".join(re.escape(c) for c in value) + "]"
        else:
            part = "(?:" + "|".join(_regex(alt) for alt in value) + ")"
        out.append(part + ("?" if optional else ""))
    return "".join(out)


def _width(seq: list[_Item]) -> int:
    total = 0
    for kind, value, _ in seq:
        if kind == "lit":
            total += len(value)
        elif kind == "gap":
            total += value
        elif kind == "mark":
            total += 3
        elif kind in ("bol", "eol"):
            continue
        elif kind in ("cls", "ncls"):
            total += 1
        else:
            total += max(_width(alt) for alt in value)
    return total


def _literal_strings(seq: list[_Item]) -> list[str] | None:
    """All strings a gap-free, class-free sequence can match, or None if it is not that simple."""
    results = [""]
    for kind, value, optional in seq:
        if kind == "lit":
            options = [value]
        elif kind == "grp":
            options = []
            for alt in value:
                sub = _literal_strings(alt)
                if sub is None:
                    return None
                options.extend(sub)
        else:
            return None
        if optional:
            options = options + [""]
        results = [r + o for r in results for o in options]
        if len(results) > MAX_ALTERNATIVES_FOR_ANCHOR:
            return None
    return results


def _anchors(seq: list[_Item]) -> tuple[str, ...]:
    """The best set of required literals: runs of adjacent gap-free items, expanded.

    A run of consecutive literal/group items (no gap, class or optional item breaks it) must appear
    as one of its expansions in every match. Pick the run whose shortest expansion is longest.
    """
    best: tuple[int, int, tuple[str, ...]] = (0, 0, ())
    runs: list[list[_Item]] = [[]]
    for item in seq:
        kind, _, optional = item
        if kind not in ("lit", "grp") or (optional and kind == "lit"):
            runs.append([])
        else:
            runs[-1].append(item)
    for run in runs:
        # Try every contiguous sub-run so an explosive group does not spoil a good literal.
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                strings = _literal_strings(run[i:j])
                if not strings or any(not s for s in strings):
                    continue
                shortest = min(len(s) for s in strings)
                key = (shortest, -len(strings))
                if key > best[:2]:
                    best = (shortest, -len(strings), tuple(sorted(set(strings))))
    return best[2]


def compile_pattern(source: str, *, min_anchor: int = 1) -> CompiledPattern:
    """Compile one pattern; raises :class:`PatternError` with a Chinese message for admins.

    ``min_anchor=0`` is for exception patterns, which are only run in a window and need no anchor.
    """
    parser = _Parser(source.strip())
    seq = parser.parse()
    while seq and seq[-1][0] == "mark":
        seq.pop()
    while seq and seq[0][0] == "mark":
        seq.pop(0)
    if not seq:
        raise PatternError(f"模式“{source}”为空")
    if seq[0][0] == "gap" or seq[-1][0] == "gap":
        raise PatternError(f"模式“{source}”不能以间隔（*）开头或结尾")
    anchors = _anchors(seq)
    if min_anchor and (not anchors or min(len(a) for a in anchors) < min_anchor):
        raise PatternError(
            f"模式“{source}”缺少必须出现的固定文字（不能全是可选部分），无法快速检索；请写出更具体的词语"
        )
    return CompiledPattern(
        source=source, regex=re.compile(_regex(seq), re.DOTALL), anchors=anchors, max_width=_width(seq)
    )
