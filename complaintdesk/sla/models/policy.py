"""Admin-editable time limits (SPEC §4) and the escalation chain (SPEC §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.sla.choices import EscalationLevel, Priority


class NotifyRole(models.TextChoices):
    HANDLER = "handler", _("处理人")
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    SUPERVISOR = "supervisor", _("主管")
    MANAGER = "manager", _("经理")
    FIRST_OWNER = "first_owner", _("首问责任人")


class SlaPolicy(models.Model):
    """Time limits for a category and/or priority; blank = any. The most specific active row wins."""

    name = models.CharField(_("名称"), max_length=60, blank=True)
    category = models.ForeignKey(
        "complaints.Category",
        verbose_name=_("投诉类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空表示所有类别"),
    )
    priority = models.CharField(
        _("优先级"), max_length=10, choices=Priority.choices, blank=True, help_text=_("留空表示所有优先级")
    )
    first_answer_hours = models.PositiveSmallIntegerField(
        _("首次答复时限(小时)"), default=24, help_text=_("受理后多少小时内首次答复客户")
    )
    first_answer_in_working_time = models.BooleanField(
        _("首次答复按工作时间计"),
        default=False,
        help_text=_("不勾选时按自然小时计(\u201c24小时内答复\u201d)"),
    )
    implement_working_days = models.PositiveSmallIntegerField(_("方案实施时限(工作日)"), default=5)
    visit_working_days = models.PositiveSmallIntegerField(_("回访时限(工作日)"), default=1)
    warning_lead_hours = models.PositiveSmallIntegerField(_("提前预警(小时)"), default=4)
    progress_update_interval_days = models.PositiveSmallIntegerField(
        _("进度告知间隔(工作日)"), default=3, help_text=_("长期未结的投诉每隔多少个工作日向客户告知进度")
    )
    pause_statuses = models.JSONField(
        _("暂停计时的状态"), default=list, blank=True, help_text=_("处于这些状态(等待客户)时时限暂停")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("时限策略")
        verbose_name_plural = _("时限策略")
        ordering = ["category__order", "priority", "id"]

    def __str__(self) -> str:
        scope = " / ".join(
            str(x) for x in (self.category, self.get_priority_display() if self.priority else None) if x
        )
        return self.name or scope or str(_("默认时限"))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.active and (
            SlaPolicy.objects.filter(active=True, category=self.category, priority=self.priority)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(_("该类别与优先级已有启用的时限策略。"))

    @property
    def specificity(self) -> int:
        return (2 if self.category_id else 0) + (1 if self.priority else 0)


class EscalationChainStep(models.Model):
    """One level of 服务上移: who is told when a complaint reaches ``level``."""

    order = models.PositiveSmallIntegerField(_("顺序"), unique=True)
    level = models.PositiveSmallIntegerField(_("升级层级"), choices=EscalationLevel.choices, unique=True)
    notify_role = models.CharField(_("通知角色"), max_length=20, choices=NotifyRole.choices)
    name = models.CharField(_("名称"), max_length=40)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("升级链")
        verbose_name_plural = _("升级链")
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
