"""Retention policy (admin-editable) and the log of every archive / anonymisation run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionPolicy(models.Model):
    """How long finished cases stay as they are (个人信息保护法: no longer than needed).

    The active policy with the lowest id applies; without one the settings' defaults do
    (``COMPLAINTDESK_ARCHIVE_AFTER_DAYS``, ``COMPLAINTDESK_ANONYMISE_AFTER_DAYS``)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    archive_after_days = models.PositiveIntegerField(_("结案后多少天自动归档"), default=30)
    anonymise_after_days = models.PositiveIntegerField(
        _("结案后多少天删除个人信息"), default=3 * 365,
        help_text=_("客户姓名、电话、地址和附件文件被删除；投诉本身和统计数字保留。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("保存期限政策")
        verbose_name_plural = _("保存期限政策")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RunKind(models.TextChoices):
    ARCHIVE = "archive", _("自动归档")
    ANONYMISE = "anonymise", _("个人信息匿名化")


class RetentionRun(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=RunKind.choices)
    policy = models.CharField(_("政策"), max_length=60)
    days = models.PositiveIntegerField(_("期限(天)"))
    cutoff = models.DateTimeField(_("结案早于"))
    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    finished_at = models.DateTimeField(_("结束时间"))
    count = models.PositiveIntegerField(_("处理件数"), default=0)
    skipped = models.PositiveIntegerField(_("跳过件数"), default=0)

    class Meta:
        verbose_name = _("归档/匿名化记录")
        verbose_name_plural = _("归档/匿名化记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M} ({self.count})"
