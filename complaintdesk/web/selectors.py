"""Reads the workspace needs beyond ``complaints.selectors``: phone look-up, customer page, clocks.

Pure reads only; every write goes through ``complaintdesk.complaints.services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import OPEN_STATUSES, Dimension, Emotion, EscalationRisk, Nature, Status
from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.complaints.selectors import visible_complaints
from complaintdesk.core import clock
from complaintdesk.core.errors import DomainError
from complaintdesk.customers.models import Customer, CustomerPhone
from complaintdesk.customers.phones import InvalidPhone, normalize_phone
from complaintdesk.org.models import Department, DepartmentKind, Role, User

HISTORY_RELATED = ("category", "department")


@dataclass(frozen=True)
class PhoneLookup:
    phone: str
    customer: Customer | None
    open_complaints: list[Complaint]
    history: list[Complaint]
    recent_count: int
    window_days: int

    @property
    def is_repeat_risk(self) -> bool:
        return self.recent_count > 0


def phone_lookup(raw: str, *, user) -> PhoneLookup | None:
    """The customer who owns a phone number, their open complaints and history that ``user`` may
    see (3 queries)."""
    try:
        phone = normalize_phone(raw)
    except InvalidPhone:
        return None
    owner = CustomerPhone.objects.select_related("customer").filter(number=phone).first()
    window = settings.COMPLAINTDESK_REPEAT_WINDOW_DAYS
    if owner is None:
        return PhoneLookup(phone, None, [], [], 0, window)
    complaints = list(
        visible_complaints(user)
        .filter(customer_id=owner.customer_id)
        .select_related(*HISTORY_RELATED)
        .order_by("-received_at")[:20]
    )
    since = clock.now() - dt.timedelta(days=window)
    open_ = [c for c in complaints if c.status in OPEN_STATUSES]
    history = [c for c in complaints if c.status not in OPEN_STATUSES]
    recent = sum(1 for c in complaints if c.received_at >= since)
    return PhoneLookup(phone, owner.customer, open_, history, recent, window)


@dataclass(frozen=True)
class CustomerPage:
    customer: Customer
    phones: list[CustomerPhone]
    complaints: list[Complaint]
    open_count: int
    repeat_count: int
    average_satisfaction: float | None
    visited: list[Complaint]


def customer_page(*, customer_id: int, user) -> CustomerPage:
    customer = Customer.objects.get(pk=customer_id)
    visible = visible_complaints(user).filter(customer_id=customer_id)
    complaints = list(
        visible
        .select_related("category", "department", "first_owner", "repeat_of")
        .order_by("-received_at")
    )
    stats = visible.aggregate(
        avg=Avg("satisfaction"), repeats=Count("id", filter=Q(repeat_of__isnull=False))
    )
    return CustomerPage(
        customer=customer,
        phones=list(customer.phones.order_by("-is_primary", "id")),
        complaints=complaints,
        open_count=sum(1 for c in complaints if c.status in OPEN_STATUSES),
        repeat_count=stats["repeats"],
        average_satisfaction=stats["avg"],
        visited=[c for c in complaints if c.satisfaction is not None],
    )


@dataclass(frozen=True)
class Clock:
    """One deadline as the page shows it: remaining working time, or when it was met."""

    code: str
    label: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    left: dt.timedelta | None
    ticking: bool
    breached_flag: bool = False

    @property
    def overdue(self) -> bool:
        if self.done_at is not None:
            return self.done_at > self.due_at or self.breached_flag
        return self.breached_flag or (self.left is not None and self.left.total_seconds() < 0)

    @property
    def seconds_left(self) -> int:
        return int(self.left.total_seconds()) if self.left is not None else 0


def deadline_clocks(complaint: Complaint, now: dt.datetime | None = None) -> list[Clock]:
    """The live deadlines of a complaint, in working time (SPEC §4). No queries once the
    calendar is cached."""
    from complaintdesk.sla.deadlines import get_calendar

    now = now or clock.now()
    try:
        calendar = get_calendar()
        ticking = calendar.is_working_day(calendar.local(now).date())
    except (DomainError, ValueError):
        calendar, ticking = None, True
    is_open = complaint.status in OPEN_STATUSES
    rows = [
        ("first_answer", _("首次答复"), complaint.first_answer_due_at, complaint.first_answered_at,
         complaint.first_answer_breached),
        ("implement", _("方案实施"), complaint.implement_due_at, complaint.implemented_at, complaint.implement_breached),
        ("callback", _("约定回话"), complaint.next_callback_due_at, None, False),
        ("visit", _("回访"), complaint.visit_due_at,
         complaint.closed_at if complaint.status != Status.AWAITING_VISIT else None, False),
    ]
    clocks = []
    for code, label, due, done, breached in rows:
        if due is None:
            continue
        if done is None and not is_open:
            done = complaint.closed_at
        left = None
        if done is None:
            try:
                left = calendar.working_time_between(now, due) if calendar else due - now
            except ValueError:
                left = due - now
        clocks.append(Clock(code, label, due, done, left, ticking and done is None, breached))
    return clocks


def unread_notifications(user) -> int | None:
    """The bell's number, when the notifications app is installed (``None`` otherwise): unread
    notices that still ask for something (a notice about a closed case is done)."""
    if not apps.is_installed("complaintdesk.notifications"):
        return None
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_list(user=user, show="unread").count()


def _still_open_q() -> Q:
    return Q(complaint__isnull=True) | Q(complaint__status__in=list(OPEN_STATUSES))


def inbox_list(*, user, show: str = "unread", kind: str = "", group: str = "") -> QuerySet:
    """The user's notices for the inbox. ``show``: ``unread`` (unread, about open cases or none),
    ``all``; ``kind`` filters by type; ``group`` ``complaint`` orders them by complaint so a page
    can group them. Indexed by (recipient, created_at); one query per page plus the count."""
    from complaintdesk.notifications.models import Notification

    qs = Notification.objects.filter(recipient=user).select_related("complaint")
    if show == "unread":
        qs = qs.filter(_still_open_q(), read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if group == "complaint":
        return qs.order_by("complaint_id", "-created_at", "-id")
    return qs.order_by("-created_at", "-id")


def handling_departments() -> QuerySet[Department]:
    return Department.objects.filter(kind=DepartmentKind.HANDLING, active=True).order_by("code")


def handlers() -> QuerySet[User]:
    return User.objects.filter(role=Role.HANDLER, is_active=True).select_related("department").order_by(
        "department__code", "username"
    )


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("order", "code")


# Event fields that hold the id of another row, and which of ``timeline_names``' maps names it.
REFERENCES = {"department": "departments", "handler": "users", "approved_by": "users", "category": "categories"}


def timeline_names(events) -> dict[str, dict[int, str]]:
    """Display names for the departments, staff and categories a timeline refers to: those rows
    only, one query per kind that is referred to (a centre's hundreds of departments and
    categories are not read for a page that names two)."""
    ids: dict[str, set[int]] = {"departments": set(), "categories": set(), "users": set()}
    for event in events:
        for values in (event.before or {}, event.after or {}):
            for key, kind in REFERENCES.items():
                if isinstance(values.get(key), int):
                    ids[kind].add(values[key])
    models = {"departments": Department, "categories": Category, "users": User}
    return {
        kind: {row.pk: str(row) for row in models[kind].objects.filter(pk__in=wanted)} if wanted else {}
        for kind, wanted in ids.items()
    }


SUGGESTION_FIELDS = {
    "nature": (_("投诉性质"), Nature),
    "category": (_("投诉类别"), None),
    "dimension": (_("服务质量维度"), Dimension),
    "emotion": (_("情绪等级"), Emotion),
    "escalation_risk": (_("升级风险"), EscalationRisk),
}


def describe_suggestions(suggestions: dict) -> dict:
    """The classifier's codes with their translated names, in a fixed order."""
    suggested = (suggestions.get("category") or {}).get("label")
    names = {c.code: str(c) for c in Category.objects.filter(code=suggested)} if suggested else {}
    described = {}
    for name, (label, choices) in SUGGESTION_FIELDS.items():
        value = suggestions.get(name)
        if not value or not value.get("label"):
            continue
        code = value["label"]
        if choices is not None:
            display = choices(code).label if code in choices.values else code
        else:
            display = names.get(code, code)
        described[name] = {**value, "field_label": label, "display": display}
    return described

