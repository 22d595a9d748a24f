"""The queue's default order (selectors.ORDERS["due"]) per scope: the region's open cases (a
coordinator's "all") and one municipality's or the region queue's open cases (a guide's "mine",
"the region's" with municipality IS NULL). Each scope reads its first page in index order, also
when a national register holds several regions. Replaces 0006's index without a scope column.

PostgreSQL puts NULLs last in an ascending index, so the index says NULLS FIRST; SQLite sorts
NULLs first anyway and does not accept NULLS FIRST in an index.
"""

from django.db import migrations

ORDER = {
    "postgresql": "first_response_at ASC NULLS FIRST, first_response_due, id",
    "sqlite": "first_response_at, first_response_due, id",
}
INDEXES = {
    "guidance_case_queue_region_idx": "region_id",
    "guidance_case_queue_municipality_idx": "municipality_id",
}
OLD = "guidance_case_queue_due_idx"


def forwards(apps, schema_editor):
    order = ORDER.get(schema_editor.connection.vendor)
    if not order:
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}")
    for name, scope in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name} ON guidance_guidancecase ({scope}, {order})"
            " WHERE closed_at IS NULL"
        )


def backwards(apps, schema_editor):
    order = ORDER.get(schema_editor.connection.vendor)
    if not order:
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX {OLD} ON guidance_guidancecase ({order}) WHERE closed_at IS NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0006_guidance_queue_index")]

    operations = [migrations.RunPython(forwards, backwards)]
