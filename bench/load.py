"""Load test: the production shape on loopback, driven by locust (issue 12 §5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py \\
        --database complaintdesk_bench_gen [--users 16] [--run-time 60] [--workers 4] \\
        [--celery-workers 1] [--scenario mix|intake]

Uses a database filled by ``bench/generate.py``. Locust runs in its own virtual environment
(``var/loadenv``, created with ``locust`` from PyPI on first use), so the product's environment does
not carry gevent. The script:

1. prepares the accounts (the generated agents get one known password and an API token), a few
   thousand complaint ids the agents may open, and search terms, in ``var/load/fixtures.json``;
2. starts gunicorn (``--workers`` sync workers) with the production settings on 127.0.0.1, a Celery
   worker on Redis (``--celery-workers``; the tasks intake queues are delivered there, as in
   production), and waits for ``/readyz``;
3. runs locust headless, bounded in users and time (``--users`` agents, all started at once, for
   ``--run-time`` seconds), with the mix of ``bench/load/locustfile.py``;
4. stops what it started and prints, per request type: requests, failures, requests/s, p50, p95,
   p99 (locust's client-side figures over loopback). Results: ``var/bench_load.json``.

Targets (issue 12): p95 under 200 ms for queue and complaint pages, zero errors, intake at ≥ 20/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOAD_DIR = ROOT / "var" / "load"
LOADENV = ROOT / "var" / "loadenv"
LOCUST = "locust==2.47.0"
PASSWORD = "load-test-2026"
TERMS = ["漏水", "电梯", "门禁", "燃气", "蟑螂", "物业费", "噪音太大了"]


def loadenv() -> Path:
    binary = LOADENV / "bin" / "locust"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOADENV)], check=True)
        subprocess.run([str(LOADENV / "bin" / "pip"), "install", "-q", LOCUST], check=True)
    return binary


def prepare(database_url: str) -> None:
    """Accounts, tokens, ids and terms for the simulated agents (in the product's environment)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.local"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from complaintdesk.complaints.choices import OPEN_STATUSES
    from complaintdesk.org.models import Role, User

    agents = list(User.objects.filter(username__startswith="gen_agent", role=Role.AGENT).order_by("id"))
    if not agents:
        sys.exit("no generated agents (gen_agent*): fill the database with bench/generate.py")
    User.objects.filter(pk__in=[a.pk for a in agents]).update(password=make_password(PASSWORD))
    accounts = [{"username": a.username, "token": Token.objects.get_or_create(user=a)[0].key} for a in agents]
    with connection.cursor() as cursor:
        # Recent complaints, open and closed: what agents open during a day.
        cursor.execute("SELECT id FROM complaints_complaint ORDER BY received_at DESC LIMIT 5000")
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM complaints_complaint WHERE status = ANY(%s) ORDER BY received_at DESC LIMIT 3000",
                       [list(OPEN_STATUSES)])
        open_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT number, contact_phone FROM complaints_complaint TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 40")
        sample = cursor.fetchall()
        cursor.execute("SELECT name FROM customers_customer TABLESAMPLE SYSTEM (5) REPEATABLE (7) LIMIT 20")
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT description FROM complaints_complaint TABLESAMPLE SYSTEM (1) REPEATABLE (3) LIMIT 200")
        texts = [row[0] for row in cursor.fetchall() if row[0]]
    terms = TERMS + [n for n, _p in sample[:20]] + [p[-4:] for _n, p in sample[20:]] + names
    LOAD_DIR.mkdir(parents=True, exist_ok=True)
    (LOAD_DIR / "fixtures.json").write_text(json.dumps(
        {"password": PASSWORD, "accounts": accounts, "complaint_ids": ids, "open_ids": open_ids, "search_terms": terms, "texts": texts},
        ensure_ascii=False))


def production_env(database_url: str, port: int) -> dict:
    secret = LOAD_DIR / "secret"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(64))
    (LOAD_DIR / "metrics").mkdir(exist_ok=True)
    for stale in (LOAD_DIR / "metrics").glob("*.db"):
        stale.unlink()
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "SECRET_KEY": secret.read_text(),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4",
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0",
        "PROMETHEUS_MULTIPROC_DIR": str(LOAD_DIR / "metrics"),
        "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(LOAD_DIR / "media"),
        "DB_CONN_MAX_AGE": "60",
    })
    env.pop("REPLICA_DATABASE_URL", None)
    return env


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM each process, then wait for it (30 s) or kill it."""
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_ready(url: str, seconds: int = 60) -> None:
    deadline = time.time() + seconds
    last = "no answer"
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:  # /readyz says what is not ready (e.g. a migration)
            last = f"{error.code} {error.read().decode(errors='replace')[:500]}"
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"{url} did not answer 200 within {seconds} s; last answer: {last}")


def stats(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] in ("login page", "login"):
                continue
            rows.append({
                "name": row["Name"], "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1), "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0), "p99_ms": float(row["99%"] or 0),
            })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="a database filled by bench/generate.py")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--run-time", type=int, default=60, help="seconds measured")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--celery-workers", type=int, default=1)
    parser.add_argument("--scenario", choices=["mix", "intake"], default="mix")
    parser.add_argument("--port", type=int, default=8200)
    args = parser.parse_args()

    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        sys.exit("DATABASE_URL must point at the PostgreSQL server that holds --database")
    database_url = urlunparse(url._replace(path=f"/{args.database}"))
    locust = loadenv()
    subprocess.run([sys.executable, __file__, "--prepare-only", database_url], check=True)
    env = production_env(database_url, args.port)
    host = f"http://127.0.0.1:{args.port}"
    venv = ROOT / ".venv" / "bin"
    # The production settings serve hashed static files from the manifest collectstatic writes.
    subprocess.run([str(venv / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    log = open(LOAD_DIR / "server.log", "w")
    started = [subprocess.Popen(
        [str(venv / "gunicorn"), "config.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}"],
        cwd=ROOT, env=env, stdout=log, stderr=log)]
    if args.celery_workers:
        started.append(subprocess.Popen(
            [str(venv / "celery"), "-A", "config", "worker", "-l", "warning", "--concurrency", str(args.celery_workers)],
            cwd=ROOT, env=env, stdout=log, stderr=log))
    try:
        wait_ready(f"{host}/readyz")
        prefix = LOAD_DIR / f"{args.scenario}"
        run = subprocess.run(
            [str(locust), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless", "--only-summary",
             "-u", str(args.users), "-r", str(args.users), "--run-time", f"{args.run_time}s", "--host", host,
             "--csv", str(prefix), "--stop-timeout", "5"],
            cwd=ROOT, env={**os.environ, "LOAD_DIR": str(LOAD_DIR), "LOAD_SCENARIO": args.scenario},
            capture_output=True, text=True)
        if not Path(f"{prefix}_stats.csv").exists():
            sys.exit(run.stderr[-3000:])
    finally:
        stop(started)
    rows = stats(Path(f"{prefix}_stats.csv"))
    print(f"{'request':24} {'requests':>9} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for r in rows:
        print(f"{r['name']:24} {r['requests']:>9} {r['failures']:>5} {r['rps']:>7} {r['p50_ms']:>6.0f} "
              f"{r['p95_ms']:>6.0f} {r['p99_ms']:>6.0f}")
    out = ROOT / "var" / "bench_load.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[args.scenario] = {"users": args.users, "run_time_s": args.run_time, "workers": args.workers,
                               "celery_workers": args.celery_workers, "database": args.database, "rows": rows}
    out.write_text(json.dumps(existing, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare-only":
        prepare(sys.argv[2])
    else:
        main()
