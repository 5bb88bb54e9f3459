"""The rule model (``rules-v1``): lexicon scores per field, used until a trained model takes over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from ..normalize import fold, fold_script
from . import lexicons

__all__ = ["RULES_MODEL", "Prediction", "escalation_signals", "rule_predictions"]

RULES_MODEL = "rules-v1"


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float
    model: str
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "score": round(self.score, 4),
            "model": self.model,
            "evidence": list(self.evidence),
        }


class _LexiconMatcher:
    """Finds every lexicon term in a text: literals with one Aho-Corasick pass, ``re:`` terms by regex."""

    def __init__(self, lexicon: lexicons.Lexicon) -> None:
        self.labels = tuple(lexicon)
        self._automaton = ahocorasick.Automaton()
        self._regexes: list[tuple[re.Pattern[str], str, float]] = []
        literals: dict[str, list[tuple[str, float, str]]] = {}
        for label, terms in lexicon.items():
            for term, weight in terms:
                if term.startswith("re:"):
                    self._regexes.append((re.compile(term[3:]), label, weight))
                else:
                    literals.setdefault(fold(term), []).append((label, weight, term))
        for key, entries in literals.items():
            self._automaton.add_word(key, tuple(entries))
        self._automaton.make_automaton()

    def scores(self, folded: str, script: str) -> tuple[dict[str, float], dict[str, list[str]]]:
        totals = dict.fromkeys(self.labels, 0.0)
        evidence: dict[str, list[str]] = {label: [] for label in self.labels}
        for _, entries in self._automaton.iter(folded):
            for label, weight, term in entries:
                if term not in evidence[label]:
                    totals[label] += weight
                    evidence[label].append(term)
        for regex, label, weight in self._regexes:
            match = regex.search(script)
            if match and match.group() not in evidence[label]:
                totals[label] += weight
                evidence[label].append(match.group())
        return totals, evidence


@lru_cache(maxsize=1)
def _matchers() -> dict[str, _LexiconMatcher]:
    return {
        "escalation_risk": _LexiconMatcher(lexicons.ESCALATION),
        "emotion": _LexiconMatcher(lexicons.EMOTION),
        "nature": _LexiconMatcher(lexicons.NATURE),
        "category": _LexiconMatcher(lexicons.CATEGORY),
        "dimension": _LexiconMatcher(lexicons.DIMENSION),
    }


@lru_cache(maxsize=1)
def _signal_matcher() -> _LexiconMatcher:
    return _LexiconMatcher({"signal": tuple((term, 1.0) for term in lexicons.ESCALATION_SIGNALS)})


def escalation_signals(text: str) -> tuple[str, ...]:
    """The SPEC §5 escalation signals found in ``text`` (empty when none)."""
    _totals, evidence = _signal_matcher().scores(fold(text), fold_script(text))
    return tuple(evidence["signal"])


def _confidence(best: float, total: float) -> float:
    """Share of the evidence for the winner, damped when the evidence is thin; in [0.35, 0.95]."""
    if total <= 0:
        return 0.35
    return round(min(0.95, 0.35 + 0.6 * (best / total) * min(1.0, best / 3.0)), 4)


def _argmax(totals: dict[str, float], order: tuple[str, ...]) -> str:
    return max(order, key=lambda label: (totals.get(label, 0.0), -order.index(label)))


def rule_predictions(text: str) -> dict[str, Prediction]:
    """All five fields from lexicons; emotion feeds escalation risk, category feeds the dimension."""
    folded, script = fold(text), fold_script(text)
    m = _matchers()
    out: dict[str, Prediction] = {}

    emo, emo_ev = m["emotion"].scores(folded, script)
    bangs = script.replace("！", "!").replace("？", "?")
    if bangs.count("!") >= 3 or "!!" in bangs or "?!" in bangs or "!?" in bangs:
        emo["angry"] += 1.5
        emo_ev["angry"].append("！！")
    if emo["intense"] >= 3:
        emotion = "intense"
    elif emo["angry"] >= 2:
        emotion = "angry"
    elif emo["dissatisfied"] >= 0.8:
        emotion = "dissatisfied"
    else:
        emotion = "calm"
    if emotion == "calm":
        out["emotion"] = Prediction("calm", 0.6 if sum(emo.values()) == 0 else 0.45, RULES_MODEL)
    else:
        out["emotion"] = Prediction(
            emotion, _confidence(emo[emotion], sum(emo.values())), RULES_MODEL, tuple(emo_ev[emotion])
        )

    esc, esc_ev = m["escalation_risk"].scores(folded, script)
    signals = escalation_signals(text)
    if signals or esc["high"] >= 3 or (esc["high"] >= 2 and esc["medium"] >= 2):
        risk = "high"
    elif esc["medium"] >= 2 or esc["high"] > 0 or emotion in ("angry", "intense"):
        risk = "medium"
    else:
        risk = "low"
    risk_evidence = tuple(dict.fromkeys(signals + tuple(esc_ev["high"] + esc_ev["medium"])))
    if emotion in ("angry", "intense") and risk != "low":
        risk_evidence += (f"情绪：{'激烈' if emotion == 'intense' else '愤怒'}",)
    risk_score = {
        "high": min(0.95, 0.6 + 0.1 * esc["high"] + (0.25 if signals else 0.0)),
        "medium": min(0.9, 0.5 + 0.1 * esc["medium"]),
        "low": 0.7 if not risk_evidence else 0.5,
    }[risk]
    out["escalation_risk"] = Prediction(risk, round(risk_score, 4), RULES_MODEL, risk_evidence)

    nat, nat_ev = m["nature"].scores(folded, script)
    nature = _argmax(nat, ("valid", "help", "inquiry", "venting")) if sum(nat.values()) else "valid"
    out["nature"] = Prediction(
        nature, _confidence(nat[nature], sum(nat.values())), RULES_MODEL, tuple(nat_ev[nature])
    )

    cat, cat_ev = m["category"].scores(folded, script)
    order = (
        "product_quality",
        "facilities",
        "service_attitude",
        "service_quality",
        "repair_quality",
        "emergency",
        "business_policy",
    )
    category = _argmax(cat, order) if sum(cat.values()) else "other"
    out["category"] = Prediction(
        category,
        _confidence(cat.get(category, 0.0), sum(cat.values())),
        RULES_MODEL,
        tuple(cat_ev.get(category, ())),
    )

    dim, dim_ev = m["dimension"].scores(folded, script)
    if sum(dim.values()):
        dimension = _argmax(dim, ("responsiveness", "reliability", "empathy", "assurance", "tangibles"))
        out["dimension"] = Prediction(
            dimension, _confidence(dim[dimension], sum(dim.values())), RULES_MODEL, tuple(dim_ev[dimension])
        )
    else:
        dimension = lexicons.DIMENSION_BY_CATEGORY[category]
        out["dimension"] = Prediction(
            dimension, 0.35, RULES_MODEL, (f"类别：{category}",) if category != "other" else ()
        )
    return out
