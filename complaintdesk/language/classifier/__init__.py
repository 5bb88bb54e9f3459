"""Complaint classifier (SPEC §2): nature, category, SERVQUAL dimension, emotion, escalation risk.

Cold start: :func:`rule_predictions` (lexicons, model name ``rules-v1``). Once labelled history
exists, a :class:`TextClassifier` trained per field takes that field over (the DB side decides
which; see ``services.suggest``). Pure Python: no Django here.
"""

from __future__ import annotations

from .model import CrossValidation, TextClassifier, cross_validate, tokenize
from .rules import RULES_MODEL, Prediction, escalation_signals, rule_predictions

__all__ = [
    "FIELDS",
    "LABELS",
    "RULES_MODEL",
    "CrossValidation",
    "Prediction",
    "TextClassifier",
    "cross_validate",
    "escalation_signals",
    "rule_predictions",
    "tokenize",
]

# Field → label code → Chinese name. The codes are shared with the complaints app's choices.
LABELS: dict[str, dict[str, str]] = {
    "nature": {"valid": "有效投诉", "help": "求助型", "inquiry": "咨询型", "venting": "发泄型"},
    "category": {
        "product_quality": "产品质量",
        "facilities": "设备设施",
        "service_attitude": "服务态度",
        "service_quality": "服务质量",
        "repair_quality": "维修质量",
        "emergency": "突发事件",
        "business_policy": "经营政策",
        "other": "其他",
    },
    "dimension": {
        "tangibles": "有形度",
        "empathy": "同理度",
        "assurance": "专业度",
        "responsiveness": "反应度",
        "reliability": "信赖度",
    },
    "emotion": {"calm": "平静", "dissatisfied": "不满", "angry": "愤怒", "intense": "激烈"},
    "escalation_risk": {"low": "低", "medium": "中", "high": "高"},
}
FIELDS: tuple[str, ...] = tuple(LABELS)
