"""Rows of a complaint list for people: labels instead of codes, Asia/Shanghai times, the reader's
language. Read-only; the caller hands in the queryset (a queue with its filters and order).

The rows come from ``values()`` through ``iterator(chunk_size=…)`` — no model instances, and on
PostgreSQL a server-side cursor — so memory stays flat however many rows are exported. Labels are
resolved once, when :func:`complaint_table` is called (inside the request, in the reader's
language), because the rows are rendered later, while the response streams.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import (
    CauseDetail,
    CauseType,
    Channel,
    ClosureReason,
    Dimension,
    EscalationLevel,
    Nature,
    Priority,
    Status,
)
from complaintdesk.customers.models import Salutation

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    render: Callable[[dict], object]


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def _person(prefix: str) -> Callable[[dict], str]:
    def render(row: dict) -> str:
        return row[f"{prefix}__display_name"] or row[f"{prefix}__username"] or ""

    return render


def complaint_table(qs: QuerySet) -> tuple[list[str], list[int], Iterator[list]]:
    """(header, column widths, rows) for the complaints in ``qs``, in its order."""
    tz = ZoneInfo(settings.TIME_ZONE)
    english = (get_language() or "").startswith("en")
    yes, no, empty = _("是"), _("否"), ""
    status, channel, nature, dimension = _labels(Status), _labels(Channel), _labels(Nature), _labels(Dimension)
    priority, level, closure = _labels(Priority), _labels(EscalationLevel), _labels(ClosureReason)
    cause_type, cause_detail, salutation = _labels(CauseType), _labels(CauseDetail), _labels(Salutation)

    def when(name: str) -> Callable[[dict], str]:
        def render(row: dict) -> str:
            value: dt.datetime | None = row[name]
            return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else empty

        return render

    def label(name: str, labels: dict) -> Callable[[dict], str]:
        return lambda row: labels.get(row[name], row[name]) if row[name] not in (None, "") else empty

    def flag(name: str) -> Callable[[dict], str]:
        return lambda row: yes if row[name] else no

    def customer(row: dict) -> str:
        name = row["customer__name"] or ""
        return name + (salutation.get(row["customer__salutation"], "") if row["customer__salutation"] else "")

    def category(row: dict) -> str:
        if english and row["category__name_en"]:
            return row["category__name_en"]
        return row["category__name"] or empty

    columns = [
        Column(_("投诉编号"), 18, lambda r: r["number"]),
        Column(_("状态"), 10, label("status", status)),
        Column(_("受理时间"), 17, when("received_at")),
        Column(_("渠道"), 10, label("channel", channel)),
        Column(_("客户"), 12, customer),
        Column(_("联系电话"), 14, lambda r: r["contact_phone"]),
        Column(_("地址/房号"), 24, lambda r: r["address"]),
        Column(_("投诉事项"), 30, lambda r: r["subject"]),
        Column(_("投诉内容(客户原话)"), 50, lambda r: r["description"]),
        Column(_("客户诉求"), 30, lambda r: r["demand"]),
        Column(_("投诉性质"), 10, label("nature", nature)),
        Column(_("投诉类别"), 12, category),
        Column(_("服务质量维度"), 10, label("dimension", dimension)),
        Column(_("原因类型"), 10, label("cause_type", cause_type)),
        Column(_("具体原因"), 14, label("cause_detail", cause_detail)),
        Column(_("优先级"), 8, label("priority", priority)),
        Column(_("升级层级"), 10, label("escalation_level", level)),
        Column(_("首问责任人"), 12, _person("first_owner")),
        Column(_("责任部门"), 14, lambda r: r["department__name"] or empty),
        Column(_("处理人"), 12, _person("handler")),
        Column(_("首次答复时限"), 17, when("first_answer_due_at")),
        Column(_("首次答复时间"), 17, when("first_answered_at")),
        Column(_("首次答复超时"), 8, flag("first_answer_breached")),
        Column(_("方案实施时限"), 17, when("implement_due_at")),
        Column(_("实施超时"), 8, flag("implement_breached")),
        Column(_("补偿金额(元)"), 12, lambda r: r["compensation_amount"]),
        Column(_("重复次数"), 8, lambda r: r["repeat_count"]),
        Column(_("满意度(1-5)"), 8, lambda r: r["satisfaction"]),
        Column(_("结案原因"), 20, label("closure_reason", closure)),
        Column(_("结案时间"), 17, when("closed_at")),
    ]
    fields = [
        "number", "status", "received_at", "channel", "customer__name", "customer__salutation", "contact_phone",
        "address", "subject", "description", "demand", "nature", "category__name", "category__name_en",
        "dimension", "cause_type", "cause_detail", "priority", "escalation_level", "first_owner__display_name",
        "first_owner__username", "department__name", "handler__display_name", "handler__username",
        "first_answer_due_at", "first_answered_at", "first_answer_breached", "implement_due_at",
        "implement_breached", "compensation_amount", "repeat_count", "satisfaction", "closure_reason", "closed_at",
    ]

    def rows() -> Iterator[list]:
        # values() joins the related tables itself; the list's select_related would only widen it.
        # On PostgreSQL iterator() reads through a server-side cursor. Outside a transaction Django
        # declares it WITH HOLD, and PostgreSQL then computes the whole result before handing over
        # the first row (measured with 100,000 rows: 1.4–1.6 s); inside one the rows flow as the
        # plan finds them (0.07 s). The transaction only reads.
        with transaction.atomic():
            for row in qs.select_related(None).values(*fields).iterator(chunk_size=CHUNK):
                yield [column.render(row) for column in columns]

    return [c.label for c in columns], [c.width for c in columns], rows()
