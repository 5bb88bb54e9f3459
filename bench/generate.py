"""Data generator: millions of realistic complaints over several years, loaded with COPY (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/generate.py [--rows 10000000] [--years 4] [--events-per-complaint 10] \\
        [--seed 2026] [--database complaintdesk_bench_10m] [--fresh] [--keep-indexes] [--end 2026-11-23T10:00]

Creates the database (default ``complaintdesk_bench_10m``) on the server of ``DATABASE_URL``, runs
``migrate``, creates the organisation like ``setup_demo`` (departments, categories, demo users, plus
more agents and handlers), then generates in Python — precomputed pools, one ``random.Random(seed)``
— and streams COPY text rows, in time order, into complaints, timeline events, contact logs, visit
records and plan records (one connection per table, the five COPYs fed side by side from one pass),
then customers and their phones. Row builders are pure Python (:class:`Builder`): the tests run
them without a database.

Realism: texts are the committed review samples (``complaintdesk/demo/data/complaints.csv`` and
``complaintdesk/language/testdata/reviews/negative_reviews.csv``), subjects, categories, demands,
causes and plans chosen from them as the demo does; Chinese names, estate addresses
("锦绣花园7栋 1502": the area is the text before the first space), unique mainland mobiles; a
customer base where some customers complain again and again (repeats within the 30-day window are
linked: ``repeat_of`` = the first filing, ``repeat_count`` = filings before). Each complaint walks
the workflow (received → reviewed → first answer → dispatched → ticket accepted → plan (approval when
compensated) → receipt → receipt accepted → visit → closed → archived, with invalid, on-the-spot,
declined, no-contact, unsatisfied-second-round and stalled variants); the walk stops at ``--end``,
so the status, timestamps, breached flags, escalation and the timeline agree by construction.
Arrivals grow over the years with a weekly and hourly profile; the last 7 days run at
50,000/day (scaled with ``--rows``), so about 2% are still open.

FK checks are skipped during the load (``session_replication_role = replica``: the rows are
consistent by construction); secondary indexes and unique constraints of the loaded tables are
dropped before and rebuilt after (``--keep-indexes`` to compare), then ANALYZE. Sequences and the
daily number counters (``complaint:YYYYMMDD``) are set so the application can carry on from there.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "complaintdesk_bench_10m"
RESERVED_DBS = {"test", "complaintdesk_bench_reports", "postgres", "template0", "template1"}
TEXT_FILES = [
    ROOT / "complaintdesk" / "demo" / "data" / "complaints.csv",
    ROOT / "complaintdesk" / "language" / "testdata" / "reviews" / "negative_reviews.csv",
]
TZ_OFFSET = 8 * 3600  # Asia/Shanghai, no DST
HOUR, DAY = 3600, 86400
BUSY_DAYS, BUSY_PER_DAY_AT_10M = 7, 50_000
REPEAT_WINDOW = 30 * DAY
ARCHIVE_AFTER = 30 * DAY

# Tables loaded by COPY, in the order their rows are produced.
TABLES = {
    "complaints": "complaints_complaint",
    "events": "complaints_timelineevent",
    "contacts": "complaints_contactlog",
    "visits": "complaints_visitrecord",
    "plans": "complaints_planrecord",
    "customers": "customers_customer",
    "phones": "customers_customerphone",
}

SURNAMES = ("王" * 15 + "李" * 14 + "张" * 13 + "刘" * 10 + "陈" * 9 + "杨" * 6 + "黄" * 4 + "赵" * 4 + "吴" * 4
            + "周" * 4 + "徐徐徐孙孙孙马马马朱朱胡胡郭郭何何高高林林罗罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "志强", "文", "婷", "浩然", "子涵", "欣怡", "宇轩", "梓萱",
         "俊杰", "晓东", "海燕", "红梅", "国庆", "玉兰", "春梅", "立新", "丹", "鹏", "辉", "玲", "雪", "佳", "琳"]
ESTATE_A = ["阳光", "锦绣", "翠湖", "金色", "碧水", "世纪", "御景", "华府", "滨江", "南山", "紫荆", "桂园", "龙湾",
            "东方", "星河", "万科", "海德", "绿地", "天鹅", "君悦", "香榭", "丽都", "枫林", "明珠", "长岛"]
ESTATE_B = ["花园", "小区", "家园", "雅苑", "华庭", "新城", "公寓", "名邸", "湾"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
                   "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199"]
# Arrivals by hour of day (a service centre's phone line: mornings and early afternoons).
HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 5, 14, 40, 62, 66, 58, 40, 44, 58, 60, 55, 46, 30, 24, 20, 14, 8, 4]
WEEKDAY_WEIGHTS = [1.08, 1.05, 1.0, 1.0, 0.98, 0.82, 0.74]
CHANNELS = ["phone"] * 56 + ["online"] * 22 + ["visit"] * 10 + ["account_manager"] * 6 + ["letter"] * 4 + ["other"] * 2
EMOTIONS = ["calm"] * 35 + ["dissatisfied"] * 45 + ["angry"] * 16 + ["intense"] * 4
PRIORITIES = ["normal"] * 90 + ["high"] * 8 + ["urgent"] * 2
VISIT_METHODS = ["phone"] * 70 + ["online"] * 15 + ["on_site"] * 10 + ["intercom"] * 5
DIMENSIONS = ["tangibles", "empathy", "assurance", "responsiveness", "reliability"]
RESPONSIBILITY = ["我方责任", "我方与供应商共同责任", "供应商责任，由我方先行处理", "第三方责任，我方协调处理"]
CAUSE_DETAILS = {"service_attitude": ["disrespect", "irresponsible"], "service_quality": ["irresponsible", "disrespect"],
                 "repair_quality": ["irresponsible", "product"], "product_quality": ["product", "third_party"],
                 "facilities": ["product", "external", "irresponsible"], "business_policy": ["third_party", "irresponsible"],
                 "emergency": ["external", "third_party"], "other": ["product", "external"]}
CAUSE_TYPE = {"disrespect": "subjective", "irresponsible": "subjective", "product": "objective",
              "third_party": "objective", "external": "objective"}
CATEGORY_DIMENSION = {"service_attitude": "empathy", "service_quality": "responsiveness", "repair_quality": "reliability",
                      "product_quality": "reliability", "facilities": "tangibles", "business_policy": "assurance",
                      "emergency": "responsiveness", "other": "assurance"}
NULL = "\\N"


def copy_escape(text: str) -> str:
    """A value for COPY's text format (backslash, tab, newline and carriage return escaped)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def json_text(text: str) -> str:
    """A JSON string literal (already safe for COPY text once passed through :func:`copy_escape`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- pools -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One customer text and what the demo derives from it (subject, category, demand, cause, plan)."""

    subject: str  # COPY-escaped
    description: str  # COPY-escaped
    demand: str
    category: str  # category code
    cause_analysis: str
    plans_json: str  # JSON list of the two plan options
    plan0: str


def load_texts() -> list[Text]:
    """Every review in the committed samples, with the demo's keyword reading of it."""
    from complaintdesk.demo.management.commands.setup_demo import DATASET_CATEGORY, ITEM, issue_for

    texts, seen = [], set()
    for path in TEXT_FILES:
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                review = row["review"].lstrip("\ufeff").strip()
                if "label" in row and row["label"] != "0" or not review or review in seen:
                    continue
                seen.add(review)
                issue = issue_for(review, row["cat"])
                category = issue.category or DATASET_CATEGORY.get(row["cat"], "other")
                plans = "[" + ", ".join(json_text(p) for p in issue.plan) + "]"
                texts.append(Text(
                    subject=copy_escape(f"{ITEM.get(row['cat'], '')}{issue.subject}"[:200]),
                    description=copy_escape(review),
                    demand=copy_escape(issue.demand),
                    category=category,
                    cause_analysis=copy_escape(f"经核查，{issue.cause}。"),
                    plans_json=copy_escape(plans),
                    plan0=issue.plan[0],
                ))
    return texts


@dataclass
class Org:
    """Primary keys of the organisation the complaints refer to."""

    categories: dict[str, int]  # code -> id
    category_department: dict[str, int]  # code -> default department id
    agents: list[int]
    supervisors: list[int]
    managers: list[int]
    handlers: dict[int, list[int]]  # department id -> handler ids


def mobile(index: int) -> str:
    """A unique valid mainland mobile for ``index`` (< 50,000,000 per prefix family)."""
    prefix = MOBILE_PREFIXES[index % len(MOBILE_PREFIXES)]
    return f"{prefix}{(index // len(MOBILE_PREFIXES)) * 7919 % 100_000_000:08d}"


def mix(n: int) -> int:
    """A cheap deterministic hash (customer attributes follow from the customer's index)."""
    n = (n * 2654435761 + 0x9E3779B9) & 0xFFFFFFFF
    return (n ^ (n >> 15)) * 2246822519 & 0xFFFFFFFF


def customer_of(index: int) -> dict:
    """A customer's fixed attributes: name, salutation, estate address, room and phones."""
    h = mix(index)
    estate = ESTATE_A[h % len(ESTATE_A)] + ESTATE_B[(h >> 5) % len(ESTATE_B)]
    building = f"{(h >> 9) % 28 + 1}栋"
    room = f"{(h >> 14) % 32 + 1}{(h >> 20) % 4 + 1:02d}"
    phones = [mobile(index)]
    if h % 12 == 0:  # about 8% gave a second number
        phones.append(mobile(index + 50_000_000))
    return {
        "name": SURNAMES[(h >> 3) % len(SURNAMES)] + GIVEN[(h >> 11) % len(GIVEN)],
        "salutation": "mr" if (h >> 23) & 1 else "ms",
        "address": f"{estate}{building}",
        "room": room,
        "phones": phones,
    }


# -- time helpers -------------------------------------------------------------------------------------

_DAY_TEXT: dict[int, str] = {}


def day_text(day: int) -> str:
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
    return text


_TS_MINUTE: dict[int, str] = {}
_ISO_MINUTE: dict[int, str] = {}
_TS_SECOND = [f"{s:02d}+08" for s in range(60)]
_ISO_SECOND = [f'{s:02d}+08:00"' for s in range(60)]


def _minute(m: int) -> str:
    if len(_TS_MINUTE) > 1_000_000:
        _TS_MINUTE.clear()
        _ISO_MINUTE.clear()
    d, r = divmod(m * 60 + TZ_OFFSET, DAY)
    h, r = divmod(r, HOUR)
    text = _TS_MINUTE[m] = f"{day_text(d)} {h:02d}:{r // 60:02d}:"
    _ISO_MINUTE[m] = f'"{day_text(d)}T{h:02d}:{r // 60:02d}:'
    return text


def ts(t: int) -> str:
    """Epoch seconds as a COPY timestamptz in China time (the offset is whole hours: minutes cache)."""
    m, s = divmod(t, 60)
    prefix = _TS_MINUTE.get(m)
    if prefix is None:
        prefix = _minute(m)
    return prefix + _TS_SECOND[s]


def iso(t: int | None) -> str:
    """Epoch seconds as the JSON the timeline stores (``jsonable``: ISO 8601 string), or null."""
    if t is None:
        return "null"
    m, s = divmod(t, 60)
    prefix = _ISO_MINUTE.get(m)
    if prefix is None:
        _minute(m)
        prefix = _ISO_MINUTE[m]
    return prefix + _ISO_SECOND[s]


def local_day(t: int) -> int:
    return (t + TZ_OFFSET) // DAY


class Calendar:
    """Working days (the seeded calendar's holidays and 调休 when given; weekends otherwise)."""

    def __init__(self, first_day: int, last_day: int, overrides: dict[int, bool] | None = None):
        overrides = overrides or {}
        self.first = first_day
        days = range(first_day, last_day + 400)  # events after the end are built, then dropped
        working = [overrides.get(d, (d + 3) % 7 < 5) for d in days]  # 1970-01-01 was a Thursday
        self._after5 = array("i")
        self._next1 = array("i")
        for i in range(len(working) - 30):
            self._after5.append(self._add(working, i, 5) + first_day)
            self._next1.append(self._add(working, i, 1) + first_day)

    @staticmethod
    def _add(working: list[bool], i: int, n: int) -> int:
        while n:
            i += 1
            n -= working[i]
        return i

    def add_working_days(self, t: int, n: int = 5) -> int:
        d = local_day(t)
        return t + (self._after5[min(d - self.first, len(self._after5) - 1)] - d) * DAY

    def visit_due(self, t: int) -> int:
        """18:00 on the next working day (``sla.deadlines.visit_due``)."""
        d = self._next1[min(local_day(t) - self.first, len(self._next1) - 1)]
        return d * DAY - TZ_OFFSET + 18 * HOUR


# -- the row builder ----------------------------------------------------------------------------------


@dataclass
class Case:
    """One generated complaint: the values the tests check and the COPY lines it produced."""

    id: int
    number: str
    status: str
    received_at: int
    customer: int
    phone: str
    fields: dict
    events: list = field(default_factory=list)  # (type, at, from_status, to_status)


class Builder:
    """Generates complaints in time order, with their timeline, contacts, visits and plans.

    ``build_day`` returns the COPY text of one day's rows per table; ``keep_cases`` keeps
    :class:`Case` records for tests. Ids are assigned here (sequences are set after the load).
    """

    def __init__(self, *, rows: int, years: float, end: int, seed: int, org: Org, texts: list[Text],
                 calendar_overrides: dict[int, bool] | None = None, events_per_complaint: float = 10,
                 keep_cases: bool = False):
        self.rng = random.Random(seed)
        self.org, self.texts, self.end = org, texts, end
        self.extra_events = max(0.0, events_per_complaint - 10)  # notes and progress updates above the walk
        self.keep_cases = keep_cases
        self.complaint_suffix = ""  # the constant columns' values (see ``constant_columns``)
        self.cases: list[Case] = []
        self.days = self._plan_days(rows, years, end)
        self.calendar = Calendar(self.days[0][0], local_day(end) + 1, calendar_overrides)
        self.counts = {name: 0 for name in TABLES}
        self.next_id = {name: 1 for name in TABLES}
        self.day_counts: dict[str, int] = {}
        # Per customer (index = customer id - 1): first seen, and the last filing for repeats.
        self.c_created = array("I")
        self.c_last_at = array("I")
        self.c_last_root = array("i")
        self.c_last_count = array("H")
        self.c_last_text = array("i")
        self.recent = array("i", [0] * 100_000)  # ring of recent complaints' customers
        self.recent_n = 0
        self.new_customer_share = 0.55
        self.departments = sorted({d for d in org.category_department.values()})
        self.handler_of = {d: org.handlers.get(d) or org.agents for d in self.departments}

    # Arrivals: growth over the years, weekly and hourly profiles, a busy last week.
    @staticmethod
    def _plan_days(rows: int, years: float, end: int) -> list[tuple[int, int]]:
        last = local_day(end)
        total_days = max(int(years * 365), BUSY_DAYS + 1)
        first = last - total_days + 1
        busy = min(rows // 2, round(BUSY_PER_DAY_AT_10M * rows / 10_000_000) * BUSY_DAYS)
        spread = rows - busy
        weights = []
        for d in range(first, last - BUSY_DAYS + 1):
            growth = 0.7 + 0.6 * (d - first) / total_days
            weights.append(growth * WEEKDAY_WEIGHTS[(d + 3) % 7])
        scale = spread / sum(weights)
        days, carry = [], 0.0
        for i, w in enumerate(weights):
            carry += w * scale
            n = int(carry)
            carry -= n
            days.append((first + i, n))
        days[-1] = (days[-1][0], days[-1][1] + spread - sum(n for _, n in days))
        per_busy = busy // BUSY_DAYS
        for i, d in enumerate(range(last - BUSY_DAYS + 1, last + 1)):
            days.append((d, per_busy + (busy - per_busy * BUSY_DAYS if i == BUSY_DAYS - 1 else 0)))
        return days

    def _pick_customer(self, r: int) -> int:
        rng = self.rng
        seen = len(self.c_created)
        p = rng.random()
        if seen == 0 or p < self.new_customer_share:
            self.c_created.append(r)
            self.c_last_at.append(0)
            self.c_last_root.append(0)
            self.c_last_count.append(0)
            self.c_last_text.append(-1)
            return seen
        if p < 0.80 or self.recent_n == 0:
            # Regulars: a quarter of the customers file most of the returning complaints.
            return int(seen * rng.random() ** 2.2)
        # Back about a recent matter.
        return self.recent[rng.randrange(min(self.recent_n, len(self.recent)))]

    def build_day(self, day: int, count: int) -> dict[str, list[str]]:
        rng = self.rng
        out: dict[str, list[str]] = {name: [] for name in ("complaints", "events", "contacts", "visits", "plans")}
        start = day * DAY - TZ_OFFSET
        if start + DAY > self.end:  # the last day, up to the end of the period
            offsets = sorted(rng.randrange(max(1, self.end - start)) for _ in range(count))
        else:
            offsets = sorted(h * HOUR + rng.randrange(HOUR) for h in rng.choices(range(24), HOUR_WEIGHTS, k=count))
        stamp = day_text(day).replace("-", "")
        for seq, offset in enumerate(offsets, 1):
            self._complaint(out, f"TS{stamp}{seq:05d}", start + offset)
        if count:
            self.day_counts[stamp] = count
        return out

    def _event(self, out, cid, type_, at, from_status, to_status, actor, before="{}", after="{}", reason="",
               key=None, case=None):
        eid = self.next_id["events"]
        self.next_id["events"] = eid + 1
        out["events"].append(
            f"{eid}\t{cid}\t{type_}\t{NULL if actor is None else actor}\t{ts(at)}\t{from_status}\t{to_status}\t"
            f"{before}\t{after}\t{reason}\t{NULL if key is None else key}\n")
        if case is not None:
            case.events.append((type_, at, from_status, to_status))

    def _complaint(self, out, number: str, r: int) -> None:
        rng, org, end = self.rng, self.org, self.end
        cid = self.next_id["complaints"]
        self.next_id["complaints"] = cid + 1
        cust = self._pick_customer(r)
        self.recent[self.recent_n % len(self.recent)] = cust
        self.recent_n += 1
        info_h = mix(cust)
        phone = mobile(cust + 50_000_000) if info_h % 12 == 0 and rng.random() < 0.3 else mobile(cust)
        # Repeats: back within the window about the same matter.
        repeat_of, repeat_count = None, 0
        last_at = self.c_last_at[cust]
        if last_at and r - last_at < REPEAT_WINDOW and rng.random() < 0.7:
            repeat_of, repeat_count = self.c_last_root[cust], self.c_last_count[cust] + 1
            text_index = self.c_last_text[cust]
        else:
            text_index = rng.randrange(len(self.texts))
        text = self.texts[text_index]
        self.c_last_at[cust] = r
        self.c_last_root[cust] = repeat_of or cid
        self.c_last_count[cust] = min(repeat_count, 60000)
        self.c_last_text[cust] = text_index
        info = customer_of(cust)
        address = f"{info['address']} {info['room']}"

        agent = rng.choice(org.agents)
        supervisor = rng.choice(org.supervisors)
        category = text.category
        category_id = org.categories[category]
        department = org.category_department[category]
        handler = rng.choice(self.handler_of[department])
        priority = rng.choice(PRIORITIES) if repeat_count == 0 else ("high" if repeat_count == 1 else "urgent")
        emotion = rng.choice(EMOTIONS) if repeat_count == 0 else rng.choice(["angry", "angry", "intense"])
        cause_detail = rng.choice(CAUSE_DETAILS[category])
        channel = rng.choice(CHANNELS)
        f: dict = {
            "status": "received", "is_valid": None, "nature": "valid", "department": None, "handler": None,
            "dispatched_at": None, "first_answered_at": None, "implement_due_at": None, "implemented_at": None,
            "receipt_submitted_at": None, "receipt_accepted_at": None, "visit_due_at": None, "approved_by": None,
            "approved_at": None, "escalation_level": 0, "escalated_at": None, "visit_method": "",
            "satisfaction": None, "satisfaction_dimensions": "{}", "closure_reason": "", "closed_at": None,
            "archived_at": None, "resolved_by_first_owner": False, "handling_rounds": 1, "compensation": 0,
            "reworked": False, "handed_back": False,
            "chosen_plan": None, "updated_at": r, "next_callback_due_at": None, "callbacks_missed": 0,
        }
        first_due = r + 24 * HOUR
        case = Case(cid, number, "", r, cust + 1, phone, f) if self.keep_cases else None
        events = []  # (at, type, to_status, actor, before, after, reason, key, apply)
        plan_records = []

        def ev(at, type_, to_status=None, actor=None, before="{}", after="{}", reason="", key=None, apply=None):
            events.append((at, type_, to_status, actor, before, after, reason, key, apply))

        ev(r, "received", "received", agent, after=(
            f'{{"number": "{number}", "channel": "{channel}", "first_owner": {agent}, '
            f'"first_answer_due_at": {iso(first_due)}}}'))
        if repeat_of:
            ev(r + 1, "repeat_linked", None, None, after=f'{{"repeat_of": {repeat_of}, "repeat_count": {repeat_count}}}')
        kind = rng.random()
        t = r + int(rng.expovariate(1 / (40 * 60))) + 60
        stalled = rng.random() < 0.002  # stuck somewhere: the old open cases every centre has
        if kind < 0.04:  # not a valid complaint
            f_ = {"is_valid": False, "closure_reason": "invalid", "closed_at": t, "first_answered_at": t}
            ev(t, "reviewed_invalid", "closed", agent, '{"is_valid": null, "closed_at": null}',
               f'{{"is_valid": false, "closure_reason": "invalid", "closed_at": {iso(t)}}}',
               "经核实为正常使用损耗，不属于质量问题", apply=f_)
            ev(t + 60, "contact_logged", None, agent, '{}', '{"kind": "invalid_explained"}',
               "已向客户说明判定依据，客户表示理解", apply={"contact": ("invalid_explained", None)})
            closed = t
        elif kind < 0.13:  # solved on the spot, confirmed by the customer
            f_ = {"closure_reason": "exempt_on_spot", "closed_at": t, "first_answered_at": t,
                  "resolved_by_first_owner": True, "is_valid": True}
            ev(t, "resolved_on_spot", "closed", agent, '{"closed_at": null, "closure_reason": ""}',
               f'{{"closed_at": {iso(t)}, "closure_reason": "exempt_on_spot", "resolved_by_first_owner": true}}',
               "电话中指导客户处理后恢复正常，客户确认满意", apply=f_)
            closed = t
        else:
            closed = self._walk(ev, plan_records, f, r, t, first_due, agent, supervisor, handler, department,
                                text, stalled)
        if closed is not None:
            archive = closed + ARCHIVE_AFTER + rng.randrange(2 * DAY)
            ev(archive, "archived", "archived", supervisor, '{"archived_at": null}', f'{{"archived_at": {iso(archive)}}}',
               apply={"archived_at": archive})
        for _ in range(int(self.extra_events) + (rng.random() < self.extra_events % 1)):
            ev(r + rng.randrange(3 * DAY), "note_added", None, agent, reason="已电话跟进，客户情绪稳定")

        # Walk the timeline up to the end of the generated period: what happened by then is the state.
        events.sort(key=lambda e: e[0])
        status = "received"
        contacts, visits = out["contacts"], out["visits"]
        for at, type_, to_status, actor, before, after, reason, key, apply in events:
            if at > end:
                break
            target = to_status or status
            self._event(out, cid, type_, at, "" if type_ == "received" else status, target, actor, before, after,
                        reason, key, case)
            status = target
            f["updated_at"] = at
            if apply:
                contact = apply.pop("contact", None)
                visit = apply.pop("visit", None)
                if "escalation_level" in apply and apply["escalation_level"] < f["escalation_level"]:
                    apply.pop("escalation_level")
                    apply.pop("escalated_at", None)
                f.update(apply)
                if contact:
                    ckind, promised = contact
                    self._row(contacts, "contacts", f"{cid}\t{ckind}\t{reason}\t{NULL if promised is None else ts(promised)}"
                              f"\t{actor}\t{ts(at)}\n")
                    if promised is not None:
                        f["next_callback_due_at"] = promised
                if visit:
                    visits.append(visit)
        f["status"] = status
        for record, at in plan_records:
            if at <= end:
                out["plans"].append(record)

        # Flags the sweeps would have set by the end of the period.
        answered = f["first_answered_at"]
        f["first_answer_breached"] = (answered if answered is not None else end) > first_due
        due = f["implement_due_at"]
        f["implement_breached"] = due is not None and (f["implemented_at"] or end) > due
        if case is not None:
            case.status = status
            case.fields.update(repeat_of=repeat_of, repeat_count=repeat_count, first_answer_due_at=first_due,
                               address=address, category_id=category_id)
            self.cases.append(case)

        def t_(name):
            v = f[name]
            return NULL if v is None else ts(v)

        def i_(name):
            v = f[name]
            return NULL if v is None else str(v)

        valid = f["is_valid"]
        comp = f["compensation"]
        handled = f["dispatched_at"] is not None
        out["complaints"].append("\t".join((
            str(cid), number, status, str(cust + 1), phone, address, channel, ts(r), str(agent), text.subject,
            text.description, text.demand, emotion, NULL if valid is None else ("t" if valid else "f"),
            str(category_id), CATEGORY_DIMENSION[category], CAUSE_TYPE[cause_detail] if handled else "",
            cause_detail if handled else "", priority, "high" if emotion == "intense" or repeat_count > 1 else
            ("medium" if emotion == "angry" else "low"), i_("department"), i_("handler"), t_("dispatched_at"),
            text.cause_analysis if f["chosen_plan"] is not None else "",
            text.plans_json if f["chosen_plan"] is not None else "[]", i_("chosen_plan"), f"{comp}.00",
            "赠送代金券" if comp else "", i_("approved_by"), t_("approved_at"),
            "同意，尽快落实" if f["approved_at"] is not None else "",
            f"已按选定方案{text.plan0}，并复查确认正常。" if f["receipt_submitted_at"] is not None else "",
            t_("receipt_submitted_at"), t_("receipt_accepted_at"), str(f["handling_rounds"]), ts(first_due),
            t_("first_answered_at"), t_("implement_due_at"), t_("implemented_at"), t_("next_callback_due_at"),
            str(f["callbacks_missed"]), t_("visit_due_at"), "t" if f["first_answer_breached"] else "f",
            "t" if f["implement_breached"] else "f", str(f["escalation_level"]), t_("escalated_at"),
            NULL if repeat_of is None else str(repeat_of), str(repeat_count), f["visit_method"], i_("satisfaction"),
            f["satisfaction_dimensions"], f["closure_reason"], t_("closed_at"), t_("archived_at"),
            "t" if f["resolved_by_first_owner"] else "f", "t" if f["reworked"] else "f",
            "t" if f["handed_back"] else "f", ts(r), ts(f["updated_at"]),
        )) + self.complaint_suffix + "\n")
        self.counts["complaints"] += 1

    COMPLAINT_COLUMNS = (
        "id", "number", "status", "customer_id", "contact_phone", "address", "channel", "received_at", "first_owner_id",
        "subject", "description", "demand", "emotion", "is_valid", "category_id", "dimension", "cause_type",
        "cause_detail", "priority", "escalation_risk", "department_id", "handler_id", "dispatched_at",
        "cause_analysis", "plan_options", "chosen_plan", "compensation_amount", "compensation_description",
        "approved_by_id", "approved_at", "approval_comment", "receipt_text", "receipt_submitted_at",
        "receipt_accepted_at", "handling_rounds", "first_answer_due_at", "first_answered_at", "implement_due_at",
        "implemented_at", "next_callback_due_at", "callbacks_missed", "visit_due_at", "first_answer_breached",
        "implement_breached", "escalation_level", "escalated_at", "repeat_of_id", "repeat_count", "visit_method",
        "satisfaction", "satisfaction_dimensions", "closure_reason", "closed_at", "archived_at",
        "resolved_by_first_owner", "reworked", "handed_back", "created_at", "updated_at",
    )
    EVENT_COLUMNS = ("id", "complaint_id", "type", "actor_id", "created_at", "from_status", "to_status", "before",
                     "after", "reason", "idempotency_key")
    CONTACT_COLUMNS = ("id", "complaint_id", "kind", "note", "promised_for", "by_id", "at")
    VISIT_COLUMNS = ("id", "complaint_id", "round", "attempt", "method", "outcome", "satisfaction", "dimensions",
                     "answers", "notes", "by_id", "at")
    PLAN_COLUMNS = ("id", "complaint_id", "round", "options", "chosen_plan", "cause_analysis", "responsibility",
                    "compensation_amount", "compensation_description", "exceeds_authority", "submitted_by_id",
                    "submitted_at", "decision", "decided_by_id", "decided_at", "comment", "implemented_at")
    CUSTOMER_COLUMNS = ("id", "name", "salutation", "address", "room", "preferred_language", "notes", "created_at")
    PHONE_COLUMNS = ("id", "customer_id", "number", "is_primary")

    def _row(self, lines: list[str], table: str, tail: str) -> int:
        """Append a row with the next id of ``table`` (``tail``: the columns after the id)."""
        new_id = self.next_id[table]
        self.next_id[table] = new_id + 1
        lines.append(f"{new_id}\t{tail}")
        return new_id

    def _walk(self, ev, plan_records, f, r, t, first_due, agent, supervisor, handler, department, text, stalled):
        """A valid complaint through dispatch, plan, receipt, visit and closure; returns the closing time."""
        rng, cal = self.rng, self.calendar
        cid = self.next_id["complaints"] - 1
        ev(t, "reviewed_valid", "accepted", agent, '{"is_valid": null}', '{"is_valid": true}', apply={"is_valid": True})
        if stalled and rng.random() < 0.2:
            return None
        # First answer to the customer: usually within hours, a few after the 24-hour limit.
        answered = r + int(rng.lognormvariate(math.log(3 * HOUR), 1.2))
        answered = max(answered, t + 30)
        ev(answered, "contact_logged", None, agent, '{"first_answered_at": null}',
           f'{{"first_answered_at": {iso(answered)}, "kind": "first_answer"}}',
           "您好，您反映的问题已受理并转责任部门处理，我们会在5个工作日内给您答复。",
           apply={"first_answered_at": answered, "contact": ("first_answer", None)})
        if answered > first_due:
            ev(first_due - 4 * HOUR, "deadline_warning", None, None, after=(
                f'{{"deadline": "first_answer", "due_at": {iso(first_due)}, "source": "sweep"}}'),
                key=f"sla:{cid}:first_answer:warning")
            ev(first_due + 60 + rng.randrange(600), "deadline_breached", None, None,
               '{"first_answer_breached": false}',
               f'{{"deadline": "first_answer", "due_at": {iso(first_due)}, "source": "sweep", '
               f'"first_answer_breached": true}}', key=f"sla:{cid}:first_answer:breach")
        t += int(rng.expovariate(1 / (1.5 * HOUR))) + 120
        due = cal.add_working_days(t, 5)
        ev(t, "dispatched", "dispatched", agent,
           '{"department": null, "handler": null, "escalation_level": 0}',
           f'{{"department": {department}, "handler": {handler}, "escalation_level": 1, '
           f'"implement_due_at": {iso(due)}}}',
           apply={"department": department, "handler": handler, "dispatched_at": t, "implement_due_at": due,
                  "escalation_level": 1})
        if stalled and rng.random() < 0.3:
            return None
        t += int(rng.expovariate(1 / (2 * HOUR))) + 300
        ev(t, "ticket_accepted", "handling", handler, f'{{"handler": {handler}}}', f'{{"handler": {handler}}}')
        if rng.random() < 0.3:
            promised = t + DAY
            ev(t + 600, "contact_logged", None, handler, '{"next_callback_due_at": null}',
               f'{{"next_callback_due_at": {iso(promised)}, "kind": "callback_promised"}}', "明天上午给您回电告知进展",
               apply={"contact": ("callback_promised", promised)})
            ev(promised - rng.randrange(2 * HOUR), "contact_logged", None, handler, '{}',
               '{"kind": "callback_done"}', "按约回电，告知处理进展",
               apply={"contact": ("callback_done", None), "next_callback_due_at": None})
        done = None
        for round_ in (1, 2):
            t += int(rng.expovariate(1 / (10 * HOUR))) + 1800
            compensation = rng.choice((50, 100, 200, 300, 500)) if rng.random() < 0.06 else 0
            needs_approval = compensation > 0
            plan_id = self.next_id["plans"]
            self.next_id["plans"] += 1
            ev(t, "plan_submitted", "pending_approval" if needs_approval else "implementing", handler,
               '{"chosen_plan": null, "compensation_amount": "0.00"}',
               f'{{"chosen_plan": 0, "compensation_amount": "{compensation}.00", "needs_approval": '
               f'{"true" if needs_approval else "false"}, "plan": {plan_id}, "repeats_plan": null}}',
               apply={"chosen_plan": 0, "compensation": compensation, "handling_rounds": round_})
            decided = None
            if needs_approval:
                decided = t + int(rng.expovariate(1 / (6 * HOUR))) + 600
                ev(decided, "plan_approved", "implementing", supervisor, '{"approval_comment": ""}',
                   f'{{"approval_comment": "同意，尽快落实", "plan": {plan_id}}}', "同意，尽快落实",
                   apply={"approved_by": supervisor, "approved_at": decided})
            if stalled:
                plan_records.append((self._plan(plan_id, cid, round_, text, compensation, handler, t, supervisor,
                                                decided, None), t))
                return None
            # Implementation: most within the five working days, some late (escalated by the sweep).
            implemented = (decided or t) + int(rng.lognormvariate(math.log(1.2 * DAY), 0.9))
            if implemented > due and round_ == 1:
                ev(due - DAY, "deadline_warning", None, None,
                   after=f'{{"deadline": "implement", "due_at": {iso(due)}, "source": "sweep"}}',
                   key=f"sla:{cid}:implement:warning")
                ev(due + 60 + rng.randrange(600), "deadline_breached", None, None,
                   '{"escalation_level": 1, "implement_breached": false}',
                   f'{{"deadline": "implement", "due_at": {iso(due)}, "escalation_level": 2, "source": "sweep", '
                   f'"implement_breached": true}}', key=f"sla:{cid}:implement:breach",
                   apply={"escalation_level": 2, "escalated_at": due + 60})
            if rng.random() < 0.25:
                at = t + (implemented - t) // 2
                ev(at, "contact_logged", None, handler, '{}', '{"kind": "progress_update"}', "已告知客户处理进展",
                   apply={"contact": ("progress_update", None)})
            if rng.random() < 0.01:
                at = t + (implemented - t) // 3
                ev(at, "escalated", None, supervisor, '{"escalation_level": 2}', '{"escalation_level": 3}',
                   "客户情绪激烈，上报管理层", apply={"escalation_level": 3, "escalated_at": at})
            plan_records.append((self._plan(plan_id, cid, round_, text, compensation, handler, t, supervisor,
                                            decided, implemented), t))
            ev(implemented, "receipt_submitted", "receipt_submitted", handler,
               '{"receipt_submitted_at": null, "implemented_at": null}',
               f'{{"receipt_submitted_at": {iso(implemented)}, "implemented_at": {iso(implemented)}}}',
               apply={"receipt_submitted_at": implemented, "implemented_at": implemented})
            accepted = implemented + int(rng.expovariate(1 / (4 * HOUR))) + 300
            visit_due = cal.visit_due(accepted)
            ev(accepted, "receipt_accepted", "awaiting_visit", agent,
               '{"receipt_accepted_at": null, "visit_due_at": null}',
               f'{{"receipt_accepted_at": {iso(accepted)}, "visit_due_at": {iso(visit_due)}}}',
               apply={"receipt_accepted_at": accepted, "visit_due_at": visit_due})
            t = accepted + int(rng.expovariate(1 / (14 * HOUR))) + 600
            p = rng.random()
            method = rng.choice(VISIT_METHODS)
            if p < 0.04 and round_ == 1:  # not satisfied: 重新上移, a second round
                vid, visit = self._visit(cid, round_, method, "unsatisfied", rng.choice((1, 2)), agent, t)
                ev(t, "returned_to_department", "handling", agent, '{"receipt_accepted_at": null}',
                   f'{{"outcome": "unsatisfied", "handling_rounds": 2, "visit": {vid}}}',
                   "客户对处理结果不满意", apply={"visit": visit, "handling_rounds": 2, "reworked": True})
                continue
            if p < 0.08:
                note = "多次联系客户未接通"
                ev(t, "closed", "closed", agent, '{"closure_reason": "", "closed_at": null}',
                   f'{{"closure_reason": "exempt_no_contact", "closed_at": {iso(t)}}}', note,
                   apply={"closure_reason": "exempt_no_contact", "closed_at": t})
            elif p < 0.16:
                vid, visit = self._visit(cid, round_, method, "declined", None, agent, t)
                ev(t, "visited", "closed", agent, '{"visit_method": "", "closed_at": null, "closure_reason": ""}',
                   f'{{"visit_method": "{method}", "closed_at": {iso(t)}, "closure_reason": "declined", '
                   f'"outcome": "declined", "visit": {vid}}}', "客户表示不需要回访",
                   apply={"visit": visit, "visit_method": method, "closed_at": t, "closure_reason": "declined"})
            else:
                score = rng.choice((3, 4, 4, 5, 5, 5, 5))
                dims = rng.sample(DIMENSIONS, 2)
                dimensions = f'{{"{dims[0]}": {min(5, score + rng.randrange(2))}, "{dims[1]}": {score}}}'
                vid, visit = self._visit(cid, round_, method, "satisfied", score, agent, t, dimensions, text.plan0)
                ev(t, "visited", "closed", agent,
                   '{"visit_method": "", "satisfaction": null, "closed_at": null, "closure_reason": ""}',
                   f'{{"visit_method": "{method}", "satisfaction": {score}, "closed_at": {iso(t)}, '
                   f'"closure_reason": "satisfied", "outcome": "satisfied", "visit": {vid}}}',
                   apply={"visit": visit, "visit_method": method, "satisfaction": score, "closed_at": t,
                          "closure_reason": "satisfied", "satisfaction_dimensions": dimensions})
            done = t
            break
        return done

    def _visit(self, cid, round_, method, outcome, score, by, at, dimensions="{}", plan0="") -> tuple[int, str]:
        """A visit record's id and COPY line (written only if the visit happened by the end)."""
        answers = ('{"process": "处理及时", "measures": ' + json_text(plan0) + ', "result": "问题已解决"}'
                   if outcome == "satisfied" else "{}")
        vid = self.next_id["visits"]
        self.next_id["visits"] = vid + 1
        return vid, (f"{vid}\t{cid}\t{round_}\t1\t{method}\t{outcome}\t{NULL if score is None else score}\t{dimensions}\t"
                f"{copy_escape(answers)}\t\t{by}\t{ts(at)}\n")

    def _plan(self, plan_id, cid, round_, text, compensation, handler, at, supervisor, decided, implemented) -> str:
        return (f"{plan_id}\t{cid}\t{round_}\t{text.plans_json}\t0\t{text.cause_analysis}\t{self.rng.choice(RESPONSIBILITY)}\t"
                f"{compensation}.00\t{'赠送代金券' if compensation else ''}\t{'t' if compensation >= 300 else 'f'}\t"
                f"{handler}\t{ts(at)}\t{'approved' if decided else 'not_needed'}\t"
                f"{supervisor if decided else NULL}\t{ts(decided) if decided else NULL}\t"
                f"{'同意，尽快落实' if decided else ''}\t{ts(implemented) if implemented and implemented <= self.end else NULL}\n")

    def customer_lines(self) -> tuple[list[str], list[str]]:
        """The customers met while building, and their phones (call after the complaints)."""
        customers, phones = [], []
        phone_id = 0
        for index, created in enumerate(self.c_created):
            info = customer_of(index)
            customers.append(f"{index + 1}\t{info['name']}\t{info['salutation']}\t{info['address']}\t{info['room']}"
                             f"\t普通话\t\t{ts(created)}\n")
            for position, number in enumerate(info["phones"]):
                phone_id += 1
                phones.append(f"{phone_id}\t{index + 1}\t{number}\t{'t' if position == 0 else 'f'}\n")
        return customers, phones


# -- the database side ----------------------------------------------------------------------------------


def copy_default(field) -> str:
    """A column's Django default as COPY text (COPY applies no Django defaults)."""
    import json

    from django.db import models

    default = field.get_default()
    if isinstance(field, models.JSONField):
        return copy_escape(json.dumps(default))
    if isinstance(field, models.BooleanField):
        return NULL if default is None and field.null else ("t" if default else "f")
    if default is None or default == "":
        return NULL if field.null else ""
    return copy_escape(str(default))


def constant_columns(model, generated: tuple[str, ...]) -> tuple[list[str], str]:
    """The model's columns the builder leaves out, and the COPY text suffix with their defaults."""
    fields = [f for f in model._meta.concrete_fields if f.column not in generated]
    return [f.column for f in fields], "".join("\t" + copy_default(f) for f in fields)


def server_url(database: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://… (the generator loads PostgreSQL)")
    return urlunparse(urlparse(url)._replace(path=f"/{database}"))


def prepare_database(database: str, fresh: bool) -> str:
    import psycopg

    if database in RESERVED_DBS:
        sys.exit(f"refusing to load into {database!r} (reserved for CI, other benchmarks or the server)")
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server_url(database)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.local"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_org() -> Org:
    """Departments, categories and demo users as ``setup_demo`` makes them, plus more staff."""
    from django.contrib.auth.hashers import make_password

    from complaintdesk.complaints.models import Category
    from complaintdesk.demo.management.commands.setup_demo import Command
    from complaintdesk.org.models import Role, User

    demo = Command()
    departments = demo._departments()
    demo._users(departments)
    demo._categories(departments)
    if not User.objects.filter(username__startswith="gen_").exists():
        password = make_password(None)
        staff = [(f"gen_agent{i}", Role.AGENT, "service") for i in range(1, 41)]
        staff += [(f"gen_supervisor{i}", Role.SUPERVISOR, "service") for i in range(1, 4)]
        for code in ("engineering", "security", "aftersales", "finance"):
            staff += [(f"gen_{code}{i}", Role.HANDLER, code) for i in range(1, 9)]
        User.objects.bulk_create([
            User(username=name, role=role, department=departments[code], password=password,
                 display_name=SURNAMES[mix(i) % len(SURNAMES)] + GIVEN[mix(i + 7) % len(GIVEN)])
            for i, (name, role, code) in enumerate(staff)
        ])
    users = list(User.objects.values_list("pk", "role", "department_id"))
    handlers: dict[int, list[int]] = {}
    for pk, role, department in users:
        if role == Role.HANDLER:
            handlers.setdefault(department, []).append(pk)
    categories = list(Category.objects.values_list("code", "pk", "default_department_id"))
    return Org(
        categories={code: pk for code, pk, _ in categories},
        category_department={code: dept for code, _, dept in categories},
        agents=[pk for pk, role, _ in users if role == Role.AGENT],
        supervisors=[pk for pk, role, _ in users if role == Role.SUPERVISOR],
        managers=[pk for pk, role, _ in users if role == Role.MANAGER],
        handlers=handlers,
    )


def calendar_overrides() -> dict[int, bool]:
    """The seeded State Council calendar (holidays, 调休) by epoch day."""
    from django.core.management import call_command

    from complaintdesk.sla.models import CalendarDay

    call_command("seed_calendar", verbosity=0)
    epoch = dt.date(1970, 1, 1)
    return {(d - epoch).days: w for d, w in CalendarDay.objects.values_list("date", "is_working_day")}


def secondary_indexes(conn, table: str) -> list[tuple[str, str, str]]:
    """(name, kind, definition) of the table's non-primary indexes; kind 'u' = unique constraint."""
    return conn.execute(
        "SELECT ci.relname, COALESCE(c.contype, 'i'), COALESCE(pg_get_constraintdef(c.oid), pg_get_indexdef(i.indexrelid)) "
        "FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u' "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY ci.relname", [table]).fetchall()


def drop_indexes(conn, tables: list[str]) -> dict[str, list]:
    saved = {}
    for table in tables:
        saved[table] = secondary_indexes(conn, table)
        for name, kind, _ in saved[table]:
            if kind == "u":
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            else:
                conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    return saved


def create_indexes(conn, saved: dict[str, list], timings: dict) -> None:
    conn.execute("SET maintenance_work_mem = '1GB'")
    for table, indexes in saved.items():
        started = time.perf_counter()
        for name, kind, definition in indexes:
            if kind == "u":
                conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            else:
                conn.execute(definition)
            conn.commit()
        if indexes:
            timings[f"indexes {table}"] = time.perf_counter() - started
            print(f"  indexes of {table}: {len(indexes)} in {timings[f'indexes {table}']:.0f} s", flush=True)


class Loader:
    """One connection and one open COPY per table; rows are written as COPY text."""

    def __init__(self, url: str, columns: dict[str, tuple[str, ...]]):
        import psycopg
        from psycopg.copy import QueuedLibpqWriter

        self.conns, self.copies, self.contexts = {}, {}, []
        for name, cols in columns.items():
            conn = psycopg.connect(url)
            conn.execute("SET session_replication_role = replica")  # no FK triggers: consistent by construction
            conn.execute("SET synchronous_commit = off")
            cursor = conn.cursor()
            context = cursor.copy(f"COPY {TABLES[name]} ({', '.join(cols)}) FROM STDIN",
                                  writer=QueuedLibpqWriter(cursor))
            self.copies[name] = context.__enter__()
            self.contexts.append(context)
            self.conns[name] = conn

    def write(self, name: str, lines: list[str]) -> None:
        if lines:
            self.copies[name].write("".join(lines))

    def finish(self) -> None:
        for context in self.contexts:
            context.__exit__(None, None, None)
        for conn in self.conns.values():
            conn.commit()
            conn.close()


def free_gb(path: str = "/work") -> float:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--years", type=float, default=4)
    parser.add_argument("--events-per-complaint", type=float, default=10,
                        help="about 10 follow from the workflow; more adds notes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--end", default="", help="end of the period, China time (default: now)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--keep-indexes", action="store_true", help="load with every index in place")
    parser.add_argument("--min-free-gb", type=float, default=15, help="stop when the disk gets this full")
    args = parser.parse_args()

    started = time.perf_counter()
    timings: dict[str, float] = {}
    url = prepare_database(args.database, args.fresh)
    setup_django(url)
    from django.db import connection

    from complaintdesk.complaints.models import Complaint
    from complaintdesk.core.models import Counter

    if Complaint.objects.exists():
        sys.exit(f"{args.database} already has complaints: pass --fresh to start over")
    org = create_org()
    texts = load_texts()
    tz = dt.timezone(dt.timedelta(hours=8))
    end_dt = dt.datetime.fromisoformat(args.end).replace(tzinfo=tz) if args.end else dt.datetime.now(tz)
    end = int(end_dt.timestamp())
    builder = Builder(rows=args.rows, years=args.years, end=end, seed=args.seed, org=org, texts=texts,
                      calendar_overrides=calendar_overrides(), events_per_complaint=args.events_per_complaint)
    extra, builder.complaint_suffix = constant_columns(Complaint, Builder.COMPLAINT_COLUMNS)
    columns = {"complaints": (*Builder.COMPLAINT_COLUMNS, *extra), "events": Builder.EVENT_COLUMNS,
               "contacts": Builder.CONTACT_COLUMNS, "visits": Builder.VISIT_COLUMNS, "plans": Builder.PLAN_COLUMNS}
    timings["setup (database, migrate, organisation)"] = time.perf_counter() - started
    print(f"{args.rows:,} complaints, {args.years} years to {end_dt:%Y-%m-%d %H:%M}, {len(texts)} texts, "
          f"{len(org.agents)} agents; free disk {free_gb():.0f} GB", flush=True)

    pg = connection.connection  # the Django connection's psycopg connection, for DDL and figures
    saved = {} if args.keep_indexes else drop_indexes(connection.connection, list(TABLES.values()))
    pass_started = time.perf_counter()
    loader = Loader(url, columns)
    done, last_report, chunk = 0, pass_started, {name: [] for name in columns}
    for day, count in builder.days:
        out = builder.build_day(day, count)
        for name, lines in out.items():
            chunk[name].extend(lines)
        done += count
        if len(chunk["complaints"]) >= 20_000:
            for name in columns:
                loader.write(name, chunk[name])
                chunk[name] = []
            now = time.perf_counter()
            if now - last_report > 15:
                last_report = now
                rate = done / (now - pass_started)
                print(f"  {done:>11,} complaints ({done / args.rows:.0%}), {builder.next_id['events'] - 1:,} events, "
                      f"{rate:,.0f} complaints/s, ETA {(args.rows - done) / rate:.0f} s, "
                      f"free {free_gb():.0f} GB", flush=True)
                if free_gb() < args.min_free_gb:
                    sys.exit(f"stopping: under {args.min_free_gb} GB free")
    for name in columns:
        loader.write(name, chunk[name])
    loader.finish()
    pass_seconds = time.perf_counter() - pass_started
    timings["complaints + timeline + contacts + visits + plans (one pass)"] = pass_seconds
    counts = {name: 0 for name in TABLES}

    started_customers = time.perf_counter()
    customers, phones = builder.customer_lines()
    loader = Loader(url, {"customers": Builder.CUSTOMER_COLUMNS, "phones": Builder.PHONE_COLUMNS})
    for name, lines in (("customers", customers), ("phones", phones)):
        for i in range(0, len(lines), 50_000):
            loader.write(name, lines[i:i + 50_000])
    loader.finish()
    timings["customers + phones"] = time.perf_counter() - started_customers
    del customers, phones

    with connection.cursor() as cursor:
        for name, table in TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[name] = cursor.fetchone()[0]
        print(f"loaded in {pass_seconds + timings['customers + phones']:.0f} s:", flush=True)
        for name, table in TABLES.items():
            seconds = pass_seconds if name not in {"customers", "phones"} else timings["customers + phones"]
            print(f"  {table:<28} {counts[name]:>13,} rows  {counts[name] / seconds:>10,.0f} rows/s", flush=True)
        started_idx = time.perf_counter()
        create_indexes(pg, saved, timings)
        if saved:
            timings["secondary indexes (rebuilt)"] = time.perf_counter() - started_idx
        for table in TABLES.values():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"GREATEST((SELECT max(id) FROM {table}), 1))")
    Counter.objects.bulk_create([Counter(name=f"complaint:{day}", value=n) for day, n in builder.day_counts.items()],
                                update_conflicts=True, unique_fields=["name"], update_fields=["value"],
                                batch_size=5000)
    started_analyze = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        timings["ANALYZE"] = time.perf_counter() - started_analyze
    # The rows went in by COPY, behind the writers: count them into the reports' running tallies.
    started_tally = time.perf_counter()
    from complaintdesk.reports import tally

    print(f"  running tallies: {tally.rebuild():,} rows", flush=True)
    timings["reports' running tallies (reports.tally.rebuild)"] = time.perf_counter() - started_tally
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM complaints_complaint GROUP BY 1 ORDER BY 2 DESC")
        statuses = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), pg_database_size(current_database())")
        size_text, size = cursor.fetchone()
        sizes = {}
        for table in TABLES.values():
            cursor.execute("SELECT pg_table_size(%s), pg_indexes_size(%s)", [table, table])
            sizes[table] = cursor.fetchone()
    total = time.perf_counter() - started
    print("\nsummary", flush=True)
    for name, seconds in timings.items():
        print(f"  {name:<62} {seconds:>7.0f} s")
    print(f"  {'total':<62} {total:>7.0f} s")
    print("  status: " + ", ".join(f"{s} {n / counts['complaints']:.1%}" for s, n in statuses))
    print(f"  events per complaint: {counts['events'] / counts['complaints']:.1f}; customers: {counts['customers']:,} "
          f"({counts['complaints'] / max(counts['customers'], 1):.2f} complaints each)")
    for table, (heap, index) in sizes.items():
        print(f"  {table:<28} table {heap / 1e9:6.2f} GB, indexes {index / 1e9:6.2f} GB")
    print(f"  database {args.database}: {size_text} ({size / 1e9:.1f} GB); free disk {free_gb():.0f} GB", flush=True)


if __name__ == "__main__":
    main()
