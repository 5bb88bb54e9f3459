"""Side by side with django-helpdesk (issue 12 §6): the same machine, database server, gunicorn
configuration and load generator, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/peers/compare.py [--database complaintdesk_bench_100k] \\
        [--duration 15] [--rounds 2] [--slow-duration 90] [--connections 8]

What it does:
1. ComplaintDesk's database: ``--database``, filled by ``bench/generate.py --rows 100000 --years 2``
   when it does not exist yet; the peer's: ``bench/peers/setup.py`` (django-helpdesk 2.6.1 in its own
   virtual environment, 100,000 tickets by COPY; see bench/peers/README.md).
2. Both served by gunicorn with 2 sync workers on loopback, ``DB_CONN_MAX_AGE=60`` for both.
   ComplaintDesk with its production settings and one Celery worker on Redis (intake queues the
   customer's SMS and the webhooks there; the worker shares the same two cores).
3. Each test is run by wrk (Debian's ``wrk``: ``make bench-tools``) with ``--connections`` connections
   for ``--duration`` seconds, ComplaintDesk then the peer, and the whole list ``--rounds`` times
   (interleaved, so both see the same machine); the figure is the median over rounds. A test whose
   requests take tens of seconds (the peer's API list and detail, which read every ticket) runs once
   with 2 connections for ``--slow-duration`` seconds. Each measured run follows ``--warmup``
   seconds of the same load, not measured (a worker's first requests prepare its statements). After
   each of ComplaintDesk's runs the script waits until the Celery worker has taken what the run
   queued, so that backlog is not charged to the next test (the wait is printed and kept).
4. Ceilings in the same run: a Django hello-world view (the peer project's ``/hello/``, same gunicorn),
   and raw single-row INSERT + COMMIT with pgbench (1 and 8 clients).

Every URL is first fetched once and must answer 200/201 (a 302 to a login page would count as a
success for wrk). Results: ``var/bench_peers.json`` and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import base64
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
VAR = ROOT / "var" / "peers"
WRK_DIR = VAR / "wrk"
OURS_PORT, PEER_PORT = 8102, 8101
CELERY_BROKER = "redis://127.0.0.1:6379/4"  # bench/load.py production_env
PEER = json.loads((VAR / "helpdesk.json").read_text()) if (VAR / "helpdesk.json").exists() else None
ROOTS: dict[str, int] = {}  # our gunicorn, our Celery worker, the peer's gunicorn → root pid (main)
TEXT = "小区门禁坏了一个星期没人修，业主进出都要等保安开门，物业一直推脱。"


def sh(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), check=True, **kwargs)


# -- HTTP ------------------------------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path: str, headers: dict | None = None, body: bytes | None = None, method: str = "GET"):
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def login(self, path: str, username: str, password: str, extra: dict | None = None) -> str:
        _, page = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password,
                                       **(extra or {})}).encode()
        status, _ = self.get(path, {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path},
                             form, "POST")
        if status != 302:
            sys.exit(f"login at {self.base}{path} failed: {status}")
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


# -- wrk -------------------------------------------------------------------------------------------

def lua_string(text: str) -> str:
    # A JSON string literal with the characters themselves (no \u escapes, which LuaJIT refuses) is
    # a valid Lua string literal.
    return json.dumps(text, ensure_ascii=False)


def script(method: str, paths: list[str], headers: dict, body_template: str | None = None) -> Path:
    """A wrk script: each request takes one of ``paths`` at random; a body template's ``{phone}``
    becomes a new mobile number per request (a new customer, as at a real peak).

    Each script seeds wrk's random numbers with its own salt: unseeded, every wrk run (the warm-up,
    the measured run, each round) drew the same numbers, so a run re-filed the customers of the one
    before it and measured repeat complaints — linked, raised, and from the third filing on
    escalated — instead of new ones."""
    WRK_DIR.mkdir(parents=True, exist_ok=True)
    lines = [
        f"math.randomseed({secrets.randbelow(2**31 - 1) + 1})",
        "local paths = {" + ",".join(lua_string(p) for p in paths) + "}",
        "local headers = {" + ",".join(f"[{lua_string(k)}]={lua_string(v)}" for k, v in headers.items()) + "}",
        "local counter = 0",
        "setup = function(thread) thread:set('seed', math.random(1, 1000000000)) end",
        "init = function(args) math.randomseed(seed or os.time()) end",
        "request = function()",
        "  local path = paths[math.random(#paths)]",
    ]
    if body_template is None:
        lines.append(f"  return wrk.format({lua_string(method)}, path, headers, nil)")
    else:
        head, tail = body_template.split("{phone}", 1)
        lines += [
            "  counter = counter + 1",
            "  local phone = string.format('13%09d', (math.random(0, 99999) * 10000 + counter) % 1000000000)",
            f"  local body = {lua_string(head)} .. phone .. {lua_string(tail)}",
            f"  return wrk.format({lua_string(method)}, path, headers, body)",
        ]
    lines.append("end")
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", dir=WRK_DIR, delete=False, encoding="utf-8")
    handle.write("\n".join(lines) + "\n")
    handle.close()
    return Path(handle.name)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(base: str, lua: Path, connections: int, duration: int) -> dict:
    result = subprocess.run(
        ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s", "--timeout", "300s",
         "--latency", "-s", str(lua), base],
        capture_output=True, text=True, check=True)
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    latency = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": rps, "requests": done, "p50_ms": latency.get("50"), "p90_ms": latency.get("90"),
            "p99_ms": latency.get("99"), "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0}


# -- where the two cores go -----------------------------------------------------------------------

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
GROUPS = ("web", "celery", "postgres", "other")


def _processes() -> dict[int, tuple[int, str, str, float]]:
    """pid → (parent pid, command name, command line, CPU ms used so far) from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(entry)] = (int(fields[1]), name, cmdline, (int(fields[11]) + int(fields[12])) * TICK_MS)
    return out


def cpu_by_group(roots: dict[str, int | None]) -> dict[int, tuple[str, float]]:
    """pid → (group, CPU ms used so far): the process trees under ``roots`` (group → pid), then
    PostgreSQL's server processes, and everything else (wrk has exited when a run is read)."""
    table = _processes()
    found = {pid: group for group, pid in roots.items() if pid}
    changed = True
    while changed:  # every descendant of a root belongs to its root's group
        changed = False
        for pid, (parent, _name, _cmd, _ms) in table.items():
            if pid not in found and parent in found:
                found[pid] = found[parent]
                changed = True
    return {pid: (found.get(pid) or ("postgres" if name == "postgres" else "other"), ms)
            for pid, (_parent, name, _cmd, ms) in table.items()}


def cpu_per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """CPU ms per request by group between two snapshots, per process: a process that started in
    between counts whole; one that ended in between (a closed database connection, wrk itself)
    is not seen at the end, so its share is left out rather than subtracted."""
    totals: dict[str, float] = {}
    for pid, (group, ms) in after.items():
        earlier = before.get(pid)
        spent = ms - earlier[1] if earlier and earlier[0] == group else ms
        totals[group] = totals.get(group, 0.0) + max(spent, 0.0)
    return {group: round(total / max(requests, 1), 2) for group, total in sorted(totals.items())}


# -- the two systems -------------------------------------------------------------------------------

def ensure_ours(database: str, admin_url) -> str:
    exists = subprocess.run(["psql", "-h", admin_url.hostname or "127.0.0.1", "-p", str(admin_url.port or 5432),
                             "-U", admin_url.username or "postgres", "-Atc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{database}'", "postgres"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if not exists:
        sh(sys.executable, str(ROOT / "bench" / "generate.py"), "--rows", "100000", "--years", "2",
           "--database", database, cwd=ROOT)
    return urlunparse(admin_url._replace(path=f"/{database}"))


def start_ours(database_url: str) -> list[subprocess.Popen]:
    import load  # bench/load.py: accounts, tokens and ids; the production environment

    sh(sys.executable, str(ROOT / "bench" / "load.py"), "--prepare-only", database_url, cwd=ROOT)
    env = load.production_env(database_url, OURS_PORT)
    venv = ROOT / ".venv" / "bin"
    sh(str(venv / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0", cwd=ROOT, env=env)
    log = open(VAR / "complaintdesk-server.log", "w")
    processes = [
        subprocess.Popen([str(venv / "gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{OURS_PORT}",
                          "--timeout", "300"], cwd=ROOT, env=env, stdout=log, stderr=log),
        subprocess.Popen([str(venv / "celery"), "-A", "config", "worker", "-l", "warning", "--concurrency", "1"],
                         cwd=ROOT, env=env, stdout=log, stderr=log),
    ]
    try:
        load.wait_ready(f"http://127.0.0.1:{OURS_PORT}/readyz")
    except SystemExit:  # not ready (e.g. a migration not applied): stop what was started
        load.stop(processes)
        raise
    return processes


def peer_pid() -> int:
    """The peer's gunicorn master (started by ``setup.py serve`` on PEER_PORT): the one whose parent
    is not one of them."""
    table = _processes()
    theirs = {pid for pid, (_p, _n, cmd, _ms) in table.items() if "gunicorn" in cmd and f":{PEER_PORT}" in cmd}
    return next((pid for pid in theirs if table[pid][0] not in theirs), 0)


def peer(*args: str) -> None:
    sh(sys.executable, str(ROOT / "bench" / "peers" / "setup.py"), *args, cwd=ROOT,
       env={**os.environ, "DB_CONN_MAX_AGE": "60"})


def datatables(search: str = "", filtering: dict | None = None) -> str:
    query = {"filtering": filtering if filtering is not None else {"status__in": [1, 2]}, "sorting": "created",
             "search_string": search, "sortreverse": False}
    encoded = base64.b64encode(json.dumps(query, ensure_ascii=False).encode()).decode()
    return f"/helpdesk/datatables_ticket_list/{encoded}?draw=1&start=0&length=25"


def tests(ours: dict, theirs: dict) -> list[dict]:
    """(name, ComplaintDesk request, django-helpdesk request); a request is (method, paths, headers, body)."""
    ids, peer_ids = ours["ids"], theirs["ids"]
    phone, peer_phone = ours["phone"], PEER["sample_phone"]
    api, peer_api = ours["api"], theirs["api"]
    page, peer_page = ours["page"], theirs["page"]
    create = json.dumps({"phone": "{phone}", "customer_name": "王伟", "channel": "phone", "subject": "门禁坏了没人修",
                         "description": TEXT, "demand": "尽快修好"}, ensure_ascii=False)
    peer_create = json.dumps({"queue": PEER["queue_id"], "title": "门禁坏了没人修", "priority": 3,
                              "description": TEXT + " 联系电话：{phone}", "submitter_email": "{phone}@139.com"},
                             ensure_ascii=False)
    json_headers = {"Content-Type": "application/json"}
    return [
        {"name": "API create", "ours": ("POST", ["/api/v1/complaints/receive/"], {**api, **json_headers}, create),
         "peer": ("POST", ["/helpdesk/api/tickets/"], {**peer_api, **json_headers}, peer_create)},
        {"name": "API list, first page", "ours": ("GET", ["/api/v1/complaints/"], api, None),
         "peer": ("GET", ["/helpdesk/api/tickets/"], peer_api, None), "peer_slow": True},
        {"name": "API detail", "ours": ("GET", [f"/api/v1/complaints/{i}/" for i in ids], api, None),
         "peer": ("GET", [f"/helpdesk/api/tickets/{i}/" for i in peer_ids], peer_api, None), "peer_slow": True},
        {"name": "staff list page", "ours": ("GET", ["/q/all/"], page, None),
         "peer": ("GET", ["/helpdesk/tickets/"], peer_page, None)},
        {"name": "staff list: its table query", "ours": ("GET", ["/q/all/"], {**page, "HX-Request": "true",
                                                                               "HX-Target": "results"}, None),
         "peer": ("GET", [datatables()], peer_page, None)},
        {"name": "ticket page", "ours": ("GET", [f"/c/{i}/" for i in ids], page, None),
         "peer": ("GET", [f"/helpdesk/tickets/{i}/" for i in peer_ids], peer_page, None)},
        {"name": "search by phone", "ours": ("GET", ["/q/all/?" + urllib.parse.urlencode({"q": phone})], page, None),
         "peer": ("GET", [datatables(peer_phone, {})], peer_page, None)},
        {"name": "search by a Chinese word (门禁)",
         "ours": ("GET", ["/q/all/?" + urllib.parse.urlencode({"q": "门禁"})], page, None),
         "peer": ("GET", [datatables("门禁", {})], peer_page, None)},
    ]


def show(round_: int, name: str, side: str, last: dict) -> None:
    print(f"round {round_ + 1} {name:32} {side:5} {last['rps']:9.2f} req/s  p50 {last['p50_ms']} ms  "
          f"{last['requests']} requests  non-2xx {last['non_2xx']}  errors {last['socket_errors']}", flush=True)


def check(base: str, request) -> None:
    method, paths, headers, body = request
    client = Client(base)
    data = body.replace("{phone}", "13900000000").encode() if body else None
    status, content = client.get(paths[0], headers, data, method)
    if status not in (200, 201):
        sys.exit(f"{method} {base}{paths[0]} answered {status}: {content[:300]!r}")


def pgbench(admin_url, clients: int, seconds: int) -> float:
    host, port, user = admin_url.hostname or "127.0.0.1", str(admin_url.port or 5432), admin_url.username or "postgres"
    base = ["-h", host, "-p", port, "-U", user]
    subprocess.run(["psql", *base, "-qc", "DROP DATABASE IF EXISTS bench_ceiling", "postgres"], check=True)
    subprocess.run(["psql", *base, "-qc", "CREATE DATABASE bench_ceiling", "postgres"], check=True)
    subprocess.run(["psql", *base, "-qc", "CREATE TABLE t (id bigserial PRIMARY KEY, at timestamptz, note text)",
                    "bench_ceiling"], check=True)
    sql = WRK_DIR / "insert.sql"
    sql.write_text("INSERT INTO t (at, note) VALUES (now(), 'x');\n")
    binary = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    out = subprocess.run([binary, *base, "-n", "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(seconds),
                          "-f", str(sql), "bench_ceiling"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["psql", *base, "-qc", "DROP DATABASE bench_ceiling", "postgres"], check=True)
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="complaintdesk_bench_100k")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--slow-duration", type=int, default=90)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3,
                        help="seconds of unmeasured load before each test (0: none)")
    parser.add_argument("--only", default="", help="comma-separated test names (default: all)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: make bench-tools")
    admin_url = urlparse(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    if admin_url.scheme not in ("postgres", "postgresql"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server")
    VAR.mkdir(parents=True, exist_ok=True)
    database_url = ensure_ours(args.database, admin_url)
    peer("setup")
    global PEER
    PEER = json.loads((VAR / "helpdesk.json").read_text())
    import load  # bench/load.py

    processes = start_ours(database_url)
    peer("serve", "--workers", "2", "--timeout", "300")
    ROOTS.update(ours=processes[0].pid, celery=processes[1].pid, peer=peer_pid())
    try:
        run(args, admin_url)
    finally:
        peer("stop")
        load.stop(processes)


def drain(limit: float = 180) -> float:
    """Wait until our Celery worker has taken every queued task (the SMS and webhooks intake
    queues), so one test's backlog does not run during the next; returns the seconds waited."""
    import time

    import redis

    queue = redis.Redis.from_url(CELERY_BROKER)
    start = time.monotonic()
    while queue.llen("celery") and time.monotonic() - start < limit:
        time.sleep(0.5)
    return time.monotonic() - start


def run(args, admin_url) -> None:
    fixtures = json.loads((ROOT / "var" / "load" / "fixtures.json").read_text())
    account = fixtures["accounts"][0]
    ours_base, peer_base = f"http://127.0.0.1:{OURS_PORT}", f"http://127.0.0.1:{PEER_PORT}"
    ours_cookie = Client(ours_base).login("/login/", account["username"], fixtures["password"])
    peer_cookie = Client(peer_base).login("/helpdesk/login/", PEER["username"], PEER["password"],
                                          {"next": "/helpdesk/"})
    phone = subprocess.run(
        ["psql", "-h", admin_url.hostname or "127.0.0.1", "-p", str(admin_url.port or 5432), "-U",
         admin_url.username or "postgres", "-Atc", "SELECT contact_phone FROM complaints_complaint ORDER BY id DESC LIMIT 1",
         args.database], capture_output=True, text=True, check=True).stdout.strip()
    peer_ids = [i for i in range(1, 100_001, 997)][:50]
    ours = {"ids": fixtures["complaint_ids"][:50], "phone": phone,
            "api": {"Authorization": f"Token {account['token']}"}, "page": {"Cookie": ours_cookie}}
    theirs = {"ids": peer_ids, "api": {"Authorization": f"Token {PEER['token']}"}, "page": {"Cookie": peer_cookie}}
    chosen = [t for t in tests(ours, theirs) if not args.only or t["name"] in args.only.split(",")]
    for test in chosen:
        check(ours_base, test["ours"])
        if not test.get("peer_slow"):
            check(peer_base, test["peer"])
    hello = script("GET", ["/hello/"], {})
    results: dict[str, dict[str, list]] = {t["name"]: {"ours": [], "peer": []} for t in chosen}
    results["hello-world (Django, same gunicorn)"] = {"ours": [], "peer": []}
    for round_ in range(args.rounds):
        results["hello-world (Django, same gunicorn)"]["peer"].append(wrk(peer_base, hello, args.connections, args.duration))
        for test in chosen:
            for side, base in (("ours", ours_base), ("peer", peer_base)):
                if side == "peer" and test.get("peer_slow"):
                    continue  # below, last: its requests keep the peer's workers busy long after wrk stops
                if args.warmup:  # a worker's first requests prepare its statements: not measured
                    wrk(base, script(*test[side]), args.connections, args.warmup)
                    if side == "ours":
                        drain()
                # The measured system's gunicorn is "web"; the other one, idle meanwhile, "other".
                roots = {"web": ROOTS.get(side), "celery": ROOTS.get("celery"),
                         "other": ROOTS.get("peer" if side == "ours" else "ours")}
                before = cpu_by_group(roots)
                results[test["name"]][side].append(wrk(base, script(*test[side]), args.connections, args.duration))
                show(round_, test["name"], side, results[test["name"]][side][-1])
                last = results[test["name"]][side][-1]
                if side == "ours":
                    waited = drain()
                    if waited >= 1:
                        print(f"        (the Celery worker finished what the test queued {waited:.0f} s after it)")
                    last["drain_s"] = round(waited, 1)
                # CPU per request by process group, the Celery backlog the run left included.
                last["cpu_ms"] = cpu_per_request(before, cpu_by_group(roots), last["requests"])
                print(f"        CPU ms per request: {last['cpu_ms']}")
    for test in chosen:
        if test.get("peer_slow"):
            results[test["name"]]["peer"].append(wrk(peer_base, script(*test["peer"]), 2, args.slow_duration))
            show(0, test["name"], "peer", results[test["name"]]["peer"][-1])
    ceilings = {"insert_commit_1_client": pgbench(admin_url, 1, 10), "insert_commit_8_clients": pgbench(admin_url, 8, 10)}
    summary = {}
    hello_rps = statistics.median(r["rps"] for r in results["hello-world (Django, same gunicorn)"]["peer"])
    for name, sides in results.items():
        row = {}
        for side, runs in sides.items():
            if runs:
                row[side] = {"rps": round(statistics.median(r["rps"] for r in runs), 2),
                             "p50_ms": round(statistics.median(r["p50_ms"] or 0 for r in runs), 1),
                             "requests": sum(r["requests"] for r in runs),
                             "non_2xx": sum(r["non_2xx"] for r in runs),
                             "socket_errors": sum(r["socket_errors"] for r in runs), "runs": runs}
                if all("cpu_ms" in r for r in runs):
                    row[side]["cpu_ms"] = {group: round(statistics.median(r["cpu_ms"].get(group, 0) for r in runs), 2)
                                           for group in GROUPS}
        if row.get("ours") and row.get("peer") and row["peer"]["rps"]:
            row["ratio"] = round(row["ours"]["rps"] / row["peer"]["rps"], 2)
        if row.get("ours"):
            row["ours_share_of_hello"] = round(row["ours"]["rps"] / hello_rps, 4)
        summary[name] = row
    out = ROOT / "var" / "bench_peers.json"
    out.write_text(json.dumps({"connections": args.connections, "duration_s": args.duration, "rounds": args.rounds,
                               "hello_rps": hello_rps, "ceilings": ceilings, "tests": summary},
                              ensure_ascii=False, indent=1))
    print(f"\nhello-world {hello_rps:.0f} req/s; INSERT+COMMIT {ceilings['insert_commit_1_client']:.0f}/s (1 client), "
          f"{ceilings['insert_commit_8_clients']:.0f}/s (8)\n")
    print("| test | django-helpdesk 2.6.1 | ComplaintDesk | ratio | ComplaintDesk / hello-world |")
    print("|---|---|---|---|---|")
    for name, row in summary.items():
        def cell(side, row=row):
            r = row.get(side)
            return f"{r['rps']} req/s, p50 {r['p50_ms']:.0f} ms" if r else "—"
        ratio = f"{row['ratio']}×" if "ratio" in row else "—"
        share = f"{row['ours_share_of_hello']:.1%}" if "ours_share_of_hello" in row else "—"
        print(f"| {name} | {cell('peer')} | {cell('ours')} | {ratio} | {share} |")
    print("\nCPU ms per request (medians over rounds; web = the system's gunicorn workers):\n")
    print("| test | side | " + " | ".join(GROUPS) + " | all |")
    print("|---|---|" + "---|" * (len(GROUPS) + 1))
    for name, row in summary.items():
        for side in ("peer", "ours"):
            cpu = (row.get(side) or {}).get("cpu_ms")
            if cpu:
                print(f"| {name} | {side} | " + " | ".join(f"{cpu[g]:.1f}" for g in GROUPS)
                      + f" | {sum(cpu.values()):.1f} |")


if __name__ == "__main__":
    main()
