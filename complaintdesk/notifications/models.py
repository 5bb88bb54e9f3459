"""Notifications to staff (in-app bell, e-mail) and messages to customers (SMS, e-mail)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.notifications.messages import render


class NotificationKind(models.TextChoices):
    DEADLINE_WARNING = "deadline_warning", _("时限预警")
    DEADLINE_BREACHED = "deadline_breached", _("超时")
    ESCALATED = "escalated", _("升级")
    CALLBACK_DUE = "callback_due", _("约定回话到期")
    CALLBACK_MISSED = "callback_missed", _("约定回话未履行")
    PROGRESS_DUE = "progress_due", _("应告知客户进度")
    VISIT_TASK = "visit_task", _("回访任务")
    VISIT_OVERDUE = "visit_overdue", _("回访超时")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请")
    EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
    CALENDAR_ENDING = "calendar_ending", _("工作日历即将到期")
    CAMPAIGN_CALL = "campaign_call", _("主动回访任务")
    REPORT_READY = "report_ready", _("报表已生成")
    RECEIPT_RETURNED = "receipt_returned", _("回单已返回")
    VISIT_REVIEW = "visit_review", _("回访审阅")
    CORRECTIVE_ACTION = "corrective_action", _("整改单")


class Notification(models.Model):
    """One in-app notice to one staff member; also e-mailed when they have an address."""

    # Indexed by the (recipient, created_at) indexes below; the FK's own index would be redundant.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
        db_index=False,
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("投诉"),
        db_index=False,  # notices are read per recipient; sweeps write tens of thousands at once
    )
    kind = models.CharField(_("类型"), max_length=24, choices=NotificationKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    # The message key and parameters (``notifications.messages``): rendered in the reader's language.
    message = models.JSONField(_("消息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # Unique through Meta.constraints: no extra pattern-ops index on PostgreSQL (sweeps insert many).
    idempotency_key = models.CharField(max_length=160)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="notification_once")]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """The notice in the active language (old rows without a message key: their stored text)."""
        return render(self.message, self.text)


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")


class MessageTemplate(models.Model):
    """A customer message (SMS/e-mail), editable by admins and checked against forbidden phrases.

    Placeholders: {number} 投诉编号, {name} 客户称呼, {due} 承诺时间, {subject} 投诉事项,
    {result} 处理结果, {centre} 服务中心名称.
    """

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, default=Channel.SMS)
    subject = models.CharField(_("邮件标题"), max_length=120, blank=True)
    body = models.TextField(_("内容"))
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class OutboundMessage(models.Model):
    """The log of every message to a customer: what, to whom, through which backend, result."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_messages",
        verbose_name=_("投诉"),
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    template_code = models.CharField(_("模板"), max_length=40)
    to = models.CharField(_("接收方"), max_length=120)
    subject = models.CharField(_("标题"), max_length=120, blank=True)
    body = models.TextField(_("内容"))
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    backend = models.CharField(_("发送通道"), max_length=60, blank=True)
    provider_id = models.CharField(_("通道回执"), max_length=80, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=160, unique=True)

    class Meta:
        verbose_name = _("客户消息")
        verbose_name_plural = _("客户消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(status="queued"), name="outbound_queued_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}: {self.body[:30]}"
