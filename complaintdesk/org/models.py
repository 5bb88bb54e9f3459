"""Departments and staff. A staff member has one role and belongs to one department."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
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


class AuditKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    LOCKED_OUT = "locked_out", _("登录锁定")
    USER_CREATED = "user_created", _("新建账号")
    ROLE_CHANGED = "role_changed", _("角色变更")
    DEPARTMENT_CHANGED = "department_changed", _("部门变更")
    SUPERUSER_CHANGED = "superuser_changed", _("超级管理员权限变更")
    STAFF_CHANGED = "staff_changed", _("后台登录权限变更")
    ACTIVE_CHANGED = "active_changed", _("账号启用状态变更")
    GROUPS_CHANGED = "groups_changed", _("用户组变更")
    PERMISSIONS_CHANGED = "permissions_changed", _("单独权限变更")


class AuditEntry(models.Model):
    """One security-relevant event: a sign-in (or a failed one) or a change to what a user may do.
    Written by ``org.audit``; never edited (the admin shows it read-only)."""

    kind = models.CharField(_("事件"), max_length=32, choices=AuditKind.choices)
    user = models.ForeignKey(
        User, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("安全审计")
        verbose_name_plural = _("安全审计")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "created_at"], name="org_audit_kind_at"),
            models.Index(fields=["username", "created_at"], name="org_audit_username_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username}"
