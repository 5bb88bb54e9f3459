"""Records that keep each round of a complaint: the return visits (回访记录) and the handling plans
with their approvals (方案与批示). A 重新上移 starts a new round; earlier rounds stay readable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import PlanDecision, VisitMethod


class VisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    DECLINED = "declined", _("拒绝回访")


class VisitRecord(models.Model):
    """One return visit: the customer's answers to the visit questions, the scores and the notes."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="visits", verbose_name=_("投诉")
    )
    round = models.PositiveSmallIntegerField(_("处理轮次"))
    attempt = models.PositiveSmallIntegerField(_("回访次数"), default=1)
    method = models.CharField(_("回访方式"), max_length=20, choices=VisitMethod.choices)
    outcome = models.CharField(_("回访结果"), max_length=12, choices=VisitOutcome.choices)
    satisfaction = models.PositiveSmallIntegerField(_("满意度(1-5)"), null=True, blank=True)
    dimensions = models.JSONField(_("分维度满意度"), default=dict, blank=True)
    answers = models.JSONField(_("客户回答"), default=dict, blank=True)
    notes = models.TextField(_("回访记录"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("回访人")
    )
    at = models.DateTimeField(_("回访时间"), db_index=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["complaint", "-at"], name="visit_record_complaint_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.round}.{self.attempt} {self.get_outcome_display()}"


class PlanRecord(models.Model):
    """One submitted handling plan and what became of it (批示, 实施). Never overwritten."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="plans", verbose_name=_("投诉")
    )
    round = models.PositiveSmallIntegerField(_("处理轮次"))
    options = models.JSONField(_("处理方案(可选项)"), default=list)
    chosen_plan = models.PositiveSmallIntegerField(_("客户选定方案"), default=0)
    cause_analysis = models.TextField(_("原因分析"), blank=True)
    responsibility = models.TextField(_("责任判定"), blank=True)
    compensation_amount = models.DecimalField(_("补偿金额(元)"), max_digits=10, decimal_places=2, default=0)
    compensation_description = models.CharField(_("补偿内容"), max_length=200, blank=True)
    exceeds_authority = models.BooleanField(_("超出处理人权限"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    decision = models.CharField(_("批示结果"), max_length=12, choices=PlanDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批示人"),
    )
    decided_at = models.DateTimeField(_("批示时间"), null=True, blank=True)
    comment = models.TextField(_("批示意见"), blank=True)
    # The earlier approved plan that already granted this same compensation amount (issue 11 §4).
    repeats = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("重复补偿于")
    )
    implemented_at = models.DateTimeField(_("实施完成(回单)时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("处理方案记录")
        verbose_name_plural = _("处理方案记录")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["complaint", "submitted_at"], name="plan_record_complaint_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.round} {self.get_decision_display()}"

    @property
    def chosen_text(self) -> str:
        options = self.options or []
        return options[self.chosen_plan] if 0 <= self.chosen_plan < len(options) else ""
