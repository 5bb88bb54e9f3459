"""Customers and their phone numbers; one customer per normalised phone."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Salutation(models.TextChoices):
    MR = "mr", _("先生")
    MS = "ms", _("女士")
    NONE = "", _("未知")


class Customer(models.Model):
    name = models.CharField(_("姓名"), max_length=60)
    salutation = models.CharField(_("称呼"), max_length=4, choices=Salutation.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    room = models.CharField(_("房号"), max_length=40, blank=True, db_index=True)
    preferred_language = models.CharField(_("语言/方言偏好"), max_length=40, blank=True, default="普通话")
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        indexes = [models.Index(fields=["address"], name="customer_address_idx")]

    def __str__(self) -> str:
        """How the reader's language addresses the customer: 李女士 in Chinese, "Ms 李" in English."""
        if not self.salutation:
            return self.name
        title = self.get_salutation_display()
        if (get_language() or "zh-hans").startswith("zh"):
            return f"{self.name}{title}"
        return f"{title} {self.name}"

    @property
    def primary_phone(self) -> str:
        phone = self.phones.order_by("-is_primary", "id").first()
        return phone.number if phone else ""


class CustomerPhone(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones", verbose_name=_("客户"))
    number = models.CharField(_("电话"), max_length=20, unique=True, help_text=_("规范化后的号码"))
    is_primary = models.BooleanField(_("主号码"), default=False)

    class Meta:
        verbose_name = _("客户电话")
        verbose_name_plural = _("客户电话")

    def __str__(self) -> str:
        return self.number
