"""The working-day calendar as held in the database: one row per date, seeded and editable."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP = "makeup", _("调休上班")


class DaySource(models.TextChoices):
    CHINESE_CALENDAR = "chinese_calendar", _("国务院安排(chinese_calendar)")
    ADMIN = "admin", _("管理员修改")
    PROVISIONAL = "provisional", _("临时(仅按周末推算)")


class CalendarDay(models.Model):
    """A date of the State Council calendar. ``source="admin"`` rows are never overwritten by seeding."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类型"), max_length=12, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=40, blank=True, help_text=_("如 春节、国庆节"))
    source = models.CharField(_("来源"), max_length=20, choices=DaySource.choices, default=DaySource.ADMIN)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}{' ' + self.name if self.name else ''}"
