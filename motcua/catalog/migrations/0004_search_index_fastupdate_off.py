"""Keep the trigram index usable right after bulk loads (PostgreSQL only).

With GIN's default fastupdate, rows inserted after the index was built wait in a pending list that
only VACUUM flushes; until then PostgreSQL prefers a sequential scan (docs/performance.md).
"""

from django.db import migrations


def fastupdate_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER INDEX catalog_version_search_trgm SET (fastupdate = off)")
    schema_editor.execute("SELECT gin_clean_pending_list('catalog_version_search_trgm'::regclass)")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_longer_names")]
    operations = [migrations.RunPython(fastupdate_off, migrations.RunPython.noop, elidable=False)]
