"""Prototype of a faster catalogue search, for `catalogue_search.py --prototype` (PostgreSQL only).

Not used by the application. It shows what the benchmark measures when the expensive
strict_word_similarity is no longer evaluated on every candidate row:

- filter with an exact-word full-text match on the folded name, answered by a GIN index on
  ``to_tsvector('simple', search_name)`` (no recheck: the match is exact);
- tolerate typos per word before the query: a word that is not in the catalogue's vocabulary
  (the distinct words of the current folded names) is replaced by itself OR the vocabulary words
  one edit away ('ki' -> 'ky' | 'kim' | ...);
- rank cheaply: names starting with the phrase, then names containing it, then shorter names;
- a word with no neighbour in the vocabulary falls back to the current trigram search.
"""

import time
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from motcua.catalog import selectors
from motcua.catalog.models import ProcedureVersion
from motcua.core.text import fold

FTS_INDEX = "bench_version_search_fts"
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_original_search = selectors.search_procedures


def ensure_index() -> None:
    """The prototype's index, created in the benchmark database only (the application has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {FTS_INDEX} ON catalog_procedureversion "
            "USING gin (to_tsvector('simple', search_name)) WHERE is_current"
        )
        cursor.execute("ANALYZE catalog_procedureversion")


@lru_cache(maxsize=1)
def _vocabulary(_minute: int) -> frozenset[str]:
    words: set[str] = set()
    for name in ProcedureVersion.objects.current().values_list("search_name", flat=True):
        words.update(name.split())
    return frozenset(words)


def vocabulary() -> frozenset[str]:
    """The distinct words of the current folded names, rebuilt at most once a minute."""
    return _vocabulary(int(time.monotonic() // 60))


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return deletes | swaps | replaces | inserts


def alternatives(word: str, vocab: frozenset[str]) -> list[str]:
    if word in vocab:
        return [word]
    neighbours = sorted(_edits1(word) & vocab) if len(word) >= 2 else []
    return [word, *neighbours] if neighbours else []


def search_procedures(
    q: str = "", *, field: str = "", agency: str = "", mode: str = "", level: str = ""
) -> QuerySet[ProcedureVersion]:
    """Same signature and filters as motcua.catalog.selectors.search_procedures."""
    filters = {"field": field, "agency": agency, "mode": mode, "level": level}
    q = (q or "").strip()
    folded = fold(q)
    if not folded or selectors._CODE_QUERY.match(q):
        return _original_search(q, **filters)
    vocab = vocabulary()
    alts = [alternatives(word, vocab) for word in folded.split()]
    if not all(alts):
        return _original_search(q, **filters)
    versions = _original_search("", **filters)  # the filters, without the text search
    tsquery = " & ".join("(" + " | ".join(a) + ")" for a in alts)
    phrase = " ".join("(?:" + "|".join(a) + ")" for a in alts)
    return (
        versions.filter(
            RawSQL(
                "to_tsvector('simple', search_name) @@ to_tsquery('simple', %s)",
                [tsquery],
                output_field=BooleanField(),
            )
        )
        .annotate(
            starts=RawSQL("search_name ~ %s", [f"^{phrase}( |$)"], output_field=BooleanField()),
            contains=RawSQL("search_name ~ %s", [f"(^| ){phrase}( |$)"], output_field=BooleanField()),
        )
        .order_by(F("starts").desc(), F("contains").desc(), Length("search_name"), "procedure__code")
    )
