"""Choices time-limit policies are keyed on. Complaints carry them; ``complaints.choices`` re-exports
them so callers keep one import."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    HIGH = "high", _("紧急")
    URGENT = "urgent", _("特急")


class EscalationLevel(models.IntegerChoices):
    AGENT = 0, _("客服专员")
    DEPARTMENT = 1, _("责任部门")
    SUPERVISOR = 2, _("主管")
    MANAGEMENT = 3, _("管理层")
