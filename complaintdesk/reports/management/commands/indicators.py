"""``manage.py indicators --from YYYY-MM-DD --to YYYY-MM-DD [--department CODE]``

Prints one JSON object: each indicator's code → {"numerator", "denominator", "value"} (see
docs/indicators.md). Outside checks rely on this shape: keep it stable.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from complaintdesk.core import clock
from complaintdesk.org.models import Department
from complaintdesk.reports import indicators


def parse_day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(option)s 需要 YYYY-MM-DD 格式的日期，收到“%(value)s”。")
                           % {"option": option, "value": value}) from None


class Command(BaseCommand):
    help = "Print every indicator for a period as one JSON object (code → numerator, denominator, value)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="first day (YYYY-MM-DD, local)")
        parser.add_argument("--to", dest="date_to", required=True, help="last day, inclusive (YYYY-MM-DD)")
        parser.add_argument("--department", default="", help="department code")

    def handle(self, *args, date_from, date_to, department, **options):
        first, last = parse_day(date_from, "--from"), parse_day(date_to, "--to")
        if last < first:
            raise CommandError(_("--to 不能早于 --from。"))
        scope = indicators.ALL
        if department:
            found = Department.objects.filter(code=department).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(_("没有编码为“%(code)s”的部门。") % {"code": department})
            scope = indicators.Scope(department_id=found)
        window = indicators.Window.days(first, last, as_of=clock.now())
        figures = indicators.compute(window, scope)
        self.stdout.write(json.dumps({code: f.as_dict() for code, f in figures.items()}, ensure_ascii=False))
