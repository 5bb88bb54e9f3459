"""Side-by-side peer: django-helpdesk in its own venv, on PostgreSQL, served by gunicorn on 127.0.0.1:8101.

Run with ComplaintDesk's python (stdlib only):

    .venv/bin/python bench/peers/setup.py [setup] [--tickets 100000] [--fresh]
    .venv/bin/python bench/peers/setup.py serve [--workers 2] [--port 8101]
    .venv/bin/python bench/peers/setup.py stop
    .venv/bin/python bench/peers/setup.py smoke          # one request per benchmark URL (needs serve)

setup: creates var/peers/helpdesk-venv (python3.11 -m venv) and pip-installs
bench/peers/helpdesk/requirements.txt (skipped when already done for that exact file), creates the
database (``peer_helpdesk`` on DATABASE_URL's server; --fresh drops it first), migrates, creates the
staff superuser bench / bench-pass-2026, five agents, the queue ``complaints`` and an API token
(all written to var/peers/helpdesk.json), then loads --tickets tickets with ~2 follow-ups each (COPY),
unless tickets are already there. PEER_DATABASE_URL overrides postgres://postgres@127.0.0.1:5432/peer_helpdesk.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROJECT = HERE / "helpdesk"
REQUIREMENTS = PROJECT / "requirements.txt"
VAR = ROOT / "var" / "peers"
VENV = VAR / "helpdesk-venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".requirements.sha256"
PIDFILE = VAR / "helpdesk-gunicorn.pid"
DB = "peer_helpdesk"
DEFAULT_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def log(msg: str) -> None:
    print(f"[peers] {msg}", flush=True)


def env() -> dict:
    e = dict(os.environ)
    # PEER_DATABASE_URL, not DATABASE_URL: the latter may point at ComplaintDesk's own server/database.
    e["DATABASE_URL"] = os.environ.get("PEER_DATABASE_URL", DEFAULT_URL)
    e["DJANGO_SETTINGS_MODULE"] = "peerproj.settings"
    e.pop("PYTHONPATH", None)
    return e


def pg_args() -> tuple[list[str], str]:
    """psql connection options for DATABASE_URL's server, and the database name."""
    u = urllib.parse.urlparse(env()["DATABASE_URL"])
    args = ["-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    return args, (u.path.lstrip("/") or DB)


def psql(sql: str) -> str:
    args, _ = pg_args()
    e = dict(os.environ)
    u = urllib.parse.urlparse(env()["DATABASE_URL"])
    if u.password:
        e["PGPASSWORD"] = urllib.parse.unquote(u.password)
    return subprocess.run(
        ["psql", *args, "-d", "postgres", "-Atqc", sql], check=True, capture_output=True, text=True, env=e
    ).stdout.strip()


def manage(*args: str) -> None:
    subprocess.run([str(PY), "manage.py", *args], cwd=PROJECT, env=env(), check=True)


def install() -> float:
    started = time.perf_counter()
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text().strip() == digest:
        log(f"venv {VENV.relative_to(ROOT)} up to date, install skipped")
        return 0.0
    if not PY.exists():
        log(f"creating {VENV.relative_to(ROOT)} (python3.11 -m venv)")
        subprocess.run(["python3.11", "-m", "venv", str(VENV)], check=True)
    log("pip install -r bench/peers/helpdesk/requirements.txt")
    subprocess.run(
        [str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        check=True,
    )
    STAMP.write_text(digest + "\n")
    seconds = time.perf_counter() - started
    log(f"installed in {seconds:.0f} s")
    return seconds


def database(fresh: bool) -> None:
    _, name = pg_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in {"postgres", "template0", "template1"}:
        sys.exit(f"refusing database name {name!r}")
    if fresh:
        stop()
        log(f"dropping database {name}")
        psql(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        psql(f"DROP DATABASE IF EXISTS {name}")
        (VAR / "helpdesk.json").unlink(missing_ok=True)
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        log(f"creating database {name}")
        psql(f"CREATE DATABASE {name}")


def setup(args) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    install()
    database(args.fresh)
    manage("migrate", "--noinput", "-v", "0")
    manage("bench_setup")
    started = time.perf_counter()
    manage("load_tickets", "--count", str(args.tickets))
    log(
        f"load step took {time.perf_counter() - started:.0f} s; credentials in {(VAR / 'helpdesk.json').relative_to(ROOT)}"
    )


def running_pid() -> int | None:
    try:
        pid = int(PIDFILE.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def serve(args) -> None:
    if running_pid():
        log(f"gunicorn already running (pid {running_pid()})")
        return
    VAR.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(VENV / "bin" / "gunicorn"),
        "peerproj.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--timeout",
        str(args.timeout),
        "--daemon",
        "--pid",
        str(PIDFILE),
        "--access-logfile",
        str(VAR / "helpdesk-access.log"),
        "--error-logfile",
        str(VAR / "helpdesk-gunicorn.log"),
    ]
    subprocess.run(cmd, cwd=PROJECT, env=env(), check=True)
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/hello/", timeout=2) as r:
                if r.status == 200:
                    log(
                        f"gunicorn (pid {running_pid()}, {args.workers} sync workers) at http://127.0.0.1:{args.port}"
                    )
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"not ready after 30 s; see {VAR / 'helpdesk-gunicorn.log'}")


def stop(args=None) -> None:
    pid = running_pid()
    if not pid:
        log("gunicorn not running")
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(60):
        if not running_pid():
            break
        time.sleep(0.5)
    log(f"gunicorn {pid} stopped")


# -- smoke: one request per URL the benchmark uses ---------------------------------------------------


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def req(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        r = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(r, timeout=300) as resp:
                data, code = resp.read(), resp.status
        except urllib.error.HTTPError as e:
            data, code = e.read(), e.code
        return code, data, time.perf_counter() - started

    def login(self, username: str, password: str) -> int:
        """Session login like a browser: GET the form (csrftoken cookie + hidden field), POST it back."""
        _, page, _ = self.req("GET", "/helpdesk/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/helpdesk/"}
        ).encode()
        code, _, _ = self.req(
            "POST",
            "/helpdesk/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + "/helpdesk/login/"},
        )
        return code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def smoke(args) -> None:
    info = json.loads((VAR / "helpdesk.json").read_text())
    base = f"http://127.0.0.1:{args.port}"
    tok = {"Authorization": f"Token {info['token']}"}
    results = []

    def show(label, method, path, code, data, seconds):
        results.append((label, code))
        log(f"{code}  {seconds * 1000:7.0f} ms  {len(data):8d} B  {method} {path}   [{label}]")

    anon = Client(base)
    show("ceiling", "GET", "/hello/", *anon.req("GET", "/hello/"))
    body = json.dumps(
        {
            "queue": info["queue_id"],
            "title": "门禁卡刷不开单元门",
            "description": "小区门禁刷卡失灵，联系电话：13800138000",
            "submitter_email": "13800138000@139.com",
            "priority": 3,
        }
    ).encode()
    code, data, s = anon.req(
        "POST", "/helpdesk/api/tickets/", body, {**tok, "Content-Type": "application/json"}
    )
    show("API create (token)", "POST", "/helpdesk/api/tickets/", code, data, s)
    new_id = json.loads(data)["id"] if code == 201 else None
    show(
        "API list page 1 (token)",
        "GET",
        "/helpdesk/api/tickets/",
        *anon.req("GET", "/helpdesk/api/tickets/", None, tok),
    )
    if new_id:
        path = f"/helpdesk/api/tickets/{new_id}/"
        show("API detail (token)", "GET", path, *anon.req("GET", path, None, tok))
    staff = Client(base)
    log(f"login POST /helpdesk/login/ -> {staff.login(info['username'], info['password'])} (302 = ok)")
    pages = ["/helpdesk/tickets/", f"/helpdesk/tickets/{new_id or 1}/"]
    for label, path in (("ticket list page", pages[0]), ("ticket page", pages[1])):
        code, page, s = staff.req("GET", path)
        show(label, "GET", path, code, page, s)
        m = re.search(rb"datatables_ticket_list/([A-Za-z0-9+/=]+)", page)
        if m:  # the list page is a shell: its rows come from this AJAX (DataTables server-side) request
            path = f"/helpdesk/datatables_ticket_list/{m.group(1).decode()}?draw=1&start=0&length=25"
            show("ticket list table JSON", "GET", path, *staff.req("GET", path))
    for term in (
        info.get("sample_phone", "13800138000"),
        info.get("sample_email", "13800138000@139.com"),
        "门禁",
    ):
        q = urllib.parse.quote(term)
        code, page, s = staff.req("GET", f"/helpdesk/tickets/?q={q}")
        show(f"search page {term}", "GET", f"/helpdesk/tickets/?q={q}", code, page, s)
        m = re.search(rb"datatables_ticket_list/([A-Za-z0-9+/=]+)", page)
        if m:
            path = f"/helpdesk/datatables_ticket_list/{m.group(1).decode()}?draw=1&start=0&length=25"
            show(f"search table JSON {term}", "GET", path, *staff.req("GET", path))
    bad = [r for r in results if r[1] >= 400]
    log("all ok" if not bad else f"FAILED: {bad}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", nargs="?", default="setup", choices=["setup", "serve", "stop", "smoke"])
    p.add_argument("--tickets", type=int, default=100_000)
    p.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--port", type=int, default=8101)
    p.add_argument(
        "--timeout", type=int, default=60, help="gunicorn worker timeout, as ComplaintDesk's deploy"
    )
    args = p.parse_args()
    {"setup": setup, "serve": serve, "stop": stop, "smoke": smoke}[args.action](args)


if __name__ == "__main__":
    main()
