"""Search by the last digits of a phone or a number (尾号) from indexes alone on PostgreSQL.

A 4-digit tail matches thousands of complaints at 10,000,000 (one in ten thousand phones, and five
numbers a day). Through 0011's indexes every match was read from the table, to count them and to
sort them by receipt: ≈ 2,000 random reads of a 17 GB table per search, which under load waited on
the disk for seconds and held up every other request (docs/BENCHMARKS.md, session 21). The tail's
indexes now carry the column, the receipt time and the id, so its matches come from them alone, and
``complaint_id_received_idx`` gives the receipt time of a list of ids (the page's order) without the
table. Nothing on SQLite."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS complaint_phone_rev_idx",
    "DROP INDEX IF EXISTS complaint_number_rev_idx",
    "CREATE INDEX complaint_phone_rev_idx ON complaints_complaint (reverse(contact_phone) text_pattern_ops) "
    "INCLUDE (contact_phone, received_at, id)",
    "CREATE INDEX complaint_number_rev_idx ON complaints_complaint (reverse(number) text_pattern_ops) "
    "INCLUDE (number, received_at, id)",
    "CREATE INDEX complaint_id_received_idx ON complaints_complaint (id) INCLUDE (received_at)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS complaint_id_received_idx",
    "DROP INDEX IF EXISTS complaint_phone_rev_idx",
    "DROP INDEX IF EXISTS complaint_number_rev_idx",
    "CREATE INDEX complaint_phone_rev_idx ON complaints_complaint (reverse(contact_phone) text_pattern_ops)",
    "CREATE INDEX complaint_number_rev_idx ON complaints_complaint (reverse(number) text_pattern_ops)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0020_timeline_breach_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
