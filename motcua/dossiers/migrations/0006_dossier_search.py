"""The staff search over dossiers (motcua.dossiers.search), PostgreSQL only.

- ``motcua_fold(text)``: core.text.fold in SQL (lower case, no diacritics, đ → d, words separated by one
  space), IMMUTABLE so that an index can hold it. PostgreSQL's own ``normalize(…, NFKD)`` decomposes
  the letters as Python's unicodedata does, so no extension is needed (unaccent is STABLE and would
  need a wrapper). SQLite gets the Python function itself, registered by motcua.dossiers.search.
- A GIN index on the words of the folded applicant name.
- The page order, newest received (or submitted) first: one index on that moment and the id for every
  dossier, and one per agency column (receiving, holding, deciding) for an officer's own dossiers.
- The codes by prefix and the identity numbers.
"""

from django.db import migrations

# Combining marks that unicodedata.combining() counts (U+034F, the grapheme joiner, it does not).
_MARKS = r"[\u0300-\u034e\u0350-\u036f\u1ab0-\u1abd\u1dc0-\u1dff\ufe20-\ufe2f]"
# PL/pgSQL, never inlined, with its real cost: the planner then checks cheaper conditions first and
# prefers the name index to folding every row of a walk.
FOLD_FUNCTION = rf"""
CREATE OR REPLACE FUNCTION motcua_fold(value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
BEGIN
  RETURN btrim(regexp_replace(
    lower(regexp_replace(normalize(lower(translate(value, 'đĐ', 'dD')), NFKD), '{_MARKS}', '', 'g')),
    '[^a-z0-9]+', ' ', 'g'));
END
$$
"""
# Columns a walk of the moment indexes filters on without reading the table (status, dates, procedure).
_COVER = "received_at, submitted_at, created_at, status, procedure_version_id"
_MOMENT = "(COALESCE(received_at, submitted_at, created_at))"
INDEXES = {
    # The words of the folded name, for exact-word matches (no recheck: motcua_fold runs on no row).
    "dossier_search_name_idx": (
        "CREATE INDEX IF NOT EXISTS dossier_search_name_idx ON dossiers_dossier "
        "USING gin (to_tsvector('simple'::regconfig, motcua_fold(applicant_name)))"
    ),
    # Every dossier but drafts, newest first (a province administrator's search).
    "dossier_search_moment_idx": (
        f"CREATE INDEX IF NOT EXISTS dossier_search_moment_idx ON dossiers_dossier ({_MOMENT}, id) "
        f"INCLUDE ({_COVER}, receiving_agency_id, holder_agency_id, deciding_agency_id) WHERE status <> 0"
    ),
    # An officer's dossiers, per agency and per way of seeing them, newest first.
    **{
        f"dossier_search_{name}_idx": (
            f"CREATE INDEX IF NOT EXISTS dossier_search_{name}_idx ON dossiers_dossier "
            f"({name}_agency_id, {_MOMENT}, id) INCLUDE ({_COVER}) WHERE status <> 0"
        )
        for name in ("receiving", "holder", "deciding")
    },
    # Codes by prefix, with what a page needs of them (a prefix with a day finds one day's dossiers).
    "dossier_search_code_idx": (
        "CREATE INDEX IF NOT EXISTS dossier_search_code_idx ON dossiers_dossier (code varchar_pattern_ops) "
        f"INCLUDE ({_COVER}, receiving_agency_id, holder_agency_id, deciding_agency_id) "
        "WHERE code IS NOT NULL AND status <> 0"
    ),
    "dossier_search_identity_idx": (
        "CREATE INDEX IF NOT EXISTS dossier_search_identity_idx ON dossiers_dossier "
        "(applicant_identity) WHERE applicant_identity <> ''"
    ),
    "dossier_search_subject_idx": (
        "CREATE INDEX IF NOT EXISTS dossier_search_subject_idx ON dossiers_dossier "
        "(subject_identity) WHERE subject_identity <> ''"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD_FUNCTION)
    for statement in INDEXES.values():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS motcua_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_clock")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
