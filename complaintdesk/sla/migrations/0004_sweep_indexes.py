"""Partial indexes for the deadline sweeps on the complaints table.

They hold only the rows a sweep can still act on (open, not yet answered/implemented, not yet
breached), so finding the due rows stays a short index range scan however many complaints are
on file. Declared here, beside the sweeps whose queries they serve; the predicates must stay
textually equal to the filters in ``complaintdesk/sla/sweeps/rules.py``.
"""

from django.db import migrations

OPEN = "('accepted', 'awaiting_visit', 'dispatched', 'handling', 'implementing', 'pending_approval', " \
    "'receipt_submitted', 'received')"

INDEXES = {
    "sla_first_answer_open_idx": (
        "first_answer_due_at",
        f"first_answered_at IS NULL AND first_answer_breached = false AND status IN {OPEN}",
    ),
    "sla_implement_open_idx": (
        "implement_due_at",
        f"implemented_at IS NULL AND implement_breached = false AND status IN {OPEN}",
    ),
    "sla_callback_open_idx": ("next_callback_due_at", f"next_callback_due_at IS NOT NULL AND status IN {OPEN}"),
    "sla_visit_open_idx": ("visit_due_at", "status = 'awaiting_visit'"),
}


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_tracking"), ("complaints", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON complaints_complaint ({column}) WHERE {predicate}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, (column, predicate) in INDEXES.items()
    ]
