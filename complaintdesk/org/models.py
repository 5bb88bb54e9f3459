"""Departments and staff. A staff member has one role and belongs to one department."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("客服专员")
    HANDLER = "handler", _("处理人")
    SUPERVISOR = "supervisor", _("主管")
    MANAGER = "manager", _("经理")
    ADMIN = "admin", _("管理员")


class DepartmentKind(models.TextChoices):
    SERVICE_CENTRE = "service_centre", _("客服中心")
    HANDLING = "handling", _("责任部门")
    MANAGEMENT = "management", _("管理层")


class Department(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.HANDLING)
    head = models.ForeignKey(
        "org.User", verbose_name=_("部门负责人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        """The English name for English readers when one is set (the Chinese name otherwise)."""
        if self.name_en and not (get_language() or "zh-hans").startswith("zh"):
            return self.name_en
        return self.name


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.AGENT, db_index=True)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_supervisor_or_above(self) -> bool:
        return self.role in {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
