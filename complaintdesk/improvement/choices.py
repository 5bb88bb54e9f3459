"""Statuses and event types of a corrective action (整改单)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    DONE = "done", _("待验证")
    VERIFIED = "verified", _("已验证")
    REOPENED = "reopened", _("验证未通过")


# Not finished from the department's side: these count as overdue once the due date has passed.
PENDING_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.REOPENED)

STATUS_COLOURS = {
    ActionStatus.OPEN: "blue",
    ActionStatus.IN_PROGRESS: "orange",
    ActionStatus.DONE: "purple",
    ActionStatus.VERIFIED: "green",
    ActionStatus.REOPENED: "pink",
}


class ActionEventType(models.TextChoices):
    OPENED = "opened", _("开立整改单")
    STARTED = "started", _("开始整改")
    COMPLETED = "completed", _("整改完成")
    VERIFIED = "verified", _("验证通过")
    REJECTED = "rejected", _("验证未通过，退回整改")
