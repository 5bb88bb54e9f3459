"""Generated reports (日报, 周报, 月度分析, any period on demand), kept so a manager can read past ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CENTRE = "centre"


class PeriodKind(models.TextChoices):
    DAY = "day", _("日报")
    WEEK = "week", _("周报")
    MONTH = "month", _("月度分析")
    CUSTOM = "custom", _("自定义时段")


class Report(models.Model):
    """The figures of one period for the centre or one department, computed once and kept.

    ``scope`` is ``"centre"`` or the department's id as text: a NULL department could not take part
    in the unique key (NULLs are distinct), and the key is what makes two workers that generate the
    same morning's report end up with one row.
    """

    kind = models.CharField(_("类型"), max_length=8, choices=PeriodKind.choices)
    first_day = models.DateField(_("起始日"))
    last_day = models.DateField(_("截止日"))
    scope = models.CharField(_("范围"), max_length=24, default=CENTRE)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    figures = models.JSONField(_("数据"))
    created_at = models.DateTimeField(_("生成时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = _("报表")
        ordering = ["-first_day", "kind", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_day", "last_day", "scope"], name="report_once_per_period"),
        ]
        indexes = [models.Index(fields=["kind", "-first_day"], name="report_kind_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_day}…{self.last_day} {self.scope}"

    @property
    def is_centre(self) -> bool:
        return self.scope == CENTRE
