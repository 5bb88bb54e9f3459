"""``manage.py daily_report --date YYYY-MM-DD --format json|pdf|xlsx --out FILE``

Writes the centre's 日报 of that day (made and kept if it does not exist yet; an existing one is
not recomputed). ``--kind week|month`` gives the week or month containing the date instead.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from complaintdesk.org.models import Department
from complaintdesk.reports import render
from complaintdesk.reports.management.commands.indicators import parse_day
from complaintdesk.reports.models import PeriodKind
from complaintdesk.reports.services import period_of, report_generate


class Command(BaseCommand):
    help = "Write the daily (or weekly/monthly) report of a date as JSON, PDF or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="the day (YYYY-MM-DD, local)")
        parser.add_argument("--format", dest="fmt", choices=["json", "pdf", "xlsx"], default="json")
        parser.add_argument("--out", required=True, help="file to write ('-' for standard output, JSON only)")
        parser.add_argument("--kind", choices=[PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.MONTH], default="day")
        parser.add_argument("--department", default="", help="department code (default: the whole centre)")

    def handle(self, *args, date, fmt, out, kind, department, **options):
        day = parse_day(date, "--date")
        dept = None
        if department:
            dept = Department.objects.filter(code=department).first()
            if dept is None:
                raise CommandError(_("没有编码为“%(code)s”的部门。") % {"code": department})
        first, last = period_of(kind, day)
        report, _created = report_generate(kind=kind, first_day=first, last_day=last, department=dept,
                                           notify_readers=False)
        if fmt == "json":
            data = json.dumps(
                {"kind": report.kind, "first_day": report.first_day.isoformat(),
                 "last_day": report.last_day.isoformat(), "scope": report.scope, **report.figures},
                ensure_ascii=False, indent=1,
            ).encode("utf-8")
        elif fmt == "pdf":
            data = render.pdf(report)
        else:
            data = render.xlsx(report)
        if out == "-":
            if fmt != "json":
                raise CommandError(_("PDF 和 Excel 需要用 --out 指定文件。"))
            self.stdout.write(data.decode("utf-8"))
            return
        try:
            with open(out, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise CommandError(_("无法写入 %(path)s：%(error)s") % {"path": out, "error": error}) from None
        self.stderr.write(f"{out}: {len(data)} bytes")
