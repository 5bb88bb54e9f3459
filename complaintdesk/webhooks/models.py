"""Webhook subscriptions, the events published to them, one delivery per (event, subscription) and
the log of every attempt. See ``docs/webhooks.md``."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    COMPLAINT_RECEIVED = "complaint.received", _("受理投诉")
    STATUS_CHANGED = "complaint.status_changed", _("投诉状态变化（每个流程事件）")
    DEADLINE_BREACHED = "complaint.deadline_breached", _("超时")
    ESCALATED = "complaint.escalated", _("升级")
    VISIT_RECORDED = "complaint.visit_recorded", _("回访已记录")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    SUCCEEDED = "succeeded", _("已送达")
    FAILED = "failed", _("已放弃")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    name = models.CharField(_("名称"), max_length=80)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=128, default=new_secret)
    event_types = models.JSONField(_("订阅的事件"), default=list)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 订阅")
        verbose_name_plural = _("Webhook 订阅")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in (self.event_types or [])


class Event(models.Model):
    """One thing that happened, with the exact JSON body every subscriber receives."""

    uid = models.UUIDField(_("事件编号"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("事件类型"), max_length=40, choices=EventType.choices)
    complaint_id = models.BigIntegerField(_("投诉ID"), null=True, blank=True, db_index=True)
    # What makes the event unique (e.g. the timeline event behind it): publishing twice is a no-op.
    source_key = models.CharField(max_length=120, unique=True)
    payload = models.JSONField(_("内容"))
    occurred_at = models.DateTimeField(_("发生时间"))

    class Meta:
        verbose_name = _("Webhook 事件")
        verbose_name_plural = _("Webhook 事件")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.uid}"


class Delivery(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("事件"))
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("订阅")
    )
    status = models.CharField(_("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    # When it is due (again). A claimed delivery has this moved a lease ahead, so nobody else takes it.
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("最近状态码"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "subscription"], name="webhooks_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.subscription}"


class Attempt(models.Model):
    """The delivery log: one row per HTTP attempt."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log", verbose_name=_("投递"))
    number = models.PositiveIntegerField(_("第几次"))
    started_at = models.DateTimeField(_("开始时间"))
    duration_ms = models.PositiveIntegerField(_("耗时(毫秒)"))
    status_code = models.PositiveIntegerField(_("状态码"), null=True, blank=True)
    response_excerpt = models.CharField(_("响应摘录"), max_length=1000, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    succeeded = models.BooleanField(_("成功"), default=False)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error}"
