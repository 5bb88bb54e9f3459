"""Benchmark: the improvement figures over many complaints (PostgreSQL).

    .venv/bin/python bench/improvement.py [--rows 1000000] [--runs 5]

Creates (once) a separate database ``complaintdesk_bench_improvement`` on the server of
``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/test), fills it with ``INSERT …
SELECT generate_series`` — complaints spread over two years, 10 categories, 5 departments,
50 estates × 20 buildings, 8 complaint texts, a cause on two in three — and times, several runs
each: the recurring problems of the last 30 days (``recurring_problem_list``), the top causes by
category and by department over a year, the weekly cause trend over a year, and the corrective
action counts. Prints the figures (median and worst, ms) and writes ``var/bench_improvement.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "complaintdesk_bench_improvement"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
TEXTS = [
    "电梯又坏了，困在里面半小时", "电梯停运两天没人来修", "楼上漏水，天花板都湿了", "卫生间渗水到楼下",
    "物业费多收了两百元", "门禁刷卡失灵进不了门", "晚上施工噪音太吵睡不着", "垃圾好几天没人清理",
]
DEFAULTS = {"character varying": "''", "text": "''", "jsonb": "'{}'", "boolean": "false", "smallint": "0",
            "integer": "0", "bigint": "0", "numeric": "0"}


def prepare_database(url: str) -> str:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.local")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(rows: int) -> dict:
    from django.db import connection

    from complaintdesk.complaints.models import Category
    from complaintdesk.customers.models import Customer
    from complaintdesk.org.models import Department, DepartmentKind, Role, User

    service, _ = Department.objects.get_or_create(
        code="bench-service", defaults={"name": "基准客服中心", "kind": DepartmentKind.SERVICE_CENTRE})
    departments = [Department.objects.get_or_create(code=f"bench-d{i}", defaults={"name": f"基准部门{i}"})[0].pk
                   for i in range(5)]
    agent, _ = User.objects.get_or_create(username="bench-agent", defaults={"role": Role.AGENT, "department": service})
    customer, _ = Customer.objects.get_or_create(name="基准客户")
    categories = [Category.objects.get_or_create(code=f"bench-{i}", defaults={"name": f"基准类别{i}"})[0].pk
                  for i in range(10)]
    shape = f"{rows}:{NOW.isoformat()}:v1"
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (shape text)")
        cur.execute("SELECT shape FROM bench_meta")
        if (cur.fetchone() or [None])[0] == shape:
            return {"generated": False}
        cur.execute("TRUNCATE complaints_complaint, complaints_timelineevent RESTART IDENTITY CASCADE")
        cur.execute("SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = 'complaints_complaint' AND is_nullable = 'NO'")
        required = dict(cur.fetchall())
        texts = "ARRAY[" + ", ".join(f"'{t}'" for t in TEXTS) + "]"
        explicit = {
            "id": "g",
            "number": "'B' || lpad(g::text, 9, '0')",
            "status": "(ARRAY['implementing','closed','archived'])[1 + mod(g, 3)]",
            "contact_phone": "'139' || lpad(g::text, 8, '0')",
            "channel": "'phone'",
            # two years, newest first: one complaint every ~63 s for 1M rows
            "received_at": f"%(now)s - (g * {2 * 365 * 86400 // max(rows, 1)}) * interval '1 second'",
            "address": "'小区' || mod(g, 50) || '期' || mod(g / 50, 20) || '栋' || mod(g, 3) || '单元 1201'",
            "subject": f"({texts})[1 + mod(g / 7, 8)]",
            "description": f"({texts})[1 + mod(g / 7, 8)] || '，请尽快处理'",
            "emotion": "'calm'", "nature": "'valid'", "priority": "'normal'", "escalation_risk": "'low'",
            "psychology": "'[]'", "plan_options": "'[]'", "handling_rounds": "1",
            "created_at": "%(now)s", "updated_at": "%(now)s",
            "customer_id": str(customer.pk), "first_owner_id": str(agent.pk),
            "category_id": f"(ARRAY{categories})[1 + mod(g / 3, 10)]",
            "department_id": f"(ARRAY{departments})[1 + mod(g / 11, 5)]",
            "cause_detail": "CASE WHEN mod(g, 3) = 0 THEN '' ELSE (ARRAY['disrespect','irresponsible','product',"
                            "'third_party','external'])[1 + mod(g / 13, 5)] END",
            "cause_type": "CASE WHEN mod(g, 3) = 0 THEN '' WHEN mod(g / 13, 5) < 2 THEN 'subjective' "
                          "ELSE 'objective' END",
        }
        columns = list(explicit) + [c for c in required if c not in explicit]
        values = [explicit.get(c) or DEFAULTS[required[c]] for c in columns]
        started = time.perf_counter()
        cur.execute(f"INSERT INTO complaints_complaint ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM generate_series(1, %(rows)s) AS g", {"now": NOW, "rows": rows})
        cur.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), %s)", [rows])
        cur.execute("DELETE FROM bench_meta")
        cur.execute("INSERT INTO bench_meta VALUES (%s)", [shape])
        inserted = time.perf_counter() - started
        cur.execute("VACUUM ANALYZE complaints_complaint")
    return {"generated": True, "insert_seconds": round(inserted, 1)}


def timed(fn, runs: int) -> dict:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django(prepare_database(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"))

    from complaintdesk.core import clock
    from complaintdesk.improvement import selectors

    result = {"rows": args.rows, **generate(args.rows)}
    year = {"date_from": (NOW - dt.timedelta(days=365)).date(), "date_to": NOW.date()}
    with clock.frozen(NOW):
        problems = selectors.recurring_problem_list(days=30)
        result["recurring_groups"] = len(problems)
        result["recurring_complaints"] = sum(p.count for p in problems)
        result["recurring_problem_list"] = timed(lambda: selectors.recurring_problem_list(days=30), args.runs)
        result["top_causes_category"] = timed(lambda: selectors.top_causes(by="category", **year), args.runs)
        result["top_causes_department"] = timed(lambda: selectors.top_causes(by="department", **year), args.runs)
        result["cause_trend_week"] = timed(lambda: selectors.cause_trend(period="week", **year), args.runs)
        result["corrective_action_counts"] = timed(selectors.corrective_action_counts, args.runs)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "var" / "bench_improvement.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
