"""The complaint record (客户投诉记录表) and its handling ticket (投诉处理单) in one row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    OPEN_STATUSES,
    CauseDetail,
    CauseType,
    Channel,
    ClosureReason,
    ContactKind,
    Dimension,
    Emotion,
    EscalationLevel,
    EscalationRisk,
    Nature,
    Priority,
    Solvability,
    Status,
    VisitMethod,
)


class Category(models.Model):
    """Content category (004, 003), configurable by admins."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    default_department = models.ForeignKey(
        "org.Department", verbose_name=_("默认责任部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("投诉类别")
        verbose_name_plural = _("投诉类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        """The English name for English readers when one is set (the Chinese name otherwise)."""
        if self.name_en and not (get_language() or "zh-hans").startswith("zh"):
            return self.name_en
        return self.name


class Complaint(models.Model):
    number = models.CharField(_("投诉编号"), max_length=24, unique=True)
    # The id the complaint had in the system it was imported from (历史数据导入); unique, so a file
    # imported twice adds nothing the second time.
    external_id = models.CharField(_("外部编号"), max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.RECEIVED)

    # Intake — the record form.
    # FK columns below are covered by the composite indexes in Meta (db_index=False avoids
    # duplicates that slow every sweep's UPDATE).
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="complaints",
        db_index=False,
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    address = models.CharField(_("地址/房号"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    first_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="first_owned_complaints",
        editable=False,
        db_index=False,
    )
    subject = models.CharField(_("投诉事项"), max_length=200)
    about_person = models.CharField(_("被投诉对象"), max_length=100, blank=True)
    description = models.TextField(_("投诉内容(客户原话)"))
    demand = models.TextField(_("客户诉求"), blank=True)
    emotion = models.CharField(_("情绪等级"), max_length=20, choices=Emotion.choices, default=Emotion.CALM)
    psychology = models.JSONField(_("客户心理"), default=list, blank=True)
    portal_submitted = models.BooleanField(_("自助提交"), default=False)

    # Review and classification.
    is_valid = models.BooleanField(_("是否成立"), null=True, blank=True)
    invalid_reason = models.TextField(_("不成立原因"), blank=True)
    invalid_explanation = models.TextField(_("向客户的解释"), blank=True)
    nature = models.CharField(_("投诉性质"), max_length=20, choices=Nature.choices, default=Nature.VALID)
    category = models.ForeignKey(
        Category, verbose_name=_("投诉类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dimension = models.CharField(_("服务质量维度"), max_length=20, choices=Dimension.choices, blank=True)
    cause_type = models.CharField(_("原因类型"), max_length=20, choices=CauseType.choices, blank=True)
    cause_detail = models.CharField(_("具体原因"), max_length=20, choices=CauseDetail.choices, blank=True)
    solvability = models.CharField(_("可解决程度"), max_length=20, choices=Solvability.choices, blank=True)
    solvability_note = models.TextField(_("所需时间及原因"), blank=True)
    priority = models.CharField(_("优先级"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    escalation_risk = models.CharField(
        _("升级风险"), max_length=10, choices=EscalationRisk.choices, default=EscalationRisk.LOW
    )
    suggestions = models.JSONField(_("系统建议"), default=dict, blank=True)

    # Handling.
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
        db_index=False,
    )
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    cause_analysis = models.TextField(_("原因分析"), blank=True)
    responsibility = models.TextField(_("责任判定"), blank=True)
    plan_options = models.JSONField(_("处理方案(可选项)"), default=list, blank=True)
    chosen_plan = models.PositiveSmallIntegerField(_("客户选定方案"), null=True, blank=True)
    exceeds_authority = models.BooleanField(_("超出处理人权限"), default=False)
    compensation_amount = models.DecimalField(_("补偿金额(元)"), max_digits=10, decimal_places=2, default=0)
    compensation_description = models.CharField(_("补偿内容"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批示人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批示时间"), null=True, blank=True)
    approval_comment = models.TextField(_("批示意见"), blank=True)
    receipt_text = models.TextField(_("回单内容"), blank=True)
    receipt_submitted_at = models.DateTimeField(_("回单提交时间"), null=True, blank=True)
    receipt_accepted_at = models.DateTimeField(_("回单通过时间"), null=True, blank=True)
    handling_rounds = models.PositiveSmallIntegerField(_("处理轮次"), default=1)

    # Time limits: computed by the business calendar, stored for indexed sweeps.
    first_answer_due_at = models.DateTimeField(_("首次答复时限"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    implement_due_at = models.DateTimeField(_("方案实施时限"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("实施完成时间"), null=True, blank=True)
    next_callback_due_at = models.DateTimeField(_("约定回话时间"), null=True, blank=True)
    callbacks_missed = models.PositiveSmallIntegerField(_("未履约回话次数"), default=0)
    visit_due_at = models.DateTimeField(_("回访时限"), null=True, blank=True)
    first_answer_breached = models.BooleanField(_("首次答复超时"), default=False)
    implement_breached = models.BooleanField(_("实施超时"), default=False)

    # Escalation and repeats.
    escalation_level = models.PositiveSmallIntegerField(
        _("升级层级"), choices=EscalationLevel.choices, default=EscalationLevel.AGENT
    )
    escalated_at = models.DateTimeField(_("最近升级时间"), null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("重复投诉于"), null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    repeat_count = models.PositiveSmallIntegerField(_("重复次数"), default=0)
    # Linked or merged as the same matter (issue 11 duplicates); merged ones close as DUPLICATE.
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("同一事项"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    # Return visit and closure.
    visit_method = models.CharField(_("回访方式"), max_length=20, choices=VisitMethod.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度(1-5)"), null=True, blank=True)
    satisfaction_dimensions = models.JSONField(_("分维度满意度"), default=dict, blank=True)
    visit_notes = models.TextField(_("回访记录"), blank=True)
    closure_reason = models.CharField(_("结案原因"), max_length=24, choices=ClosureReason.choices, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    # 个人信息保护法: when the retention policy blanked the customer's personal data on this case.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)
    resolved_by_first_owner = models.BooleanField(_("首问解决"), default=False)
    # Set with the timeline event, in the same transaction (services.core.perform), so the reports
    # read a column instead of searching ~100 M timeline rows (docs/BENCHMARKS.md, "At 10,000,000").
    reworked = models.BooleanField(_("未一次办结"), default=False)  # 重新上移, reopened or 回单 sent back
    handed_back = models.BooleanField(_("曾退单"), default=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="complaint_status_recv_idx"),
            models.Index(fields=["department", "status"], name="complaint_dept_status_idx"),
            models.Index(fields=["handler", "status"], name="complaint_handler_status_idx"),
            models.Index(fields=["first_owner", "status"], name="complaint_owner_status_idx"),
            models.Index(fields=["customer", "-received_at"], name="complaint_customer_idx"),
            models.Index(fields=["contact_phone", "-received_at"], name="complaint_phone_idx"),
            models.Index(fields=["address", "-received_at"], name="complaint_address_idx"),
            models.Index(fields=["first_answer_due_at"], name="complaint_first_due_idx"),
            models.Index(fields=["implement_due_at"], name="complaint_impl_due_idx"),
            models.Index(fields=["next_callback_due_at"], name="complaint_callback_due_idx"),
            models.Index(fields=["visit_due_at"], name="complaint_visit_due_idx"),
            models.Index(fields=["escalation_level", "status"], name="complaint_escalation_idx"),
            # Reports put cases in a period by closed_at (首问解决率, 回访率, 补偿), escalated_at and approved_at.
            models.Index(fields=["closed_at"], name="complaint_closed_idx"),
            models.Index(fields=["escalated_at"], name="complaint_escalated_idx"),
            models.Index(fields=["approved_at"], name="complaint_approved_idx"),
            # The retention sweeps' selections: closed cases waiting to be archived, and finished
            # cases whose personal data is still there (partial: small, and only what is left to do).
            models.Index(fields=["closed_at"], condition=models.Q(status="closed"), name="complaint_to_archive_idx"),
            models.Index(fields=["closed_at"], condition=models.Q(anonymised_at__isnull=True, closed_at__isnull=False),
                         name="complaint_to_anonymise_idx"),
            # The sidebar's queue counts read every open case on every full page: this partial index
            # holds the columns they test, so PostgreSQL counts from the index alone (an index-only
            # scan) instead of visiting each open row in a table of millions (docs/BENCHMARKS.md,
            # "At 10,000,000": 415–740 → 80–100 ms). SQLite builds it without the included columns.
            models.Index(
                fields=["status"],
                include=["id", "department", "handler", "first_owner", "escalation_level", "first_answer_breached",
                         "first_answer_due_at", "first_answered_at", "implement_breached", "implement_due_at",
                         "implemented_at", "next_callback_due_at", "visit_due_at",
                         # the reports' snapshots of open cases: ageing by received_at, high risk
                         "received_at", "escalation_risk"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="complaint_open_queue_idx",
            ),
            # The reports' running tallies count what actions decide; a deadline that falls due
            # with nobody acting is counted live, over these few rows (reports.tally).
            models.Index(fields=["received_at"], name="complaint_answer_pending_idx",
                         condition=models.Q(first_answered_at__isnull=True, first_answer_due_at__isnull=False)),
            models.Index(fields=["received_at"], name="complaint_impl_pending_idx",
                         condition=models.Q(implemented_at__isnull=True, implement_due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        from complaintdesk.complaints.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    @property
    def filing_number(self) -> int:
        """How many times the customer has filed this matter, the original included (第N次投诉)."""
        return self.repeat_count + 1

    @property
    def is_read_only(self) -> bool:
        return self.status == Status.ARCHIVED


class ContactLog(models.Model):
    """A contact with the customer: a promised call-back, a call-back made, a progress update."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("类型"), max_length=24, choices=ContactKind.choices)
    note = models.TextField(_("内容"), blank=True)
    promised_for = models.DateTimeField(_("约定回话时间"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-at"]
        # The reports' 约定回话履约率 reads the promises due in a period; at 10 M the contacts table
        # (16.5 M rows) was read whole for it (docs/BENCHMARKS.md, "At 10,000,000").
        indexes = [
            models.Index(fields=["promised_for"], name="contact_promise_due_idx",
                         condition=models.Q(kind=ContactKind.CALLBACK_PROMISED)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
