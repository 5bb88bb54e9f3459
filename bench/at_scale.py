"""Benchmark: the pages, the sweeps, the dashboard and the daily report on a generated history
(issue 12 §3: 10,000,000 complaints, ~100,000,000 timeline events).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/at_scale.py --database complaintdesk_bench_10m [--runs 5] \\
        [--parts pages,sweeps,dashboard,report] [--compare-forms] [--compare-tally]

Uses a database filled by ``bench/generate.py`` (it does not create one). Server side only,
in-process, through Django's test client (what gunicorn's worker spends; the load test adds the
network and the queueing). The sidebar's counts are computed on every page (``NAV_COUNTS_TTL=0``,
the worst case: a page opened after the counts expired).

- ``pages``: every queue of an agent, a handler, a supervisor and a manager — the whole page and
  the htmx list (the first page of 25, what paging and filters fetch) — and the complaint page
  of open and of archived complaints drawn from the data. Median and p95 per kind.
- ``sweeps``: every deadline sweep (``enforcement.sweeps.run_all``) with the clock moved on an hour
  at a time past the end of the data, so each run acts on what fell due in that hour; then the same
  hour again (nothing left to do: the cost of a quiet minute's beat). This writes: the breaches,
  escalations, alerts and notices of those hours stay in the database.
- ``dashboard``: ``/reports/dashboard/`` as the manager, last 30 days and the last whole day.
- ``report``: the daily report of the last whole day (``report_generate``; the kept row is
  deleted between runs).
- ``--compare-tally``: the dashboard and the report also with ``REPORTS_TALLY`` off (every
  complaint of the period counted), interleaved run by run, and the ratio of the medians.

Results: ``var/bench_at_scale.json``; docs/BENCHMARKS.md ("At 10,000,000") quotes them.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USERS = ("agent", "handler", "supervisor", "manager")


COMPARE_TALLY = False


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(samples: list[float], **extra) -> dict:
    return {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(percentile(samples, 95), 1),
            "n": len(samples), **extra}


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def pages(runs: int, compare_forms: bool = False) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from complaintdesk.complaints import selectors
    from complaintdesk.org.models import User

    results = {}
    for username in USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for queue in selectors.queues_for(user):
            url = reverse("web:queue", args=[queue.code])

            def whole(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            def listing(url=url, client=client):
                response = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
                assert response.status_code == 200, (url, response.status_code)

            whole()  # warm
            full = [timed(whole) for _ in range(runs)]
            part = [timed(listing) for _ in range(runs)]
            with CaptureQueriesContext(connection) as ctx:
                whole()
            rows = selectors.complaint_list(user=user, queue=queue.code).order_by()[:2001].count()
            results[f"queue {queue.code} · {username}"] = {
                "page": summary(full, queries=len(ctx.captured_queries)), "list": summary(part), "rows": rows}
            print(f"queue {queue.code:<11} {username:<10} page {results[f'queue {queue.code} · {username}']['page']}"
                  f"  list {results[f'queue {queue.code} · {username}']['list']}", flush=True)

    supervisor = User.objects.get(username="supervisor")
    client = Client()
    client.force_login(supervisor)
    with connection.cursor() as cursor:
        picks = {}
        for kind, where in {"open": "status NOT IN ('closed', 'archived')", "archived": "status = 'archived'"}.items():
            # Open ones through the open-status indexes; archived ones (most of the table) from a
            # 1% block sample, or the whole table when that is small.
            for sample in ("TABLESAMPLE SYSTEM (1) REPEATABLE (11)" if kind == "archived" else "", ""):
                cursor.execute(f"SELECT id FROM complaints_complaint {sample} WHERE {where} "
                               f"ORDER BY md5(id::text) LIMIT 20")
                picks[kind] = [row[0] for row in cursor.fetchall()]
                if len(picks[kind]) == 20:
                    break
    from complaintdesk.web.views import complaints as complaint_views

    lazy_forms = complaint_views.EAGER_FORMS
    every_form = frozenset(spec.key for spec in complaint_views.ACTION_FORMS)
    for kind, ids in picks.items():
        samples, eager = [], []
        for pk in ids:
            url = reverse("web:complaint", args=[pk])

            def page(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            page()
            for _ in range(runs):  # as it is, and (``--compare-forms``) with every form built, interleaved
                samples.append(timed(page))
                if compare_forms:
                    complaint_views.EAGER_FORMS = every_form
                    eager.append(timed(page))
                    complaint_views.EAGER_FORMS = lazy_forms
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("web:complaint", args=[ids[0]]))
        name = f"complaint page · {kind}"
        results[name] = {"page": summary(samples, queries=len(ctx.captured_queries))}
        if eager:
            results[name]["every form built"] = summary(eager)
        print(f"complaint page {kind:<9} {results[name]}", flush=True)
    return results


def data_end():
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(received_at) FROM complaints_complaint")
        return cursor.fetchone()[0]


def sweeps(runs: int) -> dict:
    from complaintdesk.core import clock
    from complaintdesk.enforcement import sweeps as sweep_module

    end = data_end()
    acting, quiet, acted = [], [], []
    for hour in range(1, runs + 1):
        at = end + dt.timedelta(hours=hour)
        with clock.frozen(at):
            started = time.perf_counter()
            done = sweep_module.run_all()
            acting.append((time.perf_counter() - started) * 1000)
            acted.append({run.name: run.acted for run in done if run.acted})
            assert all(run.errors == 0 for run in done), [run.error_text for run in done if run.errors]
            started = time.perf_counter()
            again = sweep_module.run_all()
            quiet.append((time.perf_counter() - started) * 1000)
            again_acted = sum(run.acted for run in again)
        print(f"sweeps at end+{hour}h: {acting[-1]:.0f} ms acting on {acted[-1]}; again {quiet[-1]:.0f} ms (acted {again_acted})", flush=True)
    return {"all sweeps, one hour due": summary(acting, acted=acted), "all sweeps, nothing due": summary(quiet)}


def dashboard(runs: int) -> dict:
    from django.test import Client

    from complaintdesk.core import clock
    from complaintdesk.org.models import User

    end = data_end()
    today = end.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    yesterday = today - dt.timedelta(days=1)
    client = Client()
    client.force_login(User.objects.get(username="manager"))
    results = {}
    with clock.frozen(end):
        for name, (first, last) in {"dashboard · last 30 days": (today - dt.timedelta(days=29), today),
                                    "dashboard · one day": (yesterday, yesterday)}.items():
            def page(first=first, last=last):
                response = client.get("/reports/dashboard/", {"date_from": first.isoformat(), "date_to": last.isoformat()})
                assert response.status_code == 200

            results.update(_modes(name, page, runs))
    return results


def _modes(name: str, fn, runs: int) -> dict:
    """Time ``fn`` from the running tallies and, with ``--compare-tally``, counting every complaint
    (``REPORTS_TALLY`` off), interleaved run by run; the ratio is of the medians."""
    from django.conf import settings

    modes = [True, False] if COMPARE_TALLY else [True]
    samples: dict[bool, list[float]] = {mode: [] for mode in modes}
    for mode in modes:  # warm both
        settings.REPORTS_TALLY = mode
        fn()
    for _ in range(runs):
        for mode in modes:
            settings.REPORTS_TALLY = mode
            samples[mode].append(timed(fn))
    settings.REPORTS_TALLY = True
    out = {name: summary(samples[True])}
    if COMPARE_TALLY:
        out[f"{name} (counted, no tallies)"] = summary(samples[False])
        out[name]["faster"] = round(statistics.median(samples[False]) / statistics.median(samples[True]), 1)
    for key, value in out.items():
        print(key, value, flush=True)
    return out


def report(runs: int) -> dict:
    from complaintdesk.core import clock
    from complaintdesk.reports.models import Report
    from complaintdesk.reports.services import report_generate

    end = data_end()
    day = end.astimezone(dt.timezone(dt.timedelta(hours=8))).date() - dt.timedelta(days=1)

    def daily():
        Report.objects.filter(first_day=day, kind="day").delete()
        report_generate(kind="day", first_day=day, last_day=day, notify_readers=False)

    with clock.frozen(end):
        result = _modes("daily report · one day", daily, runs)
        new = Report.objects.get(first_day=day, kind="day", scope="centre").figures["summary"]["new"]
    result["daily report · one day"]["new"] = new
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database filled by bench/generate.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parts", default="pages,sweeps,dashboard,report")
    parser.add_argument("--compare-forms", action="store_true",
                        help="also time each complaint page with every action form built (as before forms on demand)")
    parser.add_argument("--compare-tally", action="store_true",
                        help="dashboard and report: also time them counting every complaint (REPORTS_TALLY off)")
    args = parser.parse_args()
    global COMPARE_TALLY
    COMPARE_TALLY = args.compare_tally

    from bench.generate import server_url

    os.environ["DATABASE_URL"] = server_url(args.database)  # exits unless DATABASE_URL is PostgreSQL
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.local"
    os.environ["NAV_COUNTS_TTL"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["complaints_complaint"])
        complaints = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["complaints_timelineevent"])
        events = cursor.fetchone()[0]
    print(f"{complaints:,} complaints, {events:,} timeline events (estimates)", flush=True)
    out = ROOT / "var" / "bench_at_scale.json"
    out.parent.mkdir(exist_ok=True)
    results = json.loads(out.read_text()) if out.exists() else {}
    results.update({"complaints": complaints, "events": events})
    parts = {"pages": pages, "sweeps": sweeps, "dashboard": dashboard, "report": report}
    for part in args.parts.split(","):
        results[part] = parts[part](args.runs, args.compare_forms) if part == "pages" else parts[part](args.runs)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    print(f"written {out}")


if __name__ == "__main__":
    main()
