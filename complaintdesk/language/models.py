"""Phrase library, classifier models and training examples (DB side of text intelligence)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .checker import ForbiddenRule
from .classifier import LABELS
from .patterns import PatternError, compile_pattern
from .phrases_default import SITUATIONS

_FIELD_NAMES = {
    "nature": "性质",
    "category": "类别",
    "dimension": "服务质量维度",
    "emotion": "情绪",
    "escalation_risk": "升级风险",
}
FIELD_CHOICES = [(f, _FIELD_NAMES[f]) for f in LABELS]


def text_digest(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


class PhraseKind(models.TextChoices):
    APPROVED = "approved", "规范用语"
    FORBIDDEN = "forbidden", "禁忌用语"


class PhraseRule(models.Model):
    """One entry of the phrase library. Change it only through ``services.phrase_rule_save`` so
    every change is versioned."""

    kind = models.CharField("类型", max_length=16, choices=PhraseKind.choices)
    code = models.SlugField("代码", max_length=64, unique=True)
    situation = models.CharField("场景", max_length=32, choices=list(SITUATIONS.items()), blank=True)
    phrase = models.CharField("用语", max_length=200)
    patterns = models.TextField("变体模式", blank=True, help_text="每行一个模式；语法见 language/README.md")
    exceptions = models.TextField("例外模式", blank=True, help_text="每行一个；匹配到的礼貌用法不报")
    suggestion = models.TextField("建议说法", blank=True)
    reason = models.TextField("原因", blank=True)
    source = models.CharField("出处", max_length=120, blank=True)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "服务用语"
        verbose_name_plural = "服务用语库"
        ordering = ["kind", "situation", "code"]
        indexes = [models.Index(fields=["kind", "is_active"], name="language_phrase_kind_active")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.phrase}"

    def clean(self) -> None:
        errors = {}
        if self.kind == PhraseKind.FORBIDDEN:
            for name, min_anchor in (("patterns", 1), ("exceptions", 0)):
                for line in _lines(getattr(self, name)):
                    try:
                        compile_pattern(line, min_anchor=min_anchor)
                    except PatternError as exc:
                        errors.setdefault(name, []).append(str(exc))
            if not self.patterns.strip():
                try:
                    compile_pattern(self.phrase)
                except PatternError as exc:
                    errors.setdefault("phrase", []).append(str(exc))
            if not self.suggestion.strip():
                errors["suggestion"] = "禁忌用语必须给出建议说法"
        elif not self.situation:
            errors["situation"] = "规范用语必须选择场景"
        if errors:
            raise ValidationError(errors)

    def to_forbidden_rule(self) -> ForbiddenRule:
        return ForbiddenRule(
            code=self.code,
            phrase=self.phrase,
            suggestion=self.suggestion,
            reason=self.reason,
            source=self.source,
            patterns=_lines(self.patterns),
            exceptions=_lines(self.exceptions),
        )

    def snapshot(self) -> dict[str, object]:
        return {
            f: getattr(self, f)
            for f in (
                "kind",
                "code",
                "situation",
                "phrase",
                "patterns",
                "exceptions",
                "suggestion",
                "reason",
                "source",
                "is_active",
            )
        }


class PhraseRuleVersion(models.Model):
    """Immutable history: one row per change of a phrase rule, with the full state after it."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DEACTIVATE = "deactivate", "停用"
        ACTIVATE = "activate", "启用"

    rule = models.ForeignKey(
        PhraseRule, verbose_name="用语", on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField("版本")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    snapshot = models.JSONField("内容")
    note = models.CharField("说明", max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务用语版本"
        verbose_name_plural = "服务用语版本"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="language_phrase_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.version}"


class ClassifierModel(models.Model):
    """A trained model for one field; at most one active per field. ``payload`` is the pickled,
    zlib-compressed :class:`~complaintdesk.language.classifier.TextClassifier`."""

    field = models.CharField("字段", max_length=32, choices=FIELD_CHOICES)
    version = models.PositiveIntegerField("版本")
    algorithm = models.CharField("算法", max_length=120)
    params = models.JSONField("参数", default=dict, blank=True)
    labels = models.JSONField("标签", default=list)
    metrics = models.JSONField("评估指标", default=dict, blank=True)
    n_examples = models.PositiveIntegerField("样本数")
    payload = models.BinaryField("模型数据")
    is_active = models.BooleanField("启用", default=False)
    created_at = models.DateTimeField("训练时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="训练人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "分类模型"
        verbose_name_plural = "分类模型"
        ordering = ["field", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["field", "version"], name="language_model_version_unique"),
            models.UniqueConstraint(
                fields=["field"], condition=Q(is_active=True), name="language_model_one_active"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.field}-v{self.version}"


class TrainingSource(models.TextChoices):
    IMPORT = "import", "导入历史"
    CORRECTION = "correction", "坐席更正"


class TrainingExample(models.Model):
    """A labelled text for one field: imported history, or an agent's correction of a suggestion
    (one per text and field; a later correction replaces the label)."""

    field = models.CharField("字段", max_length=32, choices=FIELD_CHOICES)
    text = models.TextField("文本")
    digest = models.CharField("文本摘要", max_length=40, editable=False)
    label = models.CharField("标签", max_length=64)
    source = models.CharField("来源", max_length=16, choices=TrainingSource.choices)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "训练样本"
        verbose_name_plural = "训练样本"
        constraints = [
            models.UniqueConstraint(fields=["field", "source", "digest"], name="language_example_unique"),
        ]
        indexes = [models.Index(fields=["field", "source"], name="language_example_field")]

    def __str__(self) -> str:
        return f"{self.field}={self.label}: {self.text[:30]}"

    def save(self, *args, **kwargs) -> None:
        self.digest = text_digest(self.text)
        super().save(*args, **kwargs)


class HandlingTemplate(models.Model):
    """预案: a ready handling plan or customer reply for a recurring situation, inserted into any
    customer-facing text box. Change it only through ``services.handling_template_save`` (it runs
    the forbidden-phrase checker)."""

    title = models.CharField("标题", max_length=80, unique=True)
    situation = models.CharField("适用情形", max_length=80, blank=True, help_text="如：漏水维修、补偿致歉、延期告知")
    body = models.TextField("内容")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "处理预案"
        verbose_name_plural = "处理预案"
        ordering = ["situation", "title"]

    def __str__(self) -> str:
        return self.title
