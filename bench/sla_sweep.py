"""Benchmark: one deadline sweep over 1,000,000 open complaints of which 1% are due (PostgreSQL).

    .venv/bin/python bench/sla_sweep.py [--rows 1000000] [--due 0.01] [--runs 5]

Creates (once) a separate database ``complaintdesk_bench`` on the server of ``DATABASE_URL``
(default postgres://postgres@127.0.0.1:5432/test), fills it with ``INSERT … SELECT
generate_series`` and then times the ``first_answer_breach`` sweep end to end — the due query,
locking with SKIP LOCKED, re-checking, marking breached, escalating along the chain, the timeline
events, the alert records and the in-app notices — several times, resetting the due rows between
runs (not timed). Prints the figures and writes them to ``var/bench_sla_sweep.json``.
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

BENCH_DB = "complaintdesk_bench"
# A fixed "now": the data is generated relative to it and every run sweeps at it.
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def prepare_database(url: str) -> str:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.local")
    os.environ["DEBUG"] = "0"  # no query log
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


DEFAULTS = {
    "character varying": "''",
    "text": "''",
    "jsonb": "'{}'",
    "boolean": "false",
    "smallint": "0",
    "integer": "0",
    "bigint": "0",
    "numeric": "0",
}


def generate(rows: int, due_fraction: float, now: dt.datetime) -> dict:
    """1M open complaints: 1% unanswered and past due (the sweep's work), 40% unanswered with the
    due time ahead, the rest answered long ago — and the same mix of implementation deadlines."""
    from django.db import connection

    from complaintdesk.complaints.models import Category
    from complaintdesk.customers.models import Customer
    from complaintdesk.org.models import Department, DepartmentKind, Role, User

    service, _ = Department.objects.get_or_create(
        code="bench-service", defaults={"name": "基准客服中心", "kind": DepartmentKind.SERVICE_CENTRE}
    )
    agent, _ = User.objects.get_or_create(
        username="bench-agent", defaults={"role": Role.AGENT, "department": service}
    )
    User.objects.get_or_create(
        username="bench-supervisor", defaults={"role": Role.SUPERVISOR, "department": service}
    )
    customer, _ = Customer.objects.get_or_create(name="基准客户")
    category, _ = Category.objects.get_or_create(code="bench", defaults={"name": "基准类别"})

    shape = f"{rows}:{due_fraction}:{now.isoformat()}"
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (shape text)")
        cur.execute("SELECT shape FROM bench_meta")
        if (cur.fetchone() or [None])[0] == shape:
            return {"generated": False}
        cur.execute(
            "TRUNCATE complaints_complaint, complaints_timelineevent, sla_deadlinealert, "
            "notifications_notification RESTART IDENTITY CASCADE"
        )
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'complaints_complaint' AND is_nullable = 'NO'"
        )
        required = dict(cur.fetchall())
        due_every = round(1 / due_fraction)
        explicit = {
            "id": "g",
            "number": "'B' || lpad(g::text, 9, '0')",
            "status": "(ARRAY['received','accepted','dispatched','handling','implementing'])[1 + mod(g, 5)]",
            "contact_phone": "'139' || lpad(g::text, 8, '0')",
            "channel": "'phone'",
            "received_at": "%(now)s - mod(g, 2000) * interval '1 hour'",
            "subject": "'基准投诉'",
            "description": "'基准投诉内容'",
            "emotion": "'calm'",
            "nature": "'valid'",
            "priority": "'normal'",
            "escalation_risk": "'low'",
            "psychology": "'[]'",
            "plan_options": "'[]'",
            "handling_rounds": "1",
            "created_at": "%(now)s",
            "updated_at": "%(now)s",
            "customer_id": str(customer.pk),
            "first_owner_id": str(agent.pk),
            "category_id": str(category.pk),
            # 1 in due_every: unanswered and due within the last hour; 40%: unanswered, due ahead;
            # the rest: answered long ago.
            "first_answer_due_at": f"CASE WHEN mod(g, {due_every}) = 0 THEN %(now)s - mod(g, 3600) * interval '1 second' "
            "WHEN mod(g, 5) < 2 THEN %(now)s + (1 + mod(g, 86400)) * interval '1 second' "
            "ELSE %(now)s - interval '30 days' END",
            "first_answered_at": f"CASE WHEN mod(g, {due_every}) = 0 OR mod(g, 5) < 2 THEN NULL "
            "ELSE %(now)s - interval '29 days' END",
            "implement_due_at": "%(now)s + (1 + mod(g, 400000)) * interval '1 second'",
        }
        columns = list(explicit) + [c for c in required if c not in explicit]
        values = [explicit.get(c) or DEFAULTS[required[c]] for c in columns]
        started = time.perf_counter()
        cur.execute(
            f"INSERT INTO complaints_complaint ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM generate_series(1, %(rows)s) AS g",
            {"now": now, "rows": rows},
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), %s)", [rows])
        cur.execute("DELETE FROM bench_meta")
        cur.execute("INSERT INTO bench_meta VALUES (%s)", [shape])
        inserted = time.perf_counter() - started
        cur.execute("VACUUM ANALYZE complaints_complaint")
    return {"generated": True, "insert_seconds": round(inserted, 1)}


def reset(now: dt.datetime) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE sla_deadlinealert, notifications_notification, complaints_timelineevent, sla_sweeprun"
        )
        cur.execute(
            "UPDATE complaints_complaint SET first_answer_breached = false, escalation_level = 0, "
            "escalated_at = NULL WHERE first_answer_breached"
        )
        cur.execute("VACUUM ANALYZE complaints_complaint")


def explain(now: dt.datetime) -> str:
    from django.db import connection

    from complaintdesk.enforcement.sweeps.rules import breach_candidates
    from complaintdesk.sla.models import DeadlineKind

    qs = (
        breach_candidates(DeadlineKind.FIRST_ANSWER, now, set())
        .order_by("first_answer_due_at")
        .values_list("pk")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due", type=float, default=0.01)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--workers", type=int, default=None, help="parallel chunk workers (default: settings)"
    )
    args = parser.parse_args()

    url = prepare_database(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test")
    setup_django(url)
    from django.db import connection

    from complaintdesk.core import clock
    from complaintdesk.enforcement import sweeps
    from complaintdesk.enforcement.sweeps.engine import sweep_workers

    now = NOW
    info = generate(args.rows, args.due, now)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM complaints_complaint WHERE status <> 'closed'")
        open_rows = cur.fetchone()[0]
    reset(now)
    plan = explain(now + dt.timedelta(seconds=1))
    find_ms = [float(line.split(":")[1].split()[0]) for line in plan.splitlines() if "Execution Time" in line]
    timings, idle = [], []
    for _ in range(args.runs):
        reset(now)
        with clock.frozen(now + dt.timedelta(seconds=1)):
            started = time.perf_counter()
            run = sweeps.run("first_answer_breach", workers=args.workers)
            timings.append(time.perf_counter() - started)
            assert run.errors == 0, run.error_text
            started = time.perf_counter()
            again = sweeps.run("first_answer_breach")
            idle.append(time.perf_counter() - started)
            assert again.found == 0
        acted = run.acted
    reset(now)
    result = {
        "open_complaints": open_rows,
        "due": acted,
        "runs": args.runs,
        "workers": args.workers or sweep_workers(),
        "sweep_seconds_median": round(statistics.median(timings), 3),
        "sweep_seconds_all": [round(t, 3) for t in timings],
        "rows_per_second": round(acted / statistics.median(timings)),
        "rerun_nothing_due_ms_median": round(statistics.median(idle) * 1000, 1),
        "due_query_ms": find_ms[0] if find_ms else None,
        "postgres": connection.cursor().connection.info.server_version,
        **info,
    }
    print(json.dumps(result, indent=2))
    print(plan)
    out = ROOT / "var" / "bench_sla_sweep.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
