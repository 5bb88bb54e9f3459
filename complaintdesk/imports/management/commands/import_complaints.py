"""manage.py import_complaints FILE [--mapping MAP.json] [--dry-run] [--user USERNAME]

Output contract (operators and outside checks rely on it; keep it stable):

- stdout: the per-row report as CSV, header ``row,external_id,result,field,column,message``, one
  line per problem — ``result`` is ``error`` (the row blocks the import) or ``skipped`` (already
  imported); ``field`` is the target field code, ``column`` the file's column, ``message`` is
  translated. Then one line ``# {"total": …, "valid": …, "errors": …, "skipped": …, "imported": …,
  "dry_run": …}`` (JSON after ``# ``).
- exit status: 0 when the file is clean (imported, or would be with ``--dry-run``); 1 when rows
  have errors (nothing was imported); 2 when the file or the mapping cannot be used at all (the
  reason on stderr).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.core.errors import DomainError
from complaintdesk.imports import services
from complaintdesk.org.models import Role, User


class Command(BaseCommand):
    help = "Import historical (closed/archived) complaints from a CSV or Excel file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", help="JSON file: {target field: column header}")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--user", help="the importing admin/manager (default: the first active admin)")

    def handle(self, *args, file, mapping=None, dry_run=False, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=2)
        actor = self._actor(user)
        try:
            mapping_data = services.load_mapping(Path(mapping).read_bytes() if mapping else None)
            report = services.run(path=path, mapping=mapping_data, actor=actor, dry_run=dry_run, source=path.name)
        except OSError as error:
            raise CommandError(str(error), returncode=2)
        except DomainError as error:
            raise CommandError(error.message, returncode=2)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(services.HEADER)
        writer.writerows(report.problems)
        self.stdout.write("# " + json.dumps(report.summary(), ensure_ascii=False))
        if not report.ok:
            sys.exit(1)

    def _actor(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        found = users.filter(username=username).first() if username else (
            users.filter(role=Role.ADMIN).order_by("pk").first())
        if found is None:
            raise CommandError("no such active user" if username else "no active admin to import as", returncode=2)
        return found
