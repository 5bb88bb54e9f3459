"""The immutable timeline of a complaint: every step, who, when, what changed and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import EventType

# Events that mean a case went back a step: 退单 (handed back), 重新上移, reopened, 回单 sent back.
REWORK_EVENTS = (
    EventType.HANDED_BACK,
    EventType.RETURNED_TO_DEPARTMENT,
    EventType.REOPENED,
    EventType.RECEIPT_REJECTED,
)
# Events after which a case was not done in one go (一次办结): 重新上移, reopened, 回单 sent back. The
# complaint's ``reworked`` flag says it happened (and ``handed_back`` for 退单).
NOT_ONE_GO = (EventType.RETURNED_TO_DEPARTMENT, EventType.REOPENED, EventType.RECEIPT_REJECTED)
assert set(NOT_ONE_GO) | {EventType.HANDED_BACK} == set(REWORK_EVENTS)
# Events that carry a customer-facing text checked against the forbidden phrases, and what the
# checker recorded about such texts (服务用语质检: flagged while typing, refused, overridden).
CUSTOMER_TEXT_EVENTS = (
    EventType.REVIEWED_INVALID,
    EventType.PLAN_SUBMITTED,
    EventType.RECEIPT_SUBMITTED,
    EventType.CONTACT_LOGGED,
)
LANGUAGE_EVENTS = (EventType.LANGUAGE_FLAGGED, EventType.LANGUAGE_BLOCKED, EventType.LANGUAGE_OVERRIDE)
# Deadlines missed in a period (the reports' 超时 count).
BREACH_EVENTS = (EventType.DEADLINE_BREACHED, EventType.CALLBACK_MISSED)
# The only events read by period: ``timeline_period_idx`` holds their times and nothing else.
PERIOD_EVENTS = CUSTOMER_TEXT_EVENTS + LANGUAGE_EVENTS + BREACH_EVENTS


class ImmutableError(Exception):
    pass


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("timeline events cannot be updated")

    def delete(self):
        raise ImmutableError("timeline events cannot be deleted")


class TimelineEvent(models.Model):
    # No index of its own: ``timeline_complaint_idx`` (complaint, created_at) serves every lookup by
    # complaint (docs/BENCHMARKS.md, "Indexes of the timeline").
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="events", verbose_name=_("投诉"),
        db_index=False,
    )
    type = models.CharField(_("事件类型"), max_length=32, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("时间"))
    from_status = models.CharField(_("原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, blank=True)
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    reason = models.TextField(_("原因/说明"), blank=True)
    # Sweeps and tasks set a key so a re-run never writes the same event twice. Unique where set
    # (``timeline_once``): the ~99% of events without a key take no room in the index.
    idempotency_key = models.CharField(max_length=120, null=True, blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间线事件")
        verbose_name_plural = _("时间线事件")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="timeline_complaint_idx"),
            # The reports read customer-facing texts, the checker's findings and missed deadlines by
            # period; no other event is looked up by time (docs/BENCHMARKS.md, "Indexes of the timeline").
            models.Index(fields=["created_at"], name="timeline_period_idx", condition=models.Q(type__in=PERIOD_EVENTS)),
            # The report's 超时: complaints with a missed deadline in the period, from the index alone
            # (through timeline_period_idx it read every text of the day to find them: 0.5 s at 10 M).
            models.Index(fields=["created_at"], include=["complaint"], name="timeline_breach_idx",
                         condition=models.Q(type__in=BREACH_EVENTS)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="timeline_once", condition=models.Q(idempotency_key__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("timeline events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("timeline events cannot be deleted")
