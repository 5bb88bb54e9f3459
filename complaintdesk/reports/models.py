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


# -- running tallies ------------------------------------------------------------------------------

RECEIVED_DAY, CLOSED_DAY, TEXT_DAY = "r", "c", "t"


def _tally_columns() -> list[tuple[str, models.Field]]:
    """One counter column per numerator and denominator of every indicator counted per complaint
    by the day it was received or closed, plus 受理量 by dimension and by hour (``reports.tally``
    fills them from the indicators' own definitions; a test checks that each has its column)."""
    from complaintdesk.complaints.choices import Dimension

    counters = [
        "intake",
        "reply_24h_n", "reply_24h_d", "complete_5wd_n", "complete_5wd_d",
        "invalid_rate_n", "invalid_rate_d", "handback_rate_n", "handback_rate_d",
        "escalation_rate_n", "escalation_rate_d",
        "escalation_l1_n", "escalation_l1_d", "escalation_l2_n", "escalation_l2_d",
        "escalation_l3_n", "escalation_l3_d",
        "repeat_rate_n", "repeat_rate_d", "breach_rate_n", "breach_rate_d",
        *(f"dim_{d}" for d in [*Dimension.values, "none"]),
        *(f"h{h:02d}" for h in range(24)),
        "first_contact_resolution_n", "first_contact_resolution_d",
        "one_time_closure_n", "one_time_closure_d",
        "visit_rate_n", "visit_rate_d", "visit_satisfaction_n", "visit_satisfaction_d",
        *(f"satisfaction_{d}_{p}" for d in Dimension.values for p in "nd"),
        "compensation_d",
    ]
    columns: list[tuple[str, models.Field]] = [(name, models.IntegerField(default=0)) for name in counters]
    columns.append(("compensation_n", models.DecimalField(max_digits=16, decimal_places=2, default=0)))
    return columns


class Tally(models.Model):
    """Running counts behind the dashboard and the reports, per local day × department × category ×
    channel, for the complaints *received* that day (``cohort="r"``) and those *closed* that day
    (``"c"``).

    Every write of a complaint moves its contribution in the same transaction
    (``core.changes`` → ``reports.tally``), so reading a month is summing a few thousand rows instead
    of counting hundreds of thousands of complaints. Ids are stored as plain integers with 0 for
    "none", so the unique key holds (NULLs would be distinct).
    """

    cohort = models.CharField(max_length=1)
    day = models.DateField()
    department_id = models.IntegerField(default=0)
    category_id = models.IntegerField(default=0)
    channel = models.CharField(max_length=20, default="")

    for _name, _field in _tally_columns():
        locals()[_name] = _field
    del _name, _field

    class Meta:
        verbose_name = _("报表计数")
        verbose_name_plural = _("报表计数")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "day", "department_id", "category_id", "channel"],
                                    name="tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.day} d{self.department_id} c{self.category_id} {self.channel}"


TALLY_COUNTERS = tuple(name for name, _field in _tally_columns())


TEXT_COUNTERS = ("texts", "phrase_flagged", "phrase_blocked", "phrase_overrides")


class TextTally(models.Model):
    """Running counts of the customer-facing texts and the 服务用语质检 events (flagged while typing,
    blocked, let through by an override), per local day of the event × author × the complaint's
    department. Kept like :class:`Tally` (``reports.tally``). A row is an author's day: a centre of
    2,000 agents has ≈ 60,000 of them a month, where the month has ≈ 1.7 M texts. Category and
    channel are not in the key (they would make a row per text); those filters count live."""

    day = models.DateField()
    actor_id = models.IntegerField(default=0)  # 0: the system
    department_id = models.IntegerField(default=0)
    texts = models.IntegerField(default=0)
    phrase_flagged = models.IntegerField(default=0)
    phrase_blocked = models.IntegerField(default=0)
    phrase_overrides = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("报表文本计数")
        verbose_name_plural = _("报表文本计数")
        constraints = [
            models.UniqueConstraint(fields=["day", "actor_id", "department_id"], name="text_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} a{self.actor_id} d{self.department_id}"


AREA_DAY = "a"


class AreaTally(models.Model):
    """受理量 per local day of receipt × area (the address up to its first space: "<estate><building>"),
    kept like :class:`Tally` (``reports.tally``), for the dashboard's and the reports' hot areas: a
    30-day split reads at most (areas × 30) rows instead of every complaint of the month and their
    addresses. Department, category and channel are not in the key (a row per complaint at a
    centre's scale); those filters count live."""

    day = models.DateField()
    area = models.CharField(max_length=200, default="")
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("报表区域计数")
        verbose_name_plural = _("报表区域计数")
        constraints = [models.UniqueConstraint(fields=["day", "area"], name="area_tally_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.area}"
