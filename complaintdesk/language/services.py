"""Text intelligence services: what the rest of ComplaintDesk calls.

Reads (check, suggest) keep compiled checkers and loaded models per process, keyed by a cheap
revision query, so an admin's phrase edit or a newly activated model is used on the next call in
every process without a restart. Writes (phrase edits, corrections, training) are keyword-only and
transactional; every phrase change writes a :class:`PhraseRuleVersion`.
"""

from __future__ import annotations

import logging
import pickle
import threading
import zlib
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .checker import ForbiddenRule, PhraseChecker, RuleError, Violation
from .classifier import FIELDS, LABELS, Prediction, TextClassifier, cross_validate, rule_predictions
from .models import (
    ClassifierModel,
    PhraseKind,
    PhraseRule,
    PhraseRuleVersion,
    TrainingExample,
    TrainingSource,
    text_digest,
)
from .phrases_default import APPROVED_PHRASES, FORBIDDEN_RULES
from .receipt import review_receipt
from .repeat import REPEAT_SIMILARITY_THRESHOLD, repeat_similarity

__all__ = [
    "REPEAT_SIMILARITY_THRESHOLD",
    "active_checker",
    "check_customer_text",
    "classifier_activate",
    "classifier_retrain_due",
    "classifier_train",
    "predict_field",
    "phrase_rule_deactivate",
    "phrase_rule_save",
    "receipt_problems",
    "record_correction",
    "repeat_similarity",
    "seed_default_phrases",
    "suggest",
    "training_examples_import",
]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_checker_cache: dict[str, object] = {"revision": object(), "checker": None}
_model_cache: dict[tuple[int, object], TextClassifier] = {}
_DEFAULT_CHECKER: PhraseChecker | None = None


# --- forbidden phrases ---
def _default_checker() -> PhraseChecker:
    global _DEFAULT_CHECKER
    if _DEFAULT_CHECKER is None:
        _DEFAULT_CHECKER = PhraseChecker(FORBIDDEN_RULES)
    return _DEFAULT_CHECKER


def active_checker() -> PhraseChecker:
    """The checker for the DB's active forbidden rules; the packaged defaults while the DB has none."""
    # Rules are never deleted, so every change adds a version row; (last id, last time) identifies
    # the library's state even where ids are reused after a rollback (SQLite in tests).
    revision = tuple(PhraseRuleVersion.objects.aggregate(last=Max("id"), at=Max("changed_at")).values())
    if revision[0] is None:
        return _default_checker()
    with _lock:
        if _checker_cache["revision"] != revision:
            rules = PhraseRule.objects.filter(kind=PhraseKind.FORBIDDEN, is_active=True).order_by("code")
            _checker_cache["checker"] = PhraseChecker(_valid_rules(r.to_forbidden_rule() for r in rules))
            _checker_cache["revision"] = revision
        return _checker_cache["checker"]


def _valid_rules(rules: Iterable[ForbiddenRule]) -> list[ForbiddenRule]:
    """Rules that compile; a row written around ``phrase_rule_save`` with a broken pattern is
    logged and skipped rather than taking the checker down for every text."""
    valid = []
    for rule in rules:
        try:
            PhraseChecker([rule])
        except RuleError as exc:
            logger.error("forbidden-phrase rule skipped: %s", exc)
            continue
        valid.append(rule)
    return valid


def check_customer_text(text: str) -> list[Violation]:
    """Forbidden phrases in a text meant for a customer (reply, SMS, note, 回单)."""
    return active_checker().check(text)


def describe_violations(violations) -> list[str]:
    """One translated sentence per violation: the phrase and what to say instead."""
    return [
        _("“%(phrase)s”属于服务禁语（%(rule)s），建议改为：%(suggestion)s")
        % {"phrase": v.phrase, "rule": v.rule, "suggestion": v.suggestion}
        for v in violations
    ]


def receipt_problems(text: str) -> list[str]:
    """Why a 回单 text is rejected (Simplified Chinese sentences); empty list = acceptable."""
    return review_receipt(text, active_checker()).problems()


# --- phrase library writes ---
@transaction.atomic
def phrase_rule_save(*, rule: PhraseRule, acting_user=None, note: str = "") -> PhraseRule:
    """Create or update a phrase rule (validated), bump its version and record the change."""
    rule.full_clean()
    creating = rule.pk is None
    if not creating:
        current = PhraseRule.objects.select_for_update().get(pk=rule.pk)
        if current.snapshot() == rule.snapshot():
            return current
        rule.version = current.version + 1
        action = PhraseRuleVersion.Action.UPDATE
        if current.is_active != rule.is_active:
            action = (
                PhraseRuleVersion.Action.ACTIVATE if rule.is_active else PhraseRuleVersion.Action.DEACTIVATE
            )
    else:
        rule.version = 1
        action = PhraseRuleVersion.Action.CREATE
    rule.updated_by = acting_user
    rule.save()
    PhraseRuleVersion.objects.create(
        rule=rule,
        version=rule.version,
        action=action,
        snapshot=rule.snapshot(),
        note=note,
        changed_by=acting_user,
    )
    return rule


def phrase_rule_deactivate(*, rule: PhraseRule, acting_user=None, note: str = "") -> PhraseRule:
    rule.is_active = False
    return phrase_rule_save(rule=rule, acting_user=acting_user, note=note)


@transaction.atomic
def seed_default_phrases(*, acting_user=None) -> int:
    """Add the packaged library's entries missing from the DB (by code); returns how many."""
    existing = set(PhraseRule.objects.values_list("code", flat=True))
    created = 0
    for r in FORBIDDEN_RULES:
        if r.code not in existing:
            rule = PhraseRule(
                kind=PhraseKind.FORBIDDEN,
                code=r.code,
                phrase=r.phrase,
                patterns="\n".join(r.patterns),
                exceptions="\n".join(r.exceptions),
                suggestion=r.suggestion,
                reason=r.reason,
                source=r.source,
            )
            phrase_rule_save(rule=rule, acting_user=acting_user, note="初始数据")
            created += 1
    counters: dict[str, int] = {}
    for p in APPROVED_PHRASES:
        counters[p.situation] = counters.get(p.situation, 0) + 1
        code = f"{p.situation}-{counters[p.situation]}"
        if code not in existing:
            rule = PhraseRule(
                kind=PhraseKind.APPROVED,
                code=code,
                situation=p.situation,
                phrase=p.text,
                reason=p.note,
                source=p.source,
            )
            phrase_rule_save(rule=rule, acting_user=acting_user, note="初始数据")
            created += 1
    return created


# --- classifier ---
def _active_models() -> dict[str, tuple[TextClassifier, str]]:
    rows = list(
        ClassifierModel.objects.filter(is_active=True).values_list("id", "created_at", "field", "version")
    )
    missing = [pk for pk, created, _, _ in rows if (pk, created) not in _model_cache]
    if missing:
        loaded = ClassifierModel.objects.filter(pk__in=missing).values_list("id", "created_at", "payload")
        for pk, created, payload in loaded:
            model = pickle.loads(zlib.decompress(bytes(payload)))
            with _lock:
                _model_cache[(pk, created)] = model
    return {
        field: (_model_cache[(pk, created)], f"{field}-v{version}") for pk, created, field, version in rows
    }


def suggest(text: str) -> dict[str, dict]:
    """Suggestions for nature, category, dimension, emotion and escalation risk, each
    ``{"label", "score", "model", "evidence"}``; a field's active trained model overrides the rules."""
    predictions = rule_predictions(text)
    for field, (model, name) in _active_models().items():
        [(label, score)] = model.predict([text])
        predictions[field] = Prediction(label, score, name, tuple(model.explain(text, label)))
    return {field: predictions[field].as_dict() for field in FIELDS}


def predict_field(field: str, texts: Sequence[str]) -> list[Prediction]:
    """Batch predictions for one field (the ``classify`` command)."""
    if field not in LABELS:
        raise ValueError(f"unknown field {field!r}; expected one of {', '.join(FIELDS)}")
    active = _active_models().get(field)
    if active is None:
        return [rule_predictions(t)[field] for t in texts]
    model, name = active
    return [Prediction(label, score, name) for label, score in model.predict(list(texts))]


def record_correction(*, field: str, text: str, label: str) -> None:
    """Keep an agent's correction of a suggestion as a training example."""
    if field not in LABELS:
        raise ValueError(f"unknown field {field!r}")
    if not text.strip() or not label:
        return
    TrainingExample.objects.update_or_create(
        field=field,
        source=TrainingSource.CORRECTION,
        digest=text_digest(text),
        defaults={"text": text, "label": label},
    )


def training_examples_import(*, field: str, rows: Iterable[tuple[str, str]]) -> int:
    """Bulk-import labelled history; texts already imported for the field are skipped."""
    if field not in LABELS:
        raise ValueError(f"unknown field {field!r}")
    examples = [
        TrainingExample(
            field=field, text=text, digest=text_digest(text), label=label, source=TrainingSource.IMPORT
        )
        for text, label in rows
        if text and text.strip() and label
    ]
    before = TrainingExample.objects.filter(field=field, source=TrainingSource.IMPORT).count()
    TrainingExample.objects.bulk_create(examples, batch_size=2000, ignore_conflicts=True)
    return TrainingExample.objects.filter(field=field, source=TrainingSource.IMPORT).count() - before


def _training_set(field: str) -> tuple[list[str], list[str]]:
    """Imports and corrections for a field; a correction overrides an import of the same text."""
    by_digest: dict[str, tuple[str, str]] = {}
    rows = TrainingExample.objects.filter(field=field).order_by("source", "id")  # "correction" < "import"
    for digest, text, label, source in rows.values_list("digest", "text", "label", "source").iterator():
        if source == TrainingSource.IMPORT and digest in by_digest:
            continue
        by_digest[digest] = (text, label)
    texts = [t for t, _ in by_digest.values()]
    labels = [label for _, label in by_digest.values()]
    return texts, labels


def classifier_train(
    *, field: str, activate: bool = True, acting_user=None, folds: int = 5, **params
) -> ClassifierModel:
    """Train a model for ``field`` on its training examples, store it with its cross-validated
    metrics, and (by default) make it the active one."""
    texts, labels = _training_set(field)
    result = cross_validate(texts, labels, folds=folds, **params)
    payload = zlib.compress(pickle.dumps(result.model, protocol=pickle.HIGHEST_PROTOCOL), 3)
    algorithm = "NB-SVM; jieba 词 + 字 n-gram TF-IDF" if result.model.words else "NB-SVM; 字 n-gram TF-IDF"
    with transaction.atomic():
        last = (
            ClassifierModel.objects.select_for_update().filter(field=field).aggregate(v=Max("version"))["v"]
        )
        model = ClassifierModel.objects.create(
            field=field,
            version=(last or 0) + 1,
            algorithm=algorithm,
            params={
                "words": result.model.words,
                "char_ngrams": list(result.model.char_ngrams),
                "c": result.model.c,
                "min_df": result.model.min_df,
                "temperature": result.model.temperature,
            },
            labels=result.model.labels,
            metrics=result.metrics(),
            n_examples=result.n_examples,
            payload=payload,
            created_by=acting_user,
        )
        if activate:
            classifier_activate(model=model)
    return model


# A field gets (or refreshes) its trained model once it has this much labelled history, and this
# many examples more than its current model saw.
MIN_TRAINING_EXAMPLES = 200
MIN_NEW_EXAMPLES = 50


def classifier_retrain_due(
    *, min_examples: int = MIN_TRAINING_EXAMPLES, min_new: int = MIN_NEW_EXAMPLES
) -> list[str]:
    """Train every field whose labelled history is large enough and has grown since its active
    model; the new model only takes over when its CV accuracy is not worse. Returns the names of
    the models trained (the periodic task ``language.retrain_classifiers`` calls this)."""
    trained = []
    for field in FIELDS:
        count = TrainingExample.objects.filter(field=field).values("digest").distinct().count()
        current = ClassifierModel.objects.filter(field=field, is_active=True).first()
        if count < min_examples or (current is not None and count - current.n_examples < min_new):
            continue
        if len(set(_training_set(field)[1])) < 2:
            continue
        model = classifier_train(field=field, activate=False)
        if current is None or model.metrics["cv_accuracy"] >= current.metrics.get("cv_accuracy", 0.0):
            classifier_activate(model=model)
        trained.append(model.name)
    return trained


@transaction.atomic
def classifier_activate(*, model: ClassifierModel) -> ClassifierModel:
    ClassifierModel.objects.filter(field=model.field, is_active=True).exclude(pk=model.pk).update(
        is_active=False
    )
    model.is_active = True
    model.save(update_fields=["is_active"])
    return model
