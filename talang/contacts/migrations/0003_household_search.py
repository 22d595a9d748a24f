"""The normalised search text of a household and its index: a trigram GIN index on PostgreSQL,
an FTS5 trigram table kept by triggers on SQLite."""

from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE contacts_household_search USING fts5("
    "search_text, content='contacts_household', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER contacts_household_search_ai AFTER INSERT ON contacts_household BEGIN "
    "INSERT INTO contacts_household_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER contacts_household_search_ad AFTER DELETE ON contacts_household BEGIN "
    "INSERT INTO contacts_household_search(contacts_household_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER contacts_household_search_au AFTER UPDATE OF search_text ON contacts_household "
    "BEGIN INSERT INTO contacts_household_search(contacts_household_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); INSERT INTO contacts_household_search(rowid, "
    "search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS contacts_household_search_au",
    "DROP TRIGGER IF EXISTS contacts_household_search_ad",
    "DROP TRIGGER IF EXISTS contacts_household_search_ai",
    "DROP TABLE IF EXISTS contacts_household_search",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX contacts_household_search_trgm ON contacts_household "
    "USING gin (search_text gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS contacts_household_search_trgm"]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_consent_texts_guidance_v1")]

    operations = [
        migrations.AddField(
            model_name="household", name="search_text",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(forwards, backwards),
    ]
