from celery import shared_task

from complaintdesk.reports.services import reports_generate_due


@shared_task(acks_late=True, ignore_result=True)
def generate_due_reports() -> None:
    """Periodic (every few minutes): make the morning's reports once they are due; idempotent."""
    reports_generate_due()
