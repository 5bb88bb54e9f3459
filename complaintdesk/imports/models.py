"""One upload of historical complaints (导入批次): the file, the mapping used, what the check found
and what was imported. Kept as the log of every import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    CHECKED = "checked", _("已检查，待确认")
    IMPORTED = "imported", _("已导入")
    REJECTED = "rejected", _("有错误，未导入")


class ImportBatch(models.Model):
    created_at = models.DateTimeField(_("上传时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                   related_name="+")
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200)
    mapping = models.JSONField(_("列映射"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.CHECKED)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("可导入"), default=0)
    error_rows = models.PositiveIntegerField(_("有错误"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("已导入过"), default=0)
    imported_rows = models.PositiveIntegerField(_("已导入"), default=0)
    # [row, external id, result, field, column, message] per problem, as the check reported them.
    problems = models.JSONField(_("逐行报告"), default=list, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
