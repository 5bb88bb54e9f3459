from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """Named gap-free counters, e.g. the daily complaint number sequence."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    value = models.PositiveBigIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
