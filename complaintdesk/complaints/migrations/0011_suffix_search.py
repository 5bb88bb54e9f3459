"""Search by the last digits of a phone or a complaint number (尾号) without reading every row on
PostgreSQL: expression indexes on the reversed columns, for a prefix match. Nothing on SQLite."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX complaint_phone_rev_idx ON complaints_complaint (reverse(contact_phone) text_pattern_ops)",
    "CREATE INDEX complaint_number_rev_idx ON complaints_complaint (reverse(number) text_pattern_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS complaint_phone_rev_idx", "DROP INDEX IF EXISTS complaint_number_rev_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_text_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
