"""Trigram similarity with PostgreSQL's pg_trgm semantics on every database.

On PostgreSQL the functions come from the pg_trgm extension and the ``<<%``
operator uses a GIN index. On SQLite the same functions are registered from
Python, so a query gives the same ranking on both.
"""

from functools import lru_cache

from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models import CharField, FloatField, Func, Lookup, TextField
from django.dispatch import receiver

from motcua.core.text import fold


@lru_cache(maxsize=4096)
def _word_trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigrams(text: str) -> frozenset[str]:
    """The set of trigrams pg_trgm extracts from ``text`` (words padded with two spaces before, one after)."""
    result: set[str] = set()
    for word in fold(text).split():
        result |= _word_trigrams(word)
    return frozenset(result)


def _ratio(shared: int, left: int, right: int) -> float:
    union = left + right - shared
    return shared / union if union else 0.0


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm ``similarity(a, b)``: shared trigrams over all trigrams of both."""
    if not a or not b:
        return 0.0
    ta, tb = trigrams(a), trigrams(b)
    return _ratio(len(ta & tb), len(ta), len(tb))


def strict_word_similarity(query: str | None, target: str | None) -> float:
    """pg_trgm ``strict_word_similarity(query, target)``: the best similarity between the query
    and any run of whole consecutive words of the target."""
    if not query or not target:
        return 0.0
    tq = trigrams(query)
    words = fold(target).split()
    best = 0.0
    for start in range(len(words)):
        window: set[str] = set()
        for end in range(start, len(words)):
            window |= _word_trigrams(words[end])
            best = max(best, _ratio(len(tq & window), len(tq), len(window)))
            if best == 1.0:
                return best
    return best


def search_threshold() -> float:
    return float(settings.MOTCUA_SEARCH_THRESHOLD)


@receiver(connection_created)
def _prepare_connection(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.strict_word_similarity_threshold', %s, false)",
                [str(search_threshold())],
            )
    elif connection.vendor == "sqlite":
        connection.connection.create_function("similarity", 2, similarity, deterministic=True)
        connection.connection.create_function(
            "strict_word_similarity", 2, strict_word_similarity, deterministic=True
        )


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class StrictWordSimilarity(Func):
    """``strict_word_similarity(query, column)``."""

    function = "strict_word_similarity"
    output_field = FloatField()


class StrictWordSimilar(Lookup):
    """``column__strict_word_similar=query``: the query matches a run of words of the column.

    PostgreSQL uses ``query <<% column``, which a ``gin_trgm_ops`` index answers, with the
    threshold in ``pg_trgm.strict_word_similarity_threshold``, set per connection; SQLite compares
    the function's value with the same threshold (setting MOTCUA_SEARCH_THRESHOLD).
    """

    lookup_name = "strict_word_similar"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{rhs} <<%% {lhs}", [*rhs_params, *lhs_params]
        return f"strict_word_similarity({rhs}, {lhs}) >= %s", [*rhs_params, *lhs_params, search_threshold()]


CharField.register_lookup(StrictWordSimilar)
TextField.register_lookup(StrictWordSimilar)
