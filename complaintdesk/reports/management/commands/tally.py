"""``manage.py tally rebuild [--from YYYY-MM-DD --to YYYY-MM-DD]`` — recount the reports' running
tallies from the complaints (after loading rows behind the writers, e.g. a restore or a bulk COPY);
``manage.py tally check [--days N | --from … --to …] [--repair]`` — compare them with a recount and
list the rows that differ (exit status 1 when some do and ``--repair`` was not given).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from complaintdesk.core import clock
from complaintdesk.reports import tally
from complaintdesk.reports.management.commands.indicators import parse_day
from complaintdesk.sla.calendar import SHANGHAI


class Command(BaseCommand):
    help = "Recount (rebuild) or check the reports' running tallies."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--from", dest="first", default="")
        parser.add_argument("--to", dest="last", default="")
        parser.add_argument("--days", type=int, default=0, help="check: the last N local days (today included)")
        parser.add_argument("--repair", action="store_true", help="check: recount the days that differ")

    def handle(self, *args, action, first, last, days, repair, **options):
        if bool(first) != bool(last):
            raise CommandError(_("--from 与 --to 须同时给出。"))
        first_day = parse_day(first, "--from") if first else None
        last_day = parse_day(last, "--to") if last else None
        if first_day and last_day and last_day < first_day:
            raise CommandError(_("截止日早于起始日。"))
        started = time.perf_counter()
        if action == "rebuild":
            rows = tally.rebuild(first_day, last_day)
            self.stdout.write(f"rebuilt: {rows} rows in {time.perf_counter() - started:.1f} s")
            return
        if not first_day:
            today = clock.now().astimezone(SHANGHAI).date()
            last_day, first_day = today, today - dt.timedelta(days=max(days, 1) - 1)
        wrong = tally.check(first_day, last_day, repair=repair)
        for key in wrong:
            self.stdout.write(" ".join(str(part) for part in key))
        self.stdout.write(f"checked {first_day}…{last_day}: {len(wrong)} rows differ"
                          f"{' (recounted)' if wrong and repair else ''} in {time.perf_counter() - started:.1f} s")
        if wrong and not repair:
            raise SystemExit(1)
