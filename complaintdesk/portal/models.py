"""What the portal itself stores: one-time sign-in codes and one-time submission tokens.

Customers are not Django users: a verified phone lives in the session only (see ``session.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginCode(models.Model):
    """A 6-digit SMS code for signing in; only its keyed hash is stored."""

    phone = models.CharField(_("电话"), max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        indexes = [models.Index(fields=["phone", "-created_at"], name="portal_code_phone_idx")]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """One portal form submission, keyed by the form's one-time token.

    The row is inserted first, in the same transaction as the complaint. A double click or a
    retried POST carries the same token: its insert waits for the first transaction and is then
    refused by the unique constraint (not by a read-then-write check), and it is shown the first
    complaint. A submission that fails rolls its token back, so the customer can correct and retry.
    """

    token = models.CharField(max_length=64)
    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="portal_submission",
        verbose_name=_("投诉"),
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("自助提交")
        verbose_name_plural = _("自助提交")
        constraints = [models.UniqueConstraint(fields=["token"], name="portal_submission_once")]

    def __str__(self) -> str:
        return self.token
