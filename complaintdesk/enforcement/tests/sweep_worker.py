"""A separate OS process running one sweep (used by test_concurrency_processes.py).

Usage: python -m complaintdesk.enforcement.tests.sweep_worker <sweep> <iso now> <start at epoch> [die-in-chunk N]
Prints ``acted=<n>``. With a chunk number it kills itself (``os._exit``) in the middle of that
chunk — after the rows were written, before the commit — like a worker lost to a crash.
"""

import datetime as dt
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
django.setup()

from complaintdesk.core import clock  # noqa: E402
from complaintdesk.enforcement import sweeps  # noqa: E402
from complaintdesk.enforcement.sweeps import rules  # noqa: E402


def main() -> None:
    name, now, start_at = sys.argv[1], dt.datetime.fromisoformat(sys.argv[2]), float(sys.argv[3])
    die_in = int(sys.argv[4]) if len(sys.argv) > 4 else None
    if die_in is not None:
        real = rules.complaints_mark_breached
        seen = {"chunks": 0}

        def dying(**kwargs):
            seen["chunks"] += 1
            result = real(**kwargs)
            if seen["chunks"] == die_in:
                os._exit(17)
            return result

        rules.complaints_mark_breached = dying
    while time.time() < start_at:
        time.sleep(0.001)
    with clock.frozen(now):
        run = sweeps.run(name, chunk_size=25, workers=1)
    print(f"acted={run.acted} errors={run.errors}", flush=True)


if __name__ == "__main__":
    main()
