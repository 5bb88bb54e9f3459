import datetime as dt

from celery import shared_task

from complaintdesk.core import clock
from complaintdesk.reports import tally
from complaintdesk.reports.services import reports_generate_due
from complaintdesk.sla.calendar import SHANGHAI


@shared_task(acks_late=True, ignore_result=True)
def generate_due_reports() -> None:
    """Periodic (every few minutes): make the morning's reports once they are due; idempotent."""
    reports_generate_due()


@shared_task(acks_late=True, ignore_result=True)
def check_tallies(days: int = 3) -> int:
    """Periodic (nightly): compare the running tallies of the last ``days`` days with a recount and
    recount those that differ (a safety net; every writer keeps them in its transaction). Returns
    the number of rows that differed; idempotent."""
    today = clock.now().astimezone(SHANGHAI).date()
    return len(tally.check(today - dt.timedelta(days=days - 1), today, repair=True))
