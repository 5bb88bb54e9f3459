"""Customer names searchable by any two characters on PostgreSQL: a stored generated column of
positioned character bigrams with a GIN index (complaintdesk/core/textsearch.py). Nothing on SQLite."""

from django.db import migrations

from complaintdesk.core.textsearch import FUNCTION_SQL

FORWARD = [
    FUNCTION_SQL,
    "ALTER TABLE customers_customer ADD COLUMN name_doc tsvector GENERATED ALWAYS AS (cd_search_doc(name, NULL)) STORED",
    "CREATE INDEX customer_name_doc_idx ON customers_customer USING gin (name_doc)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS customer_name_doc_idx",
    "ALTER TABLE customers_customer DROP COLUMN IF EXISTS name_doc",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
