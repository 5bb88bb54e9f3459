"""Return visits (回访, SPEC §6): the task after handling, and proactive campaigns (002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import VisitMethod


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待回访")
    DONE = "done", _("已回访")
    OVERDUE = "overdue", _("回访超时")
    CANCELLED = "cancelled", _("已取消")


class ReturnVisitTask(models.Model):
    """The service centre's visit after a round of handling, due on the next working day."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="visit_tasks", verbose_name=_("投诉")
    )
    round = models.PositiveSmallIntegerField(_("处理轮次"))
    due_at = models.DateTimeField(_("回访时限"))
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_tasks",
        verbose_name=_("回访人"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "round"], name="visit_task_once_per_round")
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="visit_task_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.round} {self.get_status_display()}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PLANNED = "planned", _("进行中")
    DONE = "done", _("已完成")


class Campaign(models.Model):
    """A proactive return-visit campaign: call back a share of recently served customers to find
    the dissatisfied ones who never complained (002)."""

    name = models.CharField(_("名称"), max_length=80)
    served_from = models.DateField(_("服务日期自"))
    served_to = models.DateField(_("服务日期至"))
    category_ids = models.JSONField(_("投诉类别"), default=list, blank=True, help_text=_("留空表示全部"))
    department_ids = models.JSONField(_("责任部门"), default=list, blank=True, help_text=_("留空表示全部"))
    only_unvisited = models.BooleanField(_("仅未回访过的客户"), default=False)
    percent = models.PositiveSmallIntegerField(_("抽样比例(%)"), default=100)
    seed = models.PositiveIntegerField(_("抽样种子"), default=0)
    method = models.CharField(
        _("回访方式"), max_length=20, choices=VisitMethod.choices, default=VisitMethod.PHONE
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="campaigns", verbose_name=_("回访人员")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"))
    planned_at = models.DateTimeField(_("计划生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("主动回访活动")
        verbose_name_plural = _("主动回访活动")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CallStatus(models.TextChoices):
    PENDING = "pending", _("待拨打")
    DONE = "done", _("已完成")
    UNREACHABLE = "unreachable", _("无法联系")


class CallOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    DECLINED = "declined", _("拒绝回访")


class CampaignCall(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="calls", verbose_name=_("活动")
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    served_complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+", verbose_name=_("所服务的投诉")
    )
    phone = models.CharField(_("电话"), max_length=20)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="campaign_calls",
        verbose_name=_("回访人"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CallStatus.choices, default=CallStatus.PENDING
    )
    outcome = models.CharField(_("结果"), max_length=14, choices=CallOutcome.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度(1-5)"), null=True, blank=True)
    notes = models.TextField(_("记录"), blank=True)
    called_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    new_complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_campaign_call",
        verbose_name=_("由此产生的投诉"),
    )

    class Meta:
        verbose_name = _("主动回访记录")
        verbose_name_plural = _("主动回访记录")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "customer"], name="campaign_call_once")]
        indexes = [models.Index(fields=["agent", "status"], name="campaign_call_agent_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.phone} {self.get_status_display()}"
