"""The database's guarantee that one intake request creates at most one complaint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeKey(models.Model):
    """An ``Idempotency-Key`` (API) or one-time form token (web) of one staff member.

    The row is inserted *before* the complaint, in the same transaction; the unique constraint
    makes a concurrent twin wait for that transaction and then fail, so it returns the first
    complaint instead of creating a second. A failed intake rolls the key back with it.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=120)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("受理幂等键")
        verbose_name_plural = _("受理幂等键")
        constraints = [models.UniqueConstraint(fields=["actor", "key"], name="intake_key_once")]

    def __str__(self) -> str:
        return self.key
