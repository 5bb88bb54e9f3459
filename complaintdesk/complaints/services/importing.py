"""历史数据导入: closed and archived complaints from another system, with their own timestamps.

Two steps, both here so nothing can skip the rules:

- :func:`historical_complaint_check` turns one source row (target field → raw value) into a
  :class:`HistoricalComplaint` or a list of per-field, translated errors. Phones are normalised by
  the customers service, categories and departments are looked up by code or name, choice fields
  accept the code or the label in either language, times are read as Asia/Shanghai.
- :func:`complaint_import_history` writes checked rows set-based: customers found or created by
  phone through the customers service, number blocks reserved per day, the complaints and one
  ``IMPORTED`` timeline event per complaint (``events.imported``), through ``core.bulk.insert_rows`` (one statement per
  chunk on PostgreSQL; Django's ``bulk_create`` spent ~1.5 ms of Python per row compiling the
  INSERT) — in the caller's transaction, so a batch is all or nothing.

Only finished history is imported (已结案 / 已归档): an open case would need deadlines, a handler and
the workflow's checks, which a spreadsheet cannot vouch for. Imported rows raise no notifications,
escalations or repeat links (the customers were answered long ago).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaintdesk.complaints import events
from complaintdesk.complaints.choices import Channel, ClosureReason, Status
from complaintdesk.complaints.models import Category, Complaint
from complaintdesk.core import changes, clock, sequences
from complaintdesk.core.bulk import insert_rows
from complaintdesk.core.errors import NotPermitted, ValidationFailed
from complaintdesk.customers.services import customers_for_phones, phone_clean
from complaintdesk.org.models import Department, Role

IMPORT_ROLES = {Role.ADMIN, Role.MANAGER}
IMPORTABLE_STATUSES = (Status.CLOSED, Status.ARCHIVED)
FIELDS = (
    "external_id", "received_at", "phone", "customer_name", "salutation", "address", "channel", "subject",
    "description", "demand", "category", "department", "status", "closed_at", "archived_at", "satisfaction",
    "closure_reason", "compensation_amount",
)
REQUIRED = ("external_id", "received_at", "phone", "description", "closed_at")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                    "%Y-%m-%dT%H:%M", "%Y年%m月%d日 %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日")
SALUTATIONS = {"先生": "mr", "女士": "ms", "mr": "mr", "ms": "ms", "mr.": "mr", "ms.": "ms", "": ""}
SUBJECT_FROM_TEXT = 30
WRITE_CHUNK = 2000


@dataclass(frozen=True)
class HistoricalComplaint:
    external_id: str
    received_at: dt.datetime
    phone: str
    customer_name: str
    salutation: str
    address: str
    channel: str
    subject: str
    description: str
    demand: str
    category_id: int | None
    department_id: int | None
    status: str
    closed_at: dt.datetime
    archived_at: dt.datetime | None
    satisfaction: int | None
    closure_reason: str
    compensation_amount: Decimal


@dataclass
class Lookups:
    """What a check needs from the database, loaded once per file (never once per row)."""

    categories: dict[str, int] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    closure_reasons: dict[str, str] = field(default_factory=dict)


def _choice_names(choices) -> dict[str, str]:
    """code, Chinese label and English label (case-insensitive) → code."""
    names = {}
    for value, label in choices.choices:
        names[str(value).lower()] = value
        for language in ("zh-hans", "en"):
            with override(language):
                names[str(label).strip().lower()] = value
    return names


def import_lookups() -> Lookups:
    categories, departments = {}, {}
    for pk, code, name, name_en in Category.objects.values_list("id", "code", "name", "name_en"):
        for key in (code, name, name_en):
            if key:
                categories[key.strip().lower()] = pk
    for pk, code, name in Department.objects.values_list("id", "code", "name"):
        departments[code.lower()] = pk
        departments[name.strip().lower()] = pk
    statuses = {k: v for k, v in _choice_names(Status).items() if v in IMPORTABLE_STATUSES}
    all_statuses = _choice_names(Status)
    return Lookups(categories=categories, departments=departments, channels=_choice_names(Channel),
                   statuses={**{k: "" for k in all_statuses}, **statuses},
                   closure_reasons=_choice_names(ClosureReason))


def parse_time(value) -> dt.datetime | None:
    """A datetime (from Excel) or text in the usual Chinese formats; naive values are Beijing time."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time.min)
    else:
        text = str(value).strip()
        parsed = None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            for pattern in DATETIME_FORMATS:
                try:
                    parsed = dt.datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
        if parsed is None:
            raise ValueError(text)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return parsed


def _text(raw: dict, name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 13812345678 or an id as a float
    return str(value).strip()


def historical_complaint_check(
    raw: dict, *, lookups: Lookups, known_phones: set[str] | None = None
) -> tuple[HistoricalComplaint | None, dict[str, list[str]]]:
    """Check one source row. ``known_phones`` (normalised) are phones that already have a customer
    (a new customer needs a name). Returns the row ready to write, or the errors by field."""
    errors: dict[str, list[str]] = defaultdict(list)
    values = {name: _text(raw, name) for name in FIELDS if name not in ("received_at", "closed_at", "archived_at")}
    for name in REQUIRED:
        if raw.get(name) in (None, "") or (isinstance(raw.get(name), str) and not raw[name].strip()):
            errors[name].append(_("此项为必填项。"))

    times = {}
    for name in ("received_at", "closed_at", "archived_at"):
        try:
            times[name] = parse_time(raw.get(name))
        except ValueError:
            errors[name].append(_("无法识别的时间：%(value)s（请用 2026-03-10 09:30 这样的格式）") % {"value": raw.get(name)})
            times[name] = None
    now = clock.now()
    for name, value in times.items():
        if value and value > now:
            errors[name].append(_("时间不能晚于现在。"))
    if times["received_at"] and times["closed_at"] and times["closed_at"] < times["received_at"]:
        errors["closed_at"].append(_("结案时间不能早于受理时间。"))

    phone = ""
    if values["phone"]:
        try:
            phone = phone_clean(values["phone"])
        except ValidationFailed as error:
            errors["phone"].extend(error.errors.get("phone", [error.message]))
    if phone and not values["customer_name"] and (known_phones is None or phone not in known_phones):
        errors["customer_name"].append(_("新客户需要填写姓名。"))

    def choose(name: str, table: dict[str, str], default: str, message: str) -> str:
        given = values[name]
        if not given:
            return default
        found = table.get(given.lower())
        if not found:
            errors[name].append(message % {"value": given})
        return found or default

    status = values["status"] or Status.CLOSED
    if values["status"]:
        status = lookups.statuses.get(values["status"].lower())
        if status is None:
            errors["status"].append(_("未知的状态：%(value)s") % {"value": values["status"]})
        elif status == "":
            errors["status"].append(_("只能导入已结案或已归档的历史投诉：%(value)s") % {"value": values["status"]})
    channel = choose("channel", lookups.channels, Channel.OTHER, _("未知的渠道：%(value)s"))
    closure = choose("closure_reason", lookups.closure_reasons, "", _("未知的结案原因：%(value)s"))
    salutation = SALUTATIONS.get(values["salutation"].lower())
    if salutation is None:
        errors["salutation"].append(_("称呼只能是“先生”或“女士”：%(value)s") % {"value": values["salutation"]})

    category_id = department_id = None
    if values["category"]:
        category_id = lookups.categories.get(values["category"].lower())
        if category_id is None:
            errors["category"].append(_("未知的投诉类别：%(value)s") % {"value": values["category"]})
    if values["department"]:
        department_id = lookups.departments.get(values["department"].lower())
        if department_id is None:
            errors["department"].append(_("未知的责任部门：%(value)s") % {"value": values["department"]})

    satisfaction = None
    if values["satisfaction"]:
        try:
            satisfaction = int(values["satisfaction"])
        except ValueError:
            satisfaction = 0
        if not 1 <= satisfaction <= 5:
            errors["satisfaction"].append(_("满意度应为 1 到 5 的整数：%(value)s") % {"value": values["satisfaction"]})
    amount = Decimal(0)
    if values["compensation_amount"]:
        try:
            amount = Decimal(values["compensation_amount"])
            if amount < 0 or amount >= Decimal("100000000"):
                raise InvalidOperation
        except InvalidOperation:
            errors["compensation_amount"].append(_("补偿金额无效：%(value)s") % {"value": values["compensation_amount"]})

    limits = {"external_id": 64, "customer_name": 60, "address": 200, "subject": 200}
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name].append(_("不能超过%(n)s字。") % {"n": limit})
    if errors:
        return None, dict(errors)
    description = values["description"]
    subject = values["subject"] or description.splitlines()[0][:SUBJECT_FROM_TEXT]
    archived_at = times["archived_at"] or (times["closed_at"] if status == Status.ARCHIVED else None)
    return HistoricalComplaint(
        external_id=values["external_id"], received_at=times["received_at"], phone=phone,
        customer_name=values["customer_name"], salutation=salutation, address=values["address"], channel=channel,
        subject=subject, description=description, demand=values["demand"], category_id=category_id,
        department_id=department_id, status=status, closed_at=times["closed_at"],
        archived_at=archived_at if status == Status.ARCHIVED else None, satisfaction=satisfaction,
        closure_reason=closure, compensation_amount=amount,
    ), {}


def already_imported(external_ids: Iterable[str]) -> dict[str, str]:
    """external id → complaint number, for the ids that are already in the database."""
    found, ids = {}, list(external_ids)
    for start in range(0, len(ids), WRITE_CHUNK):
        chunk = ids[start:start + WRITE_CHUNK]
        found.update(Complaint.objects.filter(external_id__in=chunk).values_list("external_id", "number"))
    return found


class NumberBlocks:
    """投诉编号 in the usual form (TS + day of receipt + serial) for imported rows. Blocks of the
    per-day counters are reserved up front — one counter update per day, not per row — when the
    caller knows how many rows each day has (the check pass counts them); more are reserved if
    a day runs out."""

    def __init__(self, per_day: dict[str, int] | None = None):
        per_day = per_day or {}
        first = sequences.reserve_many({"complaint:" + day: n for day, n in per_day.items()})
        self._next: dict[str, int] = {day: first["complaint:" + day] for day in per_day if per_day[day]}
        self._left: dict[str, int] = {day: n for day, n in per_day.items() if n}

    @staticmethod
    def day_of(at: dt.datetime) -> str:
        return timezone.localtime(at).strftime("%Y%m%d")

    def _reserve(self, day: str, count: int) -> None:
        self._next[day] = sequences.reserve_many({"complaint:" + day: count})["complaint:" + day]
        self._left[day] = count

    def take(self, at: dt.datetime) -> str:
        day = self.day_of(at)
        if not self._left.get(day):
            self._reserve(day, 1)
        self._left[day] -= 1
        self._next[day] += 1
        return f"TS{day}{self._next[day] - 1:05d}"


def complaint_import_history(
    *, rows: Sequence[HistoricalComplaint], actor, source: str = "", numbers: NumberBlocks | None = None
) -> list[int]:
    """Write checked rows; returns the new complaints' ids. The importing user becomes the
    首问责任人 of record. Rows whose external id is already stored are left out (re-import).
    ``numbers`` shares reserved number blocks across the chunks of one file."""
    if actor.role not in IMPORT_ROLES:
        raise NotPermitted(_("只有管理员或经理可以导入历史投诉。"))
    stored = already_imported(r.external_id for r in rows)
    rows = [r for r in rows if r.external_id not in stored]
    if not rows:
        return []
    now = clock.now()
    with transaction.atomic():
        entries: dict[str, dict] = {}
        for r in rows:
            if r.phone not in entries or not entries[r.phone]["name"]:
                entries[r.phone] = {"name": r.customer_name, "salutation": r.salutation, "address": r.address}
        customers = customers_for_phones(entries=entries)
        if numbers is None:
            per_day: dict[str, int] = defaultdict(int)
            for r in rows:
                per_day[NumberBlocks.day_of(r.received_at)] += 1
            numbers = NumberBlocks(per_day)
        ids: list[int] = []
        complaint_defaults = _defaults(Complaint, now)
        for start in range(0, len(rows), WRITE_CHUNK):
            chunk = rows[start:start + WRITE_CHUNK]
            insert_rows(Complaint, [
                {**complaint_defaults,
                 "number": numbers.take(r.received_at), "external_id": r.external_id, "status": r.status,
                 "customer_id": customers[r.phone], "contact_phone": r.phone, "address": r.address,
                 "channel": r.channel, "received_at": r.received_at, "first_owner_id": actor.pk,
                 "subject": r.subject, "description": r.description, "demand": r.demand,
                 "category_id": r.category_id, "department_id": r.department_id, "satisfaction": r.satisfaction,
                 "closure_reason": r.closure_reason, "closed_at": r.closed_at, "archived_at": r.archived_at,
                 "compensation_amount": r.compensation_amount, "is_valid": True}
                for r in chunk
            ])
            created = dict(Complaint.objects.filter(external_id__in=[r.external_id for r in chunk])
                           .values_list("external_id", "id"))
            changes.complaints_added(created.values())
            events.write_many([
                events.imported(complaint_id=created[r.external_id], status=r.status, actor_id=actor.pk, now=now,
                                external_id=r.external_id, source=source, received_at=r.received_at,
                                closed_at=r.closed_at, archived_at=r.archived_at)
                for r in chunk
            ])
            ids.extend(created[r.external_id] for r in chunk)
    return ids


def _defaults(model, now: dt.datetime) -> dict:
    """Every column's default, so a set-based insert fills what the model would (times: now)."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        values[f.attname] = now if auto else f.get_default()
    return values
