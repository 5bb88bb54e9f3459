"""Benchmark: importing 100,000 historical complaints from a CSV file (target: under 2 minutes).

    .venv/bin/python bench/import.py                            # SQLite: var/bench_import.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/import.py --rows 100000

Builds ``var/bench_import.csv`` (once per row count): real complaint texts (the committed review
sample, ``complaintdesk/language/testdata/reviews/negative_reviews.csv``, cycled), 20,000 distinct
customers' phones, four categories and departments by name, closed/archived, over two years. Then,
on a freshly created database (``complaintdesk_bench_import`` on the server of ``DATABASE_URL``, or
the SQLite file; dropped and migrated before each run, not timed), it runs the real command
``manage.py import_complaints FILE`` in-process and times it end to end: both passes (the check of
every row, then the import in one transaction), customers, complaints, timeline events. A second run
of the same file (everything skipped as already imported) is timed too. Results:
``var/bench_import.json``; docs/BENCHMARKS.md ("## Historical import") quotes them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "complaintdesk_bench_import"
BUDGET_S = 120
REVIEWS = ROOT / "complaintdesk" / "language" / "testdata" / "reviews" / "negative_reviews.csv"
CATEGORIES = [("repair_quality", "维修质量"), ("service_attitude", "服务态度"), ("facilities", "设备设施"),
              ("billing", "收费问题")]
DEPARTMENTS = [("engineering", "工程维修部"), ("aftersales", "售后服务部"), ("security", "秩序维护部"),
               ("finance", "财务部")]


def fresh_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        path = ROOT / "var" / "bench_import.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def build_file(rows: int) -> Path:
    path = ROOT / "var" / f"bench_import_{rows}.csv"
    if path.exists():
        return path
    texts = [r["review"].lstrip("\ufeff").strip() for r in csv.DictReader(REVIEWS.open(encoding="utf-8"))]
    rng = random.Random(3)
    start = dt.datetime(2024, 11, 1, 8, 0)
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["原编号", "受理时间", "联系电话", "客户", "渠道", "投诉内容", "投诉类别", "责任部门", "状态",
                         "结案时间", "满意度"])
        for i in range(rows):
            received = start + dt.timedelta(minutes=rng.randint(0, 730 * 24 * 60))
            customer = i % 20000
            writer.writerow([
                f"LEGACY-{i:07d}", f"{received:%Y-%m-%d %H:%M}", f"139{customer:08d}",
                surnames[customer % 20] + given[customer % 10], rng.choice(["来电", "来访", "在线/自助", "来函/邮件"]),
                texts[i % len(texts)], CATEGORIES[i % 4][1], DEPARTMENTS[i % 4][1],
                "已归档" if i % 3 == 0 else "已结案",
                f"{received + dt.timedelta(hours=rng.randint(2, 200)):%Y-%m-%d %H:%M}", str(rng.randint(1, 5)),
            ])
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    source = build_file(args.rows)
    os.environ["DATABASE_URL"] = fresh_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.local"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from complaintdesk.complaints.models import Category, Complaint, TimelineEvent
    from complaintdesk.customers.models import Customer
    from complaintdesk.org.models import Department, DepartmentKind, Role, User

    call_command("migrate", verbosity=0)
    for i, (code, name) in enumerate(CATEGORIES):
        Category.objects.create(code=code, name=name, order=i)
    for code, name in DEPARTMENTS:
        Department.objects.create(code=code, name=name, kind=DepartmentKind.HANDLING)
    User.objects.create_user(username="importer", password="bench-pass-1", role=Role.ADMIN)

    def timed() -> tuple[float, dict]:
        out = io.StringIO()
        started = time.perf_counter()
        call_command("import_complaints", str(source), stdout=out)
        elapsed = time.perf_counter() - started
        return elapsed, json.loads(out.getvalue().splitlines()[-1].removeprefix("# "))

    first, summary = timed()
    assert summary["imported"] == args.rows, summary
    counts = {"complaints": Complaint.objects.count(), "events": TimelineEvent.objects.count(),
              "customers": Customer.objects.count()}
    again, summary_again = timed()
    assert summary_again["imported"] == 0 and summary_again["skipped"] == args.rows, summary_again
    result = {"rows": args.rows, "import_s": round(first, 1), "rows_per_s": round(args.rows / first),
              "reimport_all_skipped_s": round(again, 1), **counts}
    print(f"{connection.vendor}: imported {args.rows} rows in {first:.1f} s ({args.rows / first:.0f}/s); "
          f"re-import (all skipped) {again:.1f} s; {counts}")
    out = ROOT / "var" / "bench_import.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[connection.vendor] = result
    out.write_text(json.dumps(existing, ensure_ascii=False, indent=2))
    if first > BUDGET_S:
        sys.exit(1)


if __name__ == "__main__":
    main()
