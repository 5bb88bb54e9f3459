"""Return visits (回访, SPEC §6): the task after handling, and proactive campaigns (002)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import VisitMethod


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待回访")
    DONE = "done", _("已回访")
    OVERDUE = "overdue", _("回访超时")
    CANCELLED = "cancelled", _("已取消")


class VisitPlan(models.Model):
    """回访计划 (001 §3.1 step 3): whom to visit, when, by which channel — a group of visit tasks."""

    name = models.CharField(_("名称"), max_length=80)
    scheduled_for = models.DateField(_("计划回访日期"))
    method = models.CharField(_("回访方式"), max_length=20, choices=VisitMethod.choices, default=VisitMethod.PHONE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_plans", verbose_name=_("回访人")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制定人")
    )
    created_at = models.DateTimeField(_("创建时间"))
    note = models.TextField(_("准备事项"), blank=True)

    class Meta:
        verbose_name = _("回访计划")
        verbose_name_plural = _("回访计划")
        ordering = ["-scheduled_for", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.scheduled_for}"


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
    plan = models.ForeignKey(
        VisitPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("回访计划")
    )
    # A visit a supervisor sent back to be made again (主管领导审阅, 001 §3.1 step 7).
    revisit_of = models.OneToOneField(
        "complaints.VisitRecord",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisit_task",
        verbose_name=_("重访的回访记录"),
    )

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "round"],
                condition=models.Q(revisit_of__isnull=True),
                name="visit_task_once_per_round",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="visit_task_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.round} {self.get_status_display()}"


class ReviewVerdict(models.TextChoices):
    CONFIRMED = "confirmed", _("审阅无误")
    REVISIT = "revisit", _("存疑，退回重访")


class ReviewPolicy(models.Model):
    """How many completed visits a supervisor reviews: all (100 %) or a sample (admin-editable).

    The sample is fixed per visit (its id modulo 100), so a visit never drops in and out of the queue.
    """

    sample_percent = models.PositiveSmallIntegerField(
        _("审阅抽样比例(%)"), default=100, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("回访审阅规则")
        verbose_name_plural = _("回访审阅规则")

    def __str__(self) -> str:
        return f"{self.sample_percent}%"


class VisitReview(models.Model):
    """主管领导审阅: a supervisor's review of one completed visit record."""

    visit = models.OneToOneField(
        "complaints.VisitRecord", on_delete=models.CASCADE, related_name="review", verbose_name=_("回访记录")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审阅人")
    )
    verdict = models.CharField(_("审阅结论"), max_length=10, choices=ReviewVerdict.choices)
    comment = models.TextField(_("审阅意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审阅时间"))

    class Meta:
        verbose_name = _("回访审阅")
        verbose_name_plural = _("回访审阅")
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.get_verdict_display()}"


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
