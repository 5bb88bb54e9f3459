"""Benchmark: a queue export of 100,000 complaints, streamed — time to first byte and memory growth.

    .venv/bin/python bench/export.py                            # SQLite: var/bench_export.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/export.py
    .venv/bin/python bench/export.py --rows 100000 --format xlsx

Creates (once) its own database — ``var/bench_export.sqlite3`` or ``complaintdesk_bench_export`` on
the PostgreSQL server of ``DATABASE_URL`` — filled by the queue-page benchmark's generator
(``bench/queue_page.py``). Then, as a logged-in supervisor through Django's test client, it requests
``/q/all/export.xlsx`` (and ``.csv``) and drains the streamed body to a temporary file, measuring:

- first byte: request start → the first chunk of the body; and the first chunk that holds rows;
- total time and rows/s;
- memory: Python allocations with tracemalloc (peak minus start, a separate run because tracing
  slows Python down) and the process's resident set (VmRSS) sampled at every chunk (max − start).

Targets (issue 9): first byte < 1 s, memory growth < 100 MB. Results: ``var/bench_export.json``;
docs/BENCHMARKS.md ("## Queue export") quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import queue_page  # noqa: E402  (the generator of the queue-page benchmark)

BENCH_DB = "complaintdesk_bench_export"
FIRST_BYTE_BUDGET_S = 1.0
MEMORY_BUDGET_MB = 100


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{ROOT / 'var' / 'bench_export.sqlite3'}"
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(client, url: str, *, trace: bool) -> dict:
    if trace:
        tracemalloc.start()
        traced_start = tracemalloc.get_traced_memory()[0]
    rss_start = rss_mb()
    rss_max = rss_start
    first = first_rows = None
    chunks = size = 0
    with tempfile.NamedTemporaryFile(suffix=Path(url).suffix, delete=False) as out:
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        for chunk in response.streaming_content:
            now = time.perf_counter() - started
            if first is None:
                first = now
            elif first_rows is None:
                first_rows = now
            out.write(chunk)
            chunks += 1
            size += len(chunk)
            rss_max = max(rss_max, rss_mb())
        total = time.perf_counter() - started
        response.close()
    result = {
        "first_byte_s": round(first, 3), "first_rows_chunk_s": round(first_rows or first, 3),
        "total_s": round(total, 2), "bytes": size, "chunks": chunks,
        "rss_growth_mb": round(rss_max - rss_start, 1), "file": out.name,
    }
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result["tracemalloc_peak_growth_mb"] = round((peak - traced_start) / 2**20, 1)
    return result


def count_rows(path: str) -> int:
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            import csv

            return sum(1 for _ in csv.reader(f)) - 1
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        rows, tail = 0, b""
        while block := sheet.read(1 << 20):
            data = tail + block
            rows += data.count(b"<row ")
            tail = data[-5:]
            rows -= tail.count(b"<row ")
        return rows + tail.count(b"<row ") - 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["xlsx", "csv", "both"], default="both")
    args = parser.parse_args()
    queue_page.setup_django(database_url())
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    data = queue_page.generate(args.rows)
    print(f"{connection.vendor}: {data['rows']} complaints ready in {time.perf_counter() - started:.0f} s", flush=True)
    client = Client()
    client.force_login(data["supervisor"])
    formats = ["xlsx", "csv"] if args.format == "both" else [args.format]
    results = {}
    failed = False
    for fmt in formats:
        url = f"/q/all/export.{fmt}"
        os.unlink(run(client, url, trace=False)["file"])  # warm-up (translations, plans, caches)
        timed = run(client, url, trace=False)
        traced = run(client, url, trace=True)
        rows = count_rows(timed["file"])
        for result in (timed, traced):
            os.unlink(result["file"])
            del result["file"]
        results[fmt] = {
            "rows": rows, **timed, "rows_per_s": round(rows / timed["total_s"]),
            "tracemalloc_peak_growth_mb": traced["tracemalloc_peak_growth_mb"],
            "rss_growth_mb_traced_run": traced["rss_growth_mb"],
        }
        r = results[fmt]
        print(f"{fmt}: {rows} rows, first byte {r['first_byte_s']} s (first rows {r['first_rows_chunk_s']} s), "
              f"total {r['total_s']} s ({r['rows_per_s']}/s), {r['bytes'] / 2**20:.1f} MB, "
              f"RSS growth {r['rss_growth_mb']} MB, tracemalloc peak growth {r['tracemalloc_peak_growth_mb']} MB",
              flush=True)
        failed |= r["first_rows_chunk_s"] > FIRST_BYTE_BUDGET_S
        failed |= max(r["rss_growth_mb"], r["tracemalloc_peak_growth_mb"]) > MEMORY_BUDGET_MB
    out = ROOT / "var" / "bench_export.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[connection.vendor] = results
    out.write_text(json.dumps(existing, ensure_ascii=False, indent=2))
    print(f"→ {out}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
