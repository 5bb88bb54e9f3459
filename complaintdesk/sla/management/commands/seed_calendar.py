from django.core.management.base import BaseCommand, CommandError

from complaintdesk.sla.seeding import official_years, seed_official, seed_provisional


class Command(BaseCommand):
    help = (
        "Seed the working-day calendar (法定节假日与调休) for every year chinese_calendar knows. "
        "Idempotent; days edited by an admin are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
        parser.add_argument(
            "--provisional",
            type=int,
            metavar="YEAR",
            help="fill YEAR by the weekday rule only, until the official arrangement is published",
        )

    def handle(self, *args, year=None, provisional=None, **options):
        try:
            if provisional:
                result = seed_provisional(provisional)
                label = f"{provisional} (provisional)"
            else:
                result = seed_official(year)
                first, last = official_years()
                label = ", ".join(map(str, year)) if year else f"{first}–{last}"
        except ValueError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"calendar {label}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.kept_admin} admin edits kept"
        )
