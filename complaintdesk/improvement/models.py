"""Corrective actions (整改单) opened from recurring problems, and their immutable history.

Seed 002 step 8 (留档分析, 避免今后犯类似问题): a group of similar complaints becomes one action
assigned to a department, closed with what was changed and verified by a supervisor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.improvement.choices import ActionEventType, ActionStatus


class CorrectiveAction(models.Model):
    number = models.CharField(_("整改单号"), max_length=24, unique=True)
    title = models.CharField(_("标题"), max_length=120)
    problem = models.TextField(_("问题描述"))
    status = models.CharField(_("状态"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("整改部门"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    due_date = models.DateField(_("整改期限"))
    complaints = models.ManyToManyField(
        "complaints.Complaint", verbose_name=_("关联投诉"), related_name="corrective_actions", blank=True
    )

    # The recurring problem it came from: complaints matching these after the fix show whether it worked.
    category = models.ForeignKey(
        "complaints.Category", verbose_name=_("投诉类别"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.CharField(_("楼栋/地址前缀"), max_length=40, blank=True)
    match_text = models.TextField(_("问题特征文本"), blank=True)

    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("开立人"), on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(_("开立时间"))
    started_at = models.DateTimeField(_("开始整改时间"), null=True, blank=True)
    changes = models.TextField(_("整改内容"), blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("完成人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    verification_comment = models.TextField(_("验证意见"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验证人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    # The opening form carries a one-time key: a double submission opens one action, not two.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("整改单")
        verbose_name_plural = _("整改单")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
            models.Index(fields=["department", "status"], name="action_dept_status_idx"),
            models.Index(fields=["-opened_at"], name="action_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ImmutableHistory(Exception):
    pass


class ActionEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableHistory("corrective action events cannot be updated")

    def delete(self):
        raise ImmutableHistory("corrective action events cannot be deleted")


class CorrectiveActionEvent(models.Model):
    """One step of a corrective action: machine values only; the page renders them in words."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("整改单"), db_index=False)
    type = models.CharField(_("事件类型"), max_length=16, choices=ActionEventType.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(_("时间"))
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    values = models.JSONField(_("内容"), default=dict, blank=True)

    objects = ActionEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改单事件")
        verbose_name_plural = _("整改单事件")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["action", "created_at"], name="action_event_idx")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableHistory("corrective action events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableHistory("corrective action events cannot be deleted")
