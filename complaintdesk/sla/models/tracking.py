"""What the sweeps and the clock rules write: runs, alerts, pauses, extension requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    FIRST_ANSWER = "first_answer", _("首次答复")
    IMPLEMENT = "implement", _("方案实施")
    CALLBACK = "callback", _("约定回话")
    VISIT = "visit", _("回访")
    PROGRESS = "progress", _("进度告知")


class AlertStage(models.TextChoices):
    WARNING = "warning", _("预警")
    BREACH = "breach", _("超时")
    DUE = "due", _("到期提醒")


class DeadlineAlert(models.Model):
    """One warning or breach of one deadline of one complaint — the sweeps' idempotency record.

    The unique key (complaint, deadline, stage, due_at) means a re-run, or a second worker, can
    never warn or escalate twice for the same due time; a new due time (an extension, a new
    promise) may alert again.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="deadline_alerts",
        verbose_name=_("投诉"),
    )
    deadline = models.CharField(_("时限"), max_length=16, choices=DeadlineKind.choices)
    stage = models.CharField(_("阶段"), max_length=8, choices=AlertStage.choices)
    due_at = models.DateTimeField(_("到期时间"))
    created_at = models.DateTimeField(_("时间"))
    escalated_to = models.PositiveSmallIntegerField(_("升级至"), null=True, blank=True)

    class Meta:
        verbose_name = _("时限提醒")
        verbose_name_plural = _("时限提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline", "stage", "due_at"], name="sla_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_deadline_display()} {self.get_stage_display()}"


class ProgressClock(models.Model):
    """When the customer of a long-running case is next owed a progress update (004 §七.11)."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, primary_key=True, related_name="progress_clock"
    )
    next_due_at = models.DateTimeField(_("下次进度告知"), null=True, db_index=True)

    class Meta:
        verbose_name = _("进度告知计划")
        verbose_name_plural = _("进度告知计划")

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.next_due_at}"


class ClockPause(models.Model):
    """The clock stood still while the complaint waited on the customer (a pause status)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="clock_pauses"
    )
    status = models.CharField(_("状态"), max_length=24)
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("暂停工作时长(秒)"), default=0)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=models.Q(ended_at__isnull=True), name="sla_one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.status} {self.started_at:%Y-%m-%d %H:%M}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")


class ExtensionRequest(models.Model):
    """A handler asks for more working days to implement the plan; a supervisor decides."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="extension_requests",
        verbose_name=_("投诉"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    working_days = models.PositiveSmallIntegerField(_("延期工作日"))
    reason = models.TextField(_("申请理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    due_before = models.DateTimeField(_("原时限"), null=True, blank=True)
    due_after = models.DateTimeField(_("新时限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"))

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=models.Q(status="pending"), name="sla_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} +{self.working_days} {self.get_status_display()}"


class SweepRun(models.Model):
    """Every run of a periodic sweep leaves a record of what it did."""

    name = models.CharField(_("任务"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    as_of = models.DateTimeField(_("业务时间"))
    found = models.PositiveIntegerField(_("到期"), default=0)
    acted = models.PositiveIntegerField(_("已处理"), default=0)
    skipped = models.PositiveIntegerField(_("跳过"), default=0)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    error_text = models.TextField(_("错误信息"), blank=True)
    worker = models.CharField(_("执行者"), max_length=80, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时(毫秒)"), default=0)

    class Meta:
        verbose_name = _("巡检记录")
        verbose_name_plural = _("巡检记录")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M:%S} {self.acted}/{self.found}"
