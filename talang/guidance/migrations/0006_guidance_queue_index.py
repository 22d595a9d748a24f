"""The queue's default order (selectors.ORDERS["due"]) as a partial index on the open cases,
so that the first page is read in index order instead of sorting every open case.

PostgreSQL puts NULLs last in an ascending index, so the index says NULLS FIRST; SQLite sorts
NULLs first anyway and does not accept NULLS FIRST in an index.
"""

from django.db import migrations

INDEX = "guidance_case_queue_due_idx"
COLUMNS = {
    "postgresql": "first_response_at ASC NULLS FIRST, first_response_due, id",
    "sqlite": "first_response_at, first_response_due, id",
}


def forwards(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON guidance_guidancecase ({columns}) WHERE closed_at IS NULL"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("guidance", "0005_guidance_inbound_email")]

    operations = [migrations.RunPython(forwards, backwards)]
