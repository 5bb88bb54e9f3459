"""Server time of single requests, in-process (issue 12 §6: where the per-request time goes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/request_times.py --database complaintdesk_bench_100k [--rounds 5] \\
        [--requests 40] [--kinds create,detail,list,page,queue,rows] [--compare-prepared]

Each request goes through the whole Django stack (middleware, authentication, view, template or
serializer) with the production settings (``bench/load.py production_env``) and a persistent
database connection, as a gunicorn worker runs it, but without the network and the worker. The
accounts, tokens and ids are ``bench/load.py``'s (``--prepare-only`` runs first).

``--baseline DIR`` times an earlier checkout's code in the same rounds (the script copies itself
there): the speed-up of a change, measured in one run on a noisy machine.

A round is one fresh process per setting that makes ``--requests`` requests of each kind after 10
unmeasured ones (so the connection has prepared its statements, as a busy worker's has). With
``--compare-prepared`` every round runs ``DB_PREPARED_STATEMENTS=on`` and ``off`` one after the
other, interleaved; the figures are the medians over all requests of all rounds, and the ratio is
taken in the same run. The queries of one request of each kind are counted too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
KINDS = ("create", "detail", "list", "page", "queue", "rows")
TEXT = "小区门禁坏了一个星期没人修，业主进出都要等保安开门，物业一直推脱。"


def worker(database_url: str, kinds: list[str], requests: int) -> dict:
    """One process: time ``requests`` requests of each kind (runs inside the product's environment)."""
    import load

    os.environ.update(load.production_env(database_url, 8102))
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from complaintdesk.org.models import User

    fixtures = json.loads((load.LOAD_DIR / "fixtures.json").read_text())
    account = fixtures["accounts"][0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=account["username"]))
    api = {"HTTP_AUTHORIZATION": f"Token {account['token']}"}
    ids = fixtures["complaint_ids"][:200]
    serial = [int(time.time() * 1000) % 10_000_000]

    def request(kind: str, i: int):
        pk = ids[i % len(ids)]
        if kind == "create":
            serial[0] += 1
            body = {"phone": f"139{serial[0] % 100_000_000:08d}", "customer_name": "王伟", "channel": "phone",
                    "subject": "门禁坏了没人修", "description": TEXT, "demand": "尽快修好"}
            return client.post("/api/v1/complaints/receive/", body, content_type="application/json", **api)
        if kind == "detail":
            return client.get(f"/api/v1/complaints/{pk}/", **api)
        if kind == "list":
            return client.get("/api/v1/complaints/", **api)
        if kind == "page":
            return client.get(f"/c/{pk}/")
        if kind == "queue":
            return client.get("/q/all/")
        return client.get("/q/all/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")  # rows

    out = {}
    for kind in kinds:
        for i in range(10):
            response = request(kind, i)
            assert response.status_code in (200, 201), (kind, response.status_code, response.content[:300])
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            request(kind, 10)
        times = []
        for i in range(requests):
            start = time.perf_counter()
            request(kind, 11 + i)
            times.append((time.perf_counter() - start) * 1000)
        out[kind] = {"times_ms": times, "queries": len(queries)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a database filled by bench/generate.py")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--compare-prepared", action="store_true")
    parser.add_argument("--baseline", default="",
                        help="a checkout of an earlier commit (git worktree add DIR COMMIT): its code is timed "
                             "in the same rounds, interleaved")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from urllib.parse import urlparse, urlunparse

    admin = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    database_url = urlunparse(admin._replace(path=f"/{args.database}"))
    kinds = [k for k in args.kinds.split(",") if k]
    if args.worker:
        print(json.dumps(worker(database_url, kinds, args.requests)))
        return
    subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--prepare-only", database_url], check=True,
                   cwd=ROOT)
    import load

    env = load.production_env(database_url, 8102)
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    # (name, script, DB_PREPARED_STATEMENTS): this checkout, without prepared statements, an earlier one.
    variants = [("on", Path(__file__), "on")]
    if args.compare_prepared:
        variants.append(("off", Path(__file__), "off"))
    if args.baseline:
        copy = Path(args.baseline).resolve() / "bench" / "request_times.py"
        copy.write_text(Path(__file__).read_text())
        variants.append(("baseline", copy, "on"))
    results: dict[str, dict[str, dict]] = {name: {} for name, _script, _setting in variants}
    for round_ in range(args.rounds):
        for name, script, setting in variants:
            environment = {**os.environ, "DB_PREPARED_STATEMENTS": setting}
            run = subprocess.run([sys.executable, str(script), "--worker", "--database", args.database, "--kinds",
                                  ",".join(kinds), "--requests", str(args.requests)],
                                 cwd=script.parents[1], env=environment, capture_output=True, text=True, check=True)
            for kind, figures in json.loads(run.stdout.strip().splitlines()[-1]).items():
                into = results[name].setdefault(kind, {"times_ms": [], "queries": figures["queries"]})
                into["times_ms"] += figures["times_ms"]
            print(f"round {round_ + 1} {name}: " + ", ".join(
                f"{kind} {statistics.median(f['times_ms']):.1f} ms" for kind, f in results[name].items()))
    summary = {}
    others = [name for name, _script, _setting in variants if name != "on"]
    heads = {"off": "client-side binding", "baseline": "baseline checkout"}
    print("\n| request | queries | median | p90 |" + "".join(f" {heads[o]}: queries, median | ratio |" for o in others))
    print("|---|---|---|---|" + "---|---|" * len(others))
    for kind in kinds:
        on = results["on"][kind]["times_ms"]
        row = {"queries": results["on"][kind]["queries"], "median_ms": round(statistics.median(on), 1),
               "p90_ms": round(statistics.quantiles(on, n=10)[-1], 1), "n": len(on)}
        line = f"| {kind} | {row['queries']} | {row['median_ms']} ms | {row['p90_ms']} ms |"
        for other in others:
            times = results[other][kind]["times_ms"]
            row[other] = {"median_ms": round(statistics.median(times), 1), "queries": results[other][kind]["queries"]}
            row[other]["ratio"] = round(row[other]["median_ms"] / row["median_ms"], 2)
            line += f" {row[other]['queries']}, {row[other]['median_ms']} ms | {row[other]['ratio']}× |"
        summary[kind] = row
        print(line)
    (ROOT / "var" / "bench_requests.json").write_text(json.dumps(
        {"database": args.database, "rounds": args.rounds, "requests": args.requests, "results": summary},
        ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
