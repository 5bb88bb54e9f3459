"""Benchmark: where the time of one intake goes (issue 12: "profile where the app-server CPU per
create goes — classification, repeat lookup, deadlines, notices, SMS").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/intake.py [--runs 40]

Runs in-process against the 1,000,000-complaint database of ``bench/dashboard.py``
(``complaintdesk_bench_reports``; run that first), through the real service
``complaint_receive`` as the embedded default runs it (tasks eager: the customer's SMS is
delivered by the console backend inside the call). Prints the median time per intake, the SQL
statements of one intake, and the share of each stage from a profile of 20 intakes (the profiler
slows everything about 2×; the shares are what to read). The complaints it makes stay in that
database (received "now", numbers of today).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STAGES = {
    "after commit: customer SMS (receipt)": "complaintdesk/complaints/listeners.py:(on_received)",
    "after commit: progress-update clock": "complaintdesk/enforcement/listeners.py:(on_received)",
    "after commit: webhooks": "complaintdesk/webhooks/services.py:(events_publish)",
    "repeat lookup (3 indexed queries + similarity)": "complaintdesk/complaints/services/intake.py:(find_repeat_original)",
    "complaint number (counter row)": "complaintdesk/core/sequences.py:(next_value)",
    "first-answer deadline (policy + calendar)": "complaintdesk/sla/deadlines.py:(first_answer_due)",
    "customer by phone": "complaintdesk/customers/services.py:(customer_get_or_create)",
    "classification (suggestions)": "complaintdesk/language/services.py:(suggest)",
    "reports' running tallies (count and add)": "complaintdesk/reports/tally.py:(after)",
}
TEXTS = ["热水器不出热水，已经多次联系未果", "电梯经常停运，物业不管", "门禁卡坏了，补办要收费不合理", "楼上漏水到我家天花板"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database", default="", help="a database of bench/generate.py instead of bench/dashboard.py's")
    parser.add_argument("--compare-tally", action="store_true",
                        help="also time intakes without the reports' running-tally observer, interleaved")
    args = parser.parse_args()
    import dashboard

    if args.database:
        from generate import server_url

        dashboard.setup_django(server_url(args.database))
    else:
        dashboard.setup_django(dashboard.database_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaintdesk.complaints.services.intake import complaint_receive
    from complaintdesk.org.models import User

    agent = User.objects.get(username="agent")
    offset = int(time.time()) % 5000

    def one(i: int) -> None:
        complaint_receive(
            actor=agent, phone=f"1390001{(offset + i) % 10000:04d}", customer_name="张三",
            address=f"阳光花园{i % 40 + 1}栋", room=str(100 + i % 300),
            subject=TEXTS[i % 4][:8], description=TEXTS[i % 4] + "，请尽快处理。",
        )

    from complaintdesk.core import changes
    from complaintdesk.reports import tally

    one(0)
    times, without = [], []
    for i in range(1, args.runs + 1):
        started = time.perf_counter()
        one(i)
        times.append((time.perf_counter() - started) * 1000)
        if args.compare_tally:
            changes.forget(tally.observer)
            try:
                started = time.perf_counter()
                one(10_000 + i)
                without.append((time.perf_counter() - started) * 1000)
            finally:
                changes.observe(tally.observer)
    if without:
        print(f"without the running tallies: median {statistics.median(without):.1f} ms; with: "
              f"{statistics.median(times):.1f} ms (+{statistics.median(times) - statistics.median(without):.1f} ms)")
    with CaptureQueriesContext(connection) as ctx:
        one(args.runs + 1)
    print(f"intake median {statistics.median(times):.1f} ms over {args.runs} (min {min(times):.1f}); "
          f"{len(ctx.captured_queries)} SQL statements, "
          f"{sum(float(q['time']) for q in ctx.captured_queries) * 1000:.1f} ms in the database")
    profile = cProfile.Profile()
    profile.enable()
    for i in range(args.runs + 2, args.runs + 22):
        one(i)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = next(v[3] for k, v in stats.items() if k[2] == "complaint_receive")
    print(f"profile of 20 intakes: {total * 1000 / 20:.1f} ms each under the profiler")
    for label, key in STAGES.items():
        path, rest = key.split(":", 1)
        name = rest.strip("()")
        cum = sum(v[3] for k, v in stats.items() if k[0].endswith(path) and k[2] == name)
        print(f"  {label:<50} {cum / total:6.1%}")


if __name__ == "__main__":
    main()
