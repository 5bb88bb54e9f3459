"""Chinese full-text search on PostgreSQL: a stored generated column of character bigrams with a
GIN index (complaintdesk/core/textsearch.py explains the choice). Nothing on SQLite."""

from django.db import migrations

from complaintdesk.core.textsearch import FUNCTION_SQL

FORWARD = [
    FUNCTION_SQL,
    "ALTER TABLE complaints_complaint ADD COLUMN search_doc tsvector "
    "GENERATED ALWAYS AS (cd_search_doc(subject, description)) STORED",
    "CREATE INDEX complaint_search_doc_idx ON complaints_complaint USING gin (search_doc)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS complaint_search_doc_idx",
    "ALTER TABLE complaints_complaint DROP COLUMN IF EXISTS search_doc",
    # The function stays: the customers' name column uses it too (CREATE OR REPLACE on the way up).
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_timeline_rework_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
