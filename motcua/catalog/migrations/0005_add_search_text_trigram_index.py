"""PostgreSQL: the pg_trgm extension and a GIN trigram index over the folded search text.

The search (catalog/selectors.py) finds candidates with pg_trgm's `<%` word-similarity operator, which this
index serves. CREATE EXTENSION needs a superuser or the database owner with the extension trusted (pg_trgm is
trusted since PostgreSQL 13); see docs/operations.md. Nothing happens on SQLite, whose search needs no index.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_procedure_search_trgm ON catalog_procedure "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_procedure_search_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_add_procedure_keywords"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
