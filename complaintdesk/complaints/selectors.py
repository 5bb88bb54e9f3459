"""Reads: queues, search, complaint detail, customer history. No writes here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import OPEN_STATUSES, EscalationLevel, Status
from complaintdesk.complaints.models import Attachment, Complaint, PlanRecord, TimelineEvent, VisitRecord
from complaintdesk.complaints.services.core import actor_of, subject_of
from complaintdesk.core import clock, textsearch
from complaintdesk.core.errors import NotPermitted
from complaintdesk.customers.models import Customer, CustomerPhone
from complaintdesk.customers.phones import InvalidPhone, normalize_phone
from complaintdesk.notifications.models import OutboundMessage
from complaintdesk.org.models import DepartmentKind, Role
from complaintdesk.sla.deadlines import DEFAULT_POLICY
from complaintdesk.sla.models import ExtensionRequest, SlaPolicy

LIST_RELATED = ("customer", "category", "department", "handler", "first_owner")


@dataclass(frozen=True)
class Queue:
    code: str
    label: str
    roles: frozenset[str]


QUEUES = [
    Queue("mine_first", _l("我首问的"), frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})),
    Queue("my_tasks", _l("待我处理"), frozenset(Role.values)),
    Queue("department", _l("部门待办"), frozenset({Role.HANDLER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})),
    Queue("to_review", _l("待审核"), frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})),
    Queue("to_approve", _l("待批示"), frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})),
    Queue("to_visit", _l("待回访"), frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})),
    Queue("due_soon", _l("即将超时"), frozenset(Role.values)),
    Queue("overdue", _l("已超时"), frozenset(Role.values)),
    Queue("escalated", _l("已升级"), frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AGENT})),
    Queue("to_archive", _l("待归档"), frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})),
    Queue("all", _l("全部"), frozenset(Role.values)),
]
QUEUE_BY_CODE = {q.code: q for q in QUEUES}
OPEN = list(OPEN_STATUSES)


def queues_for(user) -> list[Queue]:
    require_reader(user)
    return [q for q in QUEUES if user.role in q.roles]


SEE_ALL_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})


def can_read_complaints(user) -> bool:
    """Whether ``user`` may use the workspace at all: an active account with a known role and a
    department (superusers excepted). Anyone else sees nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in Role.values and user.department_id is not None


def require_reader(user) -> None:
    if not can_read_complaints(user):
        raise NotPermitted(_("您的账号尚未设置有效的角色或部门，不能查看投诉。请联系管理员。"))


def visible_complaints(user) -> QuerySet[Complaint]:
    """THE visibility rule; every read of complaints for a person goes through it (web, API, history).

    Supervisors, managers and admins and the service centre's staff (首问负责制: the desk follows
    every case) see every complaint; anybody else (handlers) sees the complaints of their own
    department and those assigned to them. A user with no or an unknown role or no department
    is refused with :class:`NotPermitted` (a clean 403), never shown everything.
    """
    require_reader(user)
    qs = Complaint.objects.all()
    if user.is_superuser or user.role in SEE_ALL_ROLES:
        return qs
    department = user.department
    if department.kind == DepartmentKind.SERVICE_CENTRE:
        return qs
    return qs.filter(Q(department_id=user.department_id) | Q(handler_id=user.pk) | Q(first_owner_id=user.pk))


def complaint_visible_to(*, user, complaint: Complaint) -> bool:
    """Whether ``user`` may read this one complaint (same rule as :func:`visible_complaints`)."""
    try:
        return visible_complaints(user).filter(pk=complaint.pk).exists()
    except NotPermitted:
        return False




def _overdue_q(now: dt.datetime) -> Q:
    return Q(status__in=OPEN) & (
        Q(first_answer_due_at__lt=now, first_answered_at__isnull=True)
        | Q(implement_due_at__lt=now, implemented_at__isnull=True)
        | Q(visit_due_at__lt=now, status=Status.AWAITING_VISIT)
        | Q(first_answer_breached=True)
        | Q(implement_breached=True)
    )


# The deadlines a row can still be measured against: (code, due column, "still pending" condition).
# The same four the sweeps warn about; the one due first is the row's "next deadline".
DEADLINES = (
    ("first_answer", "first_answer_due_at", Q(first_answered_at__isnull=True)),
    ("implement", "implement_due_at", Q(implemented_at__isnull=True)),
    ("callback", "next_callback_due_at", Q()),
    ("visit", "visit_due_at", Q(status=Status.AWAITING_VISIT)),
)
# Sorts after every real deadline, so rows without one come last when sorting by time left.
NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def _policy_scope(policy: SlaPolicy) -> Q:
    q = Q()
    if policy.category_id:
        q &= Q(category_id=policy.category_id)
    if policy.priority:
        q &= Q(priority=policy.priority)
    return q


def warning_lead_groups() -> list[tuple[Q, dt.timedelta]]:
    """Which rows take which warning lead: each active policy's rows (those it is the most
    specific match for, as ``sla.deadlines.policy_for`` decides) and the rest on the default.
    One small query over the policy table; the result is pure ``Q`` over indexed columns."""
    policies = sorted(SlaPolicy.objects.filter(active=True), key=lambda p: (-p.specificity, p.id))
    groups, taken = [], Q(pk__in=[])
    for policy in policies:
        scope = _policy_scope(policy)
        groups.append((scope & ~taken, dt.timedelta(hours=policy.warning_lead_hours)))
        taken |= scope
    groups.append((~taken, dt.timedelta(hours=DEFAULT_POLICY.warning_lead_hours)))
    return groups


def _due_soon_q(now: dt.datetime, groups: list[tuple[Q, dt.timedelta]] | None = None) -> Q:
    """Due within the row's policy warning lead (SPEC §4; the lead the sweeps warn with):
    a still-pending deadline between now and now + lead. Ranges on the indexed due columns."""
    groups = warning_lead_groups() if groups is None else groups
    soon = Q(pk__in=[])
    for scope, lead in groups:
        window = Q(pk__in=[])
        for _code, due, pending in DEADLINES:
            window |= pending & Q(**{f"{due}__gte": now, f"{due}__lte": now + lead})
        soon |= scope & window
    return Q(status__in=OPEN) & soon


DUE_SOON_CANDIDATES = 5000


def _due_soon_candidates(now: dt.datetime, groups: list[tuple[Q, dt.timedelta]]) -> list[int] | None:
    """The open complaints with a pending deadline between now and now + the longest warning lead:
    one range on each deadline's own index (a few hundred rows at 10,000,000 complaints). 即将超时's
    exact condition is then tested on those alone. Asked in one query, PostgreSQL reads every open
    complaint from the open-queue index instead (35 ms at 10 M, for the page and again for its
    count). None when there are too many to pass as a list."""
    longest = max(lead for _scope, lead in groups)
    ids: set[int] = set()
    for _code, due, pending in DEADLINES:
        ids.update(
            Complaint.objects.filter(pending, status__in=OPEN, **{f"{due}__gte": now, f"{due}__lte": now + longest})
            .order_by().values_list("id", flat=True)[: DUE_SOON_CANDIDATES + 1]
        )
        if len(ids) > DUE_SOON_CANDIDATES:
            return None
    return sorted(ids)


def next_due_expression() -> Least:
    """The nearest still-pending deadline of an open row (for sorting by time left); closed rows
    and rows without a deadline sort last."""
    far = Value(NO_DEADLINE, output_field=DateTimeField())
    return Least(*[
        Case(
            When(Q(status__in=OPEN) & pending & Q(**{f"{due}__isnull": False}), then=F(due)),
            default=far, output_field=DateTimeField(),
        )
        for _code, due, pending in DEADLINES
    ])


def next_deadline(complaint: Complaint) -> tuple[str, dt.datetime] | None:
    """(deadline code, due time) of the nearest pending deadline of an open complaint, read from
    the row's own columns (no query); the same rule as ``next_due_expression``."""
    if complaint.status not in OPEN_STATUSES:
        return None
    pending = {
        "first_answer": complaint.first_answered_at is None,
        "implement": complaint.implemented_at is None,
        "callback": True,
        "visit": complaint.status == Status.AWAITING_VISIT,
    }
    candidates = [
        (getattr(complaint, due), code) for code, due, _q in DEADLINES if pending[code] and getattr(complaint, due)
    ]
    if not candidates:
        return None
    due, code = min(candidates)
    return code, due


def _my_tasks_q(user) -> Q:
    if user.role == Role.HANDLER:
        return Q(handler_id=user.pk, status__in=[Status.HANDLING, Status.IMPLEMENTING]) | Q(
            department_id=user.department_id, handler__isnull=True, status=Status.DISPATCHED
        )
    if user.role in {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}:
        return Q(status=Status.PENDING_APPROVAL) | Q(first_owner_id=user.pk, status__in=OPEN)
    return Q(first_owner_id=user.pk, status__in=[Status.RECEIVED, Status.ACCEPTED, Status.RECEIPT_SUBMITTED, Status.AWAITING_VISIT])


def queue_filter(user, code: str, now: dt.datetime | None = None, lead_groups=None) -> Q:
    now = now or clock.now()
    if code == "mine_first":
        return Q(first_owner_id=user.pk)
    if code == "my_tasks":
        return _my_tasks_q(user)
    if code == "department":
        if user.role == Role.HANDLER or (user.department_id and user.department.kind == DepartmentKind.HANDLING):
            return Q(department_id=user.department_id, status__in=OPEN)
        # The service centre and management follow every department's open tickets (tickets are
        # never dispatched to the service centre itself, so "its own" list would always be empty).
        return Q(department__isnull=False, status__in=OPEN)
    if code == "to_review":
        return Q(status__in=[Status.RECEIVED, Status.RECEIPT_SUBMITTED])
    if code == "to_approve":
        return Q(status=Status.PENDING_APPROVAL)
    if code == "to_visit":
        return Q(status=Status.AWAITING_VISIT)
    if code == "due_soon":
        return _due_soon_q(now, lead_groups)
    if code == "overdue":
        return _overdue_q(now)
    if code == "escalated":
        return Q(status__in=OPEN, escalation_level__gte=EscalationLevel.SUPERVISOR)
    if code == "to_archive":
        return Q(status=Status.CLOSED)
    return Q()


def complaint_list(
    *,
    user,
    queue: str = "all",
    status: str = "",
    category: str = "",
    department: int | str = "",
    channel: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    overdue: bool = False,
    search: str = "",
    ordering: str = "",
    extra: Q | None = None,
) -> QuerySet[Complaint]:
    """A queue with filters; the page paginates it. One query plus the count (and one over the
    policy table for 即将超时). 即将超时 is sorted by the nearest deadline unless asked otherwise.

    ``extra`` is a condition built by a higher layer (the reports' drill-down: exactly the
    complaints behind one figure).
    """
    ordering_given = bool(ordering)
    ordering = ordering or "-received_at"
    if queue == "due_soon":
        now, groups = clock.now(), warning_lead_groups()
        qs = visible_complaints(user).filter(queue_filter(user, queue, now, groups))
        candidates = _due_soon_candidates(now, groups)
        if candidates is not None:
            qs = qs.filter(pk__in=candidates)
    else:
        qs = visible_complaints(user).filter(queue_filter(user, queue))
    if extra is not None:
        qs = qs.filter(extra)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__code=category)
    if department:
        qs = qs.filter(department_id=department)
    if channel:
        qs = qs.filter(channel=channel)
    # Dates become a range on the indexed timestamp (a per-row date cast cannot use the index).
    if date_from:
        qs = qs.filter(received_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(received_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if overdue:
        qs = qs.filter(_overdue_q(clock.now()))
    if search:
        qs = qs.filter(_search_q(search.strip()))
    allowed = {"received_at", "-received_at", "implement_due_at", "-implement_due_at", "priority", "-priority",
               "escalation_level", "-escalation_level", "number", "-number", "status", "next_due", "-next_due"}
    if queue == "due_soon" and not ordering_given:
        ordering = "next_due"
    ordering = ordering if ordering in allowed else "-received_at"
    if ordering.lstrip("-") == "next_due":
        qs = qs.annotate(next_due=next_due_expression())
    # Ties by id in the same direction, so an index on the sort column serves deep pages.
    qs = qs.order_by(ordering, "-id" if ordering.startswith("-") else "id")
    if queue in SORTED_FROM_OPEN_INDEX and ordering == "-received_at" and connection.vendor == "postgresql":
        qs = qs.order_by(_unindexed(F("received_at")).desc(), "-id")
    return qs.select_related(*LIST_RELATED)


# 已超时 and 已升级 hold a few of the open complaints, and not the newest: a new complaint is neither
# late nor escalated yet. Sorted by the indexed receipt time, PostgreSQL walks that index backwards
# and reads each complaint from the table until 25 match: at 10,000,000 complaints 100,000 rows for
# 已超时 (675 ms on a cold cache, 70–90 ms warm). Sorted by an expression of that time, which no
# index serves, it collects the matches from the open-queue index alone (its columns hold every
# condition) and sorts them: 69 ms cold, 34–52 ms warm (docs/BENCHMARKS.md). Read ids first
# (``page_reads_ids_first``), or every match would be joined before the sort.
SORTED_FROM_OPEN_INDEX = frozenset({"overdue", "escalated"})


def _unindexed(expression):
    """The same value as ``expression``, in a form no index serves (``+ interval '0'``)."""
    return ExpressionWrapper(expression + Value(dt.timedelta(0)), output_field=DateTimeField())


def page_reads_ids_first(*, queue: str, search: str = "", ordering: str = "") -> bool:
    """Whether a page of this queue is best read ids first (``web.views.queues.CappedPaginator``):
    where PostgreSQL sorts every match instead of walking an index in the page's order — a search
    that can match thousands, 即将超时 (by the nearest deadline), 已超时 and 已升级, a sort asked for.
    Read in one query, each match would be joined to its customer and staff before the sort. A
    queue in receipt order walks its index and stops at the page, which one query does best; a
    number or a whole phone matches a handful."""
    term = search.strip()
    return bool(
        (term and search_kind(term) in BROAD_SEARCHES) or ordering
        or queue == "due_soon" or queue in SORTED_FROM_OPEN_INDEX
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


NAME_MATCHES = 500
TEXT_MATCHES = 2000


def search_kind(term: str) -> str:
    """What a search term is read as: ``number`` (TS…), ``phone`` (a whole phone), ``tail`` (the
    last digits of a phone or number), else ``words`` (a customer's name, then the text)."""
    term = term.strip()
    upper = term.upper()
    if upper.startswith("TS") and upper[2:].isdigit():
        return "number"
    try:
        if normalize_phone(term):
            return "phone"
    except InvalidPhone:
        pass
    return "tail" if term.isdigit() and len(term) >= 4 else "words"


# The searches that can match thousands of complaints in no index's order: their page is best read
# ids first (``web.views.queues.CappedPaginator``). A number or a whole phone matches a handful.
BROAD_SEARCHES = frozenset({"tail", "words"})


def _search_q(term: str) -> Q:
    """Search by number, phone, name or text, shaped so each branch can use an index: numbers by
    range on the unique index, phones through the phone table into the customer index, names
    through the (small) customer table; only free text scans, and only when no name matches."""
    kind = search_kind(term)
    if kind == "number":
        upper = term.upper()
        return Q(number__gte=upper, number__lt=upper + "\uffff")
    if kind == "phone":
        phone = normalize_phone(term)
        owners = list(CustomerPhone.objects.filter(number=phone).values_list("customer_id", flat=True))
        return Q(contact_phone=phone) | Q(customer_id__in=owners) if owners else Q(contact_phone=phone)
    if kind == "tail":
        if connection.vendor == "postgresql":
            return ids_q(tail_matches(term))
        return Q(contact_phone__endswith=term) | Q(number__endswith=term)
    named = list(Customer.objects.filter(name_q(term)).values_list("id", flat=True)[:NAME_MATCHES])
    if named:
        return Q(customer_id__in=named)
    if connection.vendor == "postgresql":
        # The planner cannot know how many complaints hold a word. Guessing "many", it walks the
        # received-at index backwards to find the first page and, for a word in a handful of
        # complaints (or none), reads the whole table: 1.6 s at 1,000,000 rows for 门禁. The matches'
        # ids, read from the bigram index first (a few ms), make the estimate exact; only a word
        # with more matches than that keeps the walk, which then finds a page quickly.
        ids = list(Complaint.objects.filter(text_q(term)).order_by().values_list("id", flat=True)[: TEXT_MATCHES + 1])
        if len(ids) <= TEXT_MATCHES:
            return ids_q(ids)
    return text_q(term)


def ids_q(ids: list[int]) -> Q:
    """The complaints ``ids``: on PostgreSQL one array parameter (``id = ANY(%s)``) rather than
    ``IN (%s, …)`` with a parameter for each of up to 2,000 ids, which the count, the page's ids and
    its rows each compiled, bound and planned again (a search's matches, read first)."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return Q(RawSQL('"complaints_complaint"."id" = ANY(%s)', [list(ids)], output_field=BooleanField()))


def _bigram_q(term: str, column: str, contains: Q) -> Q:
    """``contains``, served on PostgreSQL by the bigram column ``column`` (``core/textsearch.py``).
    A term that is one run of letters and digits is an exact phrase of its bigrams; other terms are
    narrowed by the index and re-checked by ``contains``. Re-checking an exact phrase would only
    mislead the planner (it multiplies the two selectivities and then joins as if a dozen rows came
    back)."""
    query = textsearch.tsquery(term)
    if query is None or connection.vendor != "postgresql":
        return contains
    text, exact = query
    indexed = Q(RawSQL(f"{column} @@ %s::tsquery", [text], output_field=BooleanField()))
    return indexed if exact else indexed & contains


# A tail shared by more complaints than this is searched among its newest ones: one more than a
# list counts to (``COUNT_CAP``, "2000+"), and a queue's open complaints are recent.
TAIL_MATCHES = 2001


def tail_matches(digits: str) -> list[int]:
    """The ids of the complaints whose phone or number ends with ``digits``, newest first (at most
    ``TAIL_MATCHES``), on PostgreSQL. Read from the two covering indexes of migration complaints 0021
    alone: a 4-digit tail matches thousands of complaints at 10,000,000, and reading each from the
    table (to count them and sort them) was ≈ 2,000 random reads of it per search. The prefix is a
    range, not ``LIKE %s``: a prepared statement's generic plan can use an index for a range whose
    bounds are parameters, not for a pattern that is one."""
    low = digits[::-1]
    high = low + "\uffff"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM ("
            " SELECT id, received_at FROM complaints_complaint"
            " WHERE reverse(contact_phone) ~>=~ %s AND reverse(contact_phone) ~<~ %s"
            " UNION"
            " SELECT id, received_at FROM complaints_complaint"
            " WHERE reverse(number) ~>=~ %s AND reverse(number) ~<~ %s"
            ") matches ORDER BY received_at DESC, id DESC LIMIT %s",
            [low, high, low, high, TAIL_MATCHES],
        )
        return [row[0] for row in cursor.fetchall()]


def text_q(term: str) -> Q:
    """Subject or description contains ``term`` (case-insensitive)."""
    contains = Q(subject__icontains=term) | Q(description__icontains=term)
    return _bigram_q(term, '"complaints_complaint"."search_doc"', contains)


def name_q(term: str) -> Q:
    """The customer's name contains ``term`` (case-insensitive)."""
    return _bigram_q(term, '"customers_customer"."name_doc"', Q(name__icontains=term))


# Queues that are not limited to open complaints: they grow with the whole history, so the
# navigation counts them only up to a cap ("999+") instead of reading every row on every page.
UNBOUNDED_QUEUES = frozenset({"all", "mine_first", "to_archive"})
NAV_COUNT_CAP = 999


def queue_counts(user) -> dict[str, int]:
    """Counts for every queue this user sees. The queues of open work are counted exactly, in one
    aggregate over the open complaints only; the ones that hold the whole history (全部, 我首问的,
    待归档) are counted up to ``NAV_COUNT_CAP + 1`` (a value above the cap means "more than").

    At 1,000,000 complaints the single aggregate over every visible row took ≈ 0.9 s on every
    page; this reads the open rows and at most a thousand rows per unbounded queue."""
    now = clock.now()
    queues = queues_for(user)
    groups = warning_lead_groups()
    visible = visible_complaints(user)
    bounded = [q.code for q in queues if q.code not in UNBOUNDED_QUEUES]
    counts = visible.filter(status__in=OPEN).aggregate(
        **{code: Count("id", filter=queue_filter(user, code, now, groups)) for code in bounded}
    )
    for q in queues:
        if q.code in UNBOUNDED_QUEUES:
            counts[q.code] = visible.filter(queue_filter(user, q.code, now, groups)).order_by()[: NAV_COUNT_CAP + 1].count()
    return counts


def complaint_get(*, user, pk: int | None = None, number: str | None = None) -> Complaint:
    qs = visible_complaints(user).select_related(*LIST_RELATED, "approved_by", "repeat_of")
    return qs.get(pk=pk) if pk is not None else qs.get(number=number)


def attachment_get(*, user, complaint_pk: int, pk: int) -> Attachment:
    """One attachment, only if ``user`` may see its complaint (raises ``Attachment.DoesNotExist``)."""
    return Attachment.objects.select_related("complaint").get(
        pk=pk, complaint_id=complaint_pk, complaint__in=visible_complaints(user)
    )


def complaint_timeline(*, complaint: Complaint) -> QuerySet[TimelineEvent]:
    return complaint.events.select_related("actor").order_by("created_at", "id")


def complaint_visits(*, complaint: Complaint) -> list[VisitRecord]:
    """Every return visit with the customer's answers, the latest first (one query)."""
    return list(VisitRecord.objects.filter(complaint=complaint).select_related("by").order_by("-at", "-id"))


def complaint_plans(*, complaint: Complaint) -> list[PlanRecord]:
    """Every submitted plan with its approval, the latest first (one query)."""
    return list(
        PlanRecord.objects.filter(complaint=complaint)
        .select_related("submitted_by", "decided_by", "repeats__decided_by")
        .order_by("-submitted_at", "-id")
    )


def complaint_approved_compensations(*, complaint: Complaint) -> list[PlanRecord]:
    """Plans whose compensation a supervisor already approved (one query)."""
    return list(
        PlanRecord.objects.filter(complaint=complaint, decision="approved", compensation_amount__gt=0)
        .select_related("decided_by")
        .order_by("decided_at", "id")
    )


def complaint_messages(*, complaint: Complaint) -> list[OutboundMessage]:
    """What the customer was told: every SMS/message sent about this complaint (one query)."""
    return list(
        OutboundMessage.objects.filter(complaint=complaint)
        .only("created_at", "sent_at", "channel", "body", "status", "to", "template_code", "complaint_id")
        .order_by("-created_at", "-id")
    )


def complaint_duplicates(*, complaint: Complaint) -> list[Complaint]:
    """The complaints linked with this one as the same matter, either direction (one query)."""
    q = Q(duplicate_of_id=complaint.pk)
    if complaint.duplicate_of_id:
        q |= Q(pk=complaint.duplicate_of_id)
    return list(Complaint.objects.filter(q).only("number", "subject", "status", "closure_reason").order_by("pk"))


def allowed_actions(*, complaint: Complaint, user) -> list[workflow.Action]:
    return workflow.allowed_actions(actor_of(user), subject_of(complaint))


def customer_history(
    *, user, customer_id: int, exclude: int | None = None, limit: int = 20
) -> QuerySet[Complaint]:
    """The customer's other complaints that ``user`` may see (never another department's)."""
    qs = visible_complaints(user).filter(customer_id=customer_id).select_related("category", "department")
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("-received_at")[:limit]


def customer_open_complaints(*, user, customer_id: int) -> QuerySet[Complaint]:
    return visible_complaints(user).filter(customer_id=customer_id, status__in=OPEN).order_by("-received_at")


def service_centre_staff_q() -> Q:
    return Q(department__kind=DepartmentKind.SERVICE_CENTRE)


def complaint_extensions(*, complaint: Complaint):
    return ExtensionRequest.objects.filter(complaint=complaint).select_related("requested_by", "decided_by").order_by("id")
