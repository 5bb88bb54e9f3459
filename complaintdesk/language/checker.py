"""Forbidden-phrase checker (禁忌用语检查), SPEC §7.

Pure Python: give it rules, get back the spans of a text that break them. The DB-backed entry
point the rest of the project calls is ``services.check_customer_text``.

How a text is checked:

1. normalise it (Traditional → Simplified, full/half width, case; spaces and punctuation removed)
   keeping a map back to the original offsets;
2. one Aho-Corasick pass finds the *anchors* of every variant pattern of every rule;
3. for each anchor hit, the variant's regex runs in a window just wide enough for that pattern,
   and must cover the hit;
4. a match is dropped when one of the rule's *exception* patterns (polite uses, e.g.
   “不知道您现在方便接电话吗”) overlaps it;
5. a match lying inside a longer match of another rule is dropped (the more specific rule wins);
6. spans are mapped back to the original text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from .normalize import NormalizedText
from .patterns import CompiledPattern, PatternError, compile_pattern

__all__ = ["ForbiddenRule", "PhraseChecker", "RuleError", "Violation"]


@dataclass(frozen=True)
class Violation:
    """One forbidden phrase found in a text; ``start``/``end`` index the original text."""

    start: int
    end: int
    phrase: str
    rule: str
    suggestion: str
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "phrase": self.phrase,
            "rule": self.rule,
            "suggestion": self.suggestion,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ForbiddenRule:
    """A forbidden phrase (禁忌用语) with the variants that count as it and its polite exceptions."""

    code: str
    phrase: str
    suggestion: str
    reason: str
    patterns: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    source: str = ""

    def all_patterns(self) -> tuple[str, ...]:
        """The variant patterns; without any, the canonical phrase itself is the pattern.

        The phrase is not added when patterns exist: a phrase like “不管” is only forbidden in the
        shapes the patterns describe (“我不管”), not in “不管多晚我们都会回复您”.
        """
        return self.patterns or (self.phrase,)


class RuleError(ValueError):
    """A rule whose patterns do not compile; ``code`` names it."""

    def __init__(self, code: str, error: PatternError) -> None:
        super().__init__(f"{code}: {error}")
        self.code = code


@dataclass(frozen=True)
class _Compiled:
    rule: ForbiddenRule
    pattern: CompiledPattern
    exceptions: tuple[CompiledPattern, ...]


class PhraseChecker:
    """Compiled, immutable and thread-safe; build once per rule set and reuse."""

    def __init__(self, rules: Iterable[ForbiddenRule]) -> None:
        self.rules = tuple(rules)
        self._entries: list[_Compiled] = []
        self._automaton = ahocorasick.Automaton()
        by_anchor: dict[str, list[tuple[int, int]]] = {}
        for rule in self.rules:
            try:
                exceptions = tuple(compile_pattern(p, min_anchor=0) for p in rule.exceptions if p.strip())
                patterns = [compile_pattern(p) for p in rule.all_patterns() if p.strip()]
            except PatternError as exc:
                raise RuleError(rule.code, exc)
            for pattern in patterns:
                index = len(self._entries)
                self._entries.append(_Compiled(rule, pattern, exceptions))
                for anchor in pattern.anchors:
                    by_anchor.setdefault(anchor, []).append((index, len(anchor)))
        for anchor, entries in by_anchor.items():
            self._automaton.add_word(anchor, tuple(entries))
        self._empty = not by_anchor
        if not self._empty:
            self._automaton.make_automaton()

    def check(self, text: str) -> list[Violation]:
        """Violations in ``text``, ordered by position."""
        if self._empty or not text:
            return []
        norm = NormalizedText(text)
        folded = norm.text
        found: dict[tuple[int, int, int], _Compiled] = {}
        tried: set[tuple[int, int]] = set()
        for end_index, entries in self._automaton.iter(folded):
            for index, length in entries:
                hit_start = end_index - length + 1
                if (index, hit_start) in tried:
                    continue
                tried.add((index, hit_start))
                entry = self._entries[index]
                span = _match_covering(entry.pattern, folded, hit_start, end_index + 1)
                if span is None or _excepted(entry, folded, *span):
                    continue
                found.setdefault((span[0], span[1], id(entry.rule)), entry)
        if not found:
            return []
        return [
            _violation(norm, start, end, entry.rule)
            for start, end, entry in _drop_contained([(s, e, entry) for (s, e, _), entry in found.items()])
        ]


def _match_covering(
    pattern: CompiledPattern, text: str, hit_start: int, hit_end: int
) -> tuple[int, int] | None:
    # One character beyond the widest possible match, so an end-of-clause test never fires at the
    # artificial window end for a match that covers the hit.
    lo = max(0, hit_end - pattern.max_width)
    hi = min(len(text), hit_start + pattern.max_width + 1)
    for match in pattern.regex.finditer(text, lo, hi):
        if match.start() <= hit_start and match.end() >= hit_end:
            return match.start(), match.end()
        if match.start() > hit_start:
            break
    return None


def _excepted(entry: _Compiled, text: str, start: int, end: int) -> bool:
    for exception in entry.exceptions:
        lo = max(0, start - exception.max_width)
        hi = min(len(text), end + exception.max_width + 1)
        for match in exception.regex.finditer(text, lo, hi):
            if match.start() < end and match.end() > start:
                return True
    return False


def _drop_contained(spans: list[tuple[int, int, _Compiled]]) -> list[tuple[int, int, _Compiled]]:
    """Keep the longest match of each rule among overlapping ones, and drop any match that lies
    inside a longer match of another rule."""
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, _Compiled]] = []
    max_end = -1  # spans come by start, so a span is contained iff some earlier one reaches its end
    rule_end: dict[int, int] = {}
    for start, end, entry in spans:
        if end <= max_end or start < rule_end.get(id(entry.rule), -1):
            continue
        kept.append((start, end, entry))
        max_end = max(max_end, end)
        rule_end[id(entry.rule)] = end
    return kept


def _violation(norm: NormalizedText, start: int, end: int, rule: ForbiddenRule) -> Violation:
    o_start, o_end = norm.span_to_original(start, end)
    return Violation(
        start=o_start,
        end=o_end,
        phrase=norm.original[o_start:o_end],
        rule=rule.code,
        suggestion=rule.suggestion,
        reason=rule.reason,
    )
