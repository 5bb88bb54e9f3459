"""Benchmark: server time of the workspace queue page with 100,000 complaints (SQLite and PostgreSQL).

    .venv/bin/python bench/queue_page.py                         # SQLite: var/bench_queue.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/queue_page.py
    .venv/bin/python bench/queue_page.py --rows 100000 --runs 20

Creates (once) a separate database — ``var/bench_queue.sqlite3`` or ``complaintdesk_bench_queue``
on the PostgreSQL server of ``DATABASE_URL`` — and fills it with ``bulk_create`` (the generator is
not the subject; the page is). Then it requests the queue page in-process through Django's test
client, as a logged-in user, the way a browser would (full page: queue counts for the navigation,
filters, the page of rows, the template), and reports the median and 95th percentile per scenario.
Results go to ``var/bench_queue_page.json``; docs/BENCHMARKS.md ("## Queue page") quotes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "complaintdesk_bench_queue"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
BUDGET_MS = 300


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{ROOT / 'var' / 'bench_queue.sqlite3'}"
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.local"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(rows: int) -> dict:
    from django.db import transaction

    from complaintdesk.complaints.choices import Channel, EscalationLevel, Status
    from complaintdesk.complaints.models import Category, Complaint
    from complaintdesk.customers.models import Customer, CustomerPhone
    from complaintdesk.org.models import Department, DepartmentKind, Role, User

    rng = random.Random(7)
    service, _ = Department.objects.get_or_create(
        code="service", defaults={"name": "客服中心", "kind": DepartmentKind.SERVICE_CENTRE}
    )
    departments = [
        Department.objects.get_or_create(code=code, defaults={"name": name, "kind": DepartmentKind.HANDLING})[0]
        for code, name in [("engineering", "工程维修部"), ("security", "秩序维护部"), ("aftersales", "售后服务部"),
                           ("finance", "财务部")]
    ]
    categories = [
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": i})[0]
        for i, (code, name) in enumerate([("product_quality", "产品质量"), ("facilities", "设备设施"),
                                          ("service_attitude", "服务态度"), ("service_quality", "服务质量"),
                                          ("repair_quality", "维修质量"), ("emergency", "突发事件"),
                                          ("business_policy", "经营政策"), ("other", "其他")])
    ]

    def user(name, role, dept):
        found = User.objects.filter(username=name).first()
        return found or User.objects.create_user(username=name, password="bench-pass-1", role=role, department=dept)

    agents = [user(f"agent{i}", Role.AGENT, service) for i in range(20)]
    handlers = [user(f"handler{i}", Role.HANDLER, departments[i % 4]) for i in range(12)]
    supervisor = user("supervisor", Role.SUPERVISOR, service)

    have = Complaint.objects.count()
    if have < rows:
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
        customers = list(Customer.objects.all()[:20000])
        if not customers:
            Customer.objects.bulk_create(
                [Customer(name=rng.choice(surnames) + rng.choice("伟芳娜敏静丽强磊军洋") + str(i % 97),
                          address=f"阳光花园{i % 40 + 1}栋", room=f"{i % 30 + 1:02d}{i % 4 + 1:02d}")
                 for i in range(20000)], batch_size=2000)
            customers = list(Customer.objects.all()[:20000])
            CustomerPhone.objects.bulk_create(
                [CustomerPhone(customer=c, number=f"139{c.pk:08d}", is_primary=True) for c in customers],
                batch_size=2000)
        statuses = [(Status.RECEIVED, 4), (Status.ACCEPTED, 3), (Status.DISPATCHED, 4), (Status.HANDLING, 8),
                    (Status.PENDING_APPROVAL, 2), (Status.IMPLEMENTING, 6), (Status.RECEIPT_SUBMITTED, 2),
                    (Status.AWAITING_VISIT, 3), (Status.CLOSED, 48), (Status.ARCHIVED, 20)]
        population = [s for s, w in statuses for _ in range(w)]
        subjects = ["热水器不出热水", "电梯停运", "物业服务态度差", "维修后又坏了", "账单多收费用", "小区门禁失灵",
                    "快递丢失无人处理", "手机屏幕有坏点", "噪音扰民", "停车收费不合理"]
        batch = []
        for i in range(have, rows):
            status = rng.choice(population)
            received = NOW - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            customer = customers[i % len(customers)]
            dispatched = status not in (Status.RECEIVED, Status.ACCEPTED)
            dept = departments[i % 4] if dispatched else None
            batch.append(Complaint(
                number=f"TS{received:%Y%m%d}{i:06d}", status=status, customer=customer,
                contact_phone=f"139{customer.pk:08d}", address=customer.address, channel=rng.choice(Channel.values),
                received_at=received, first_owner=agents[i % 20], subject=rng.choice(subjects),
                description="客户反映：" + rng.choice(subjects) + "，已经多次联系未果，希望尽快处理。",
                demand="尽快处理", category=categories[i % 8], department=dept,
                handler=handlers[i % 12] if dispatched and handlers[i % 12].department_id == dept.pk else None,
                dispatched_at=received + dt.timedelta(hours=2) if dispatched else None,
                first_answer_due_at=received + dt.timedelta(hours=24),
                first_answered_at=received + dt.timedelta(hours=3) if rng.random() < 0.9 else None,
                implement_due_at=received + dt.timedelta(days=7) if dispatched else None,
                visit_due_at=received + dt.timedelta(days=8) if status == Status.AWAITING_VISIT else None,
                escalation_level=EscalationLevel.SUPERVISOR if rng.random() < 0.05 else EscalationLevel.AGENT,
                repeat_count=1 if rng.random() < 0.05 else 0,
                closed_at=received + dt.timedelta(days=6) if status in (Status.CLOSED, Status.ARCHIVED) else None,
            ))
            if len(batch) == 5000:
                with transaction.atomic():
                    Complaint.objects.bulk_create(batch)
                batch = []
        if batch:
            Complaint.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    sample = Complaint.objects.order_by("pk").values("contact_phone", "number").first()
    return {"agent": agents[0], "handler": handlers[0], "supervisor": supervisor, "sample": sample,
            "category": categories[4].code, "rows": Complaint.objects.count()}


def measure(data: dict, runs: int) -> list[dict]:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaintdesk.core import clock

    scenarios = [
        ("agent · 全部 (all), page 1", "agent", "/q/all/", {}),
        ("agent · 待我处理 (my tasks)", "agent", "/q/my_tasks/", {}),
        ("agent · 我首问的 (first owner)", "agent", "/q/mine_first/", {}),
        ("handler · 部门待办 (department)", "handler", "/q/department/", {}),
        ("supervisor · 已超时 (overdue)", "supervisor", "/q/overdue/", {}),
        ("supervisor · 即将超时 (due soon)", "supervisor", "/q/due_soon/", {}),
        ("agent · all, search by phone", "agent", "/q/all/", {"q": data["sample"]["contact_phone"]}),
        ("agent · all, search by number", "agent", "/q/all/", {"q": data["sample"]["number"]}),
        ("agent · all, search by name", "agent", "/q/all/", {"q": "王伟"}),
        ("agent · all, search in text", "agent", "/q/all/", {"q": "门禁"}),
        ("agent · all, state+category+date filters", "agent", "/q/all/",
         {"status": "handling", "category": data["category"], "date_from": "2026-06-01"}),
        ("agent · all, sorted by due, page 60", "agent", "/q/all/", {"sort": "implement_due_at", "page": 60}),
        ("agent · htmx partial (results only)", "agent", "/q/all/", {"status": "closed"}),
    ]
    results = []
    clients = {}
    for role in ("agent", "handler", "supervisor"):
        clients[role] = Client()
        clients[role].force_login(data[role])
    from django.db import connection

    with clock.frozen(NOW):
        for label, role, url, params in scenarios:
            client = clients[role]
            extra = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"} if "htmx" in label else {}
            for _ in range(3):
                assert client.get(url, params, **extra).status_code == 200
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(url, params, **extra)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url, params, **extra)
            timings.sort()
            results.append({
                "scenario": label, "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                "queries": len(queries.captured_queries),
            })
            print(f"{label:45s} median {results[-1]['median_ms']:7.1f} ms  p95 {results[-1]['p95_ms']:7.1f} ms  "
                  f"{results[-1]['queries']} queries", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = database_url()
    setup_django(url)
    from django.db import connection

    started = time.perf_counter()
    data = generate(args.rows)
    print(f"{connection.vendor}: {data['rows']} complaints ready in {time.perf_counter() - started:.0f} s", flush=True)
    results = measure(data, args.runs)
    worst = max(r["median_ms"] for r in results)
    out = ROOT / "var" / "bench_queue_page.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[connection.vendor] = {"rows": data["rows"], "runs": args.runs, "results": results, "worst_median_ms": worst}
    out.write_text(json.dumps(existing, ensure_ascii=False, indent=2))
    print(f"worst median {worst:.1f} ms (budget {BUDGET_MS} ms) → {out}")
    if worst > BUDGET_MS:
        sys.exit(1)


if __name__ == "__main__":
    main()
