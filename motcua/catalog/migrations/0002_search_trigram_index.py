"""pg_trgm and a GIN index on the folded names of current versions (PostgreSQL only).

SQLite registers the same functions from Python (motcua.core.search) and needs no index.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_version_search_trgm ON catalog_procedureversion "
        "USING gin (search_name gin_trgm_ops) WHERE is_current"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_version_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
