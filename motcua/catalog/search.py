"""Catalogue search: every word of the query, a typo forgiven per word, best matches first.

A query is folded (no case, no diacritics: 'Đăng ký' → 'dang ky'). Each query word matches a word
of a procedure's folded name either exactly or, if the catalogue has such words, one edit away
('ki' → 'ky'); the last word may also be the beginning of a word, as people type. A procedure
matches when all query words do. The database filters with LIKE on the padded folded name (the
trigram GIN index on PostgreSQL can answer it); the matched names are then ranked here:

1. the query's words appear as a phrase at the start of the name,
2. ... as a phrase elsewhere,
3. ... anywhere;
then more words typed exactly, then shorter names.

When nothing matches that way the trigram similarity search (pg_trgm semantics, motcua.core.search)
takes over, so a query with a worse typo still finds something.
"""

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import overload

from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value

from motcua.catalog.models import ProcedureVersion
from motcua.core.search import Similarity, StrictWordSimilarity
from motcua.core.text import fold

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
CODE_QUERY = re.compile(r"^\d{1,2}\.\d{0,6}$")


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return deletes | swaps | replaces | inserts


class _Vocabulary:
    """The distinct words of the current folded names, rebuilt when the catalogue changes.

    One small aggregate query per search tells whether the set of current versions changed.
    """

    # How long a process trusts its copy before asking the database again (a publication shows up
    # in searches at most this late).
    recheck_seconds = 2.0

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._words: frozenset[str] = frozenset()
        self._checked = 0.0

    def get(self) -> frozenset[str]:
        if self._key is not None and time.monotonic() - self._checked < self.recheck_seconds:
            return self._words
        self._checked = time.monotonic()
        key = tuple(
            ProcedureVersion.objects.current()
            .aggregate(n=Count("id"), s=Sum("id"), last=Max("published_at"))
            .values()
        )
        if key != self._key:
            words: set[str] = set()
            for name in ProcedureVersion.objects.current().values_list("search_name", flat=True).iterator():
                words.update(name.split())
            self._words, self._key = frozenset(words), key
        return self._words


vocabulary = _Vocabulary()


@dataclass(frozen=True)
class QueryWord:
    text: str
    alternatives: frozenset[str]  # exact word and vocabulary words one edit away
    prefix: bool  # the last word may be the start of a longer word

    def matches(self, word: str) -> bool:
        return word in self.alternatives or (self.prefix and word.startswith(self.text))


def parse(query: str, vocab: frozenset[str], *, forgiving: bool = False) -> list[QueryWord]:
    """The query's words with what each may match. A word the catalogue has matches only itself
    unless ``forgiving``; a word it lacks matches its neighbours one edit away ('ki' → 'ky')."""
    words = fold(query).split()
    parsed = []
    for i, word in enumerate(words):
        alternatives = {word}
        if len(word) >= 2 and (forgiving or word not in vocab):
            near = edits1(word) & vocab
            if len(word) == 2:  # short words: substitutions only, or everything is 'near'
                near = {w for w in near if len(w) == 2}
            alternatives |= near
        # The last word may be unfinished; alone, two letters would match half the catalogue.
        prefix = i == len(words) - 1 and len(word) >= (2 if len(words) > 1 else 3)
        parsed.append(QueryWord(word, frozenset(alternatives), prefix=prefix))
    return parsed


def _word_condition(word: QueryWord) -> Q:
    """One regular expression per query word: any of its alternatives as a whole word of the name
    (or, for the last word, the start of a word). Folded names hold only [a-z0-9] and spaces."""
    alternatives = "|".join(sorted(word.alternatives))
    pattern = f"(^| )({alternatives})( |$)"
    if word.prefix:
        pattern += f"|(^| ){word.text}"
    return Q(search_name__regex=pattern)


def _phrase_at(words: list[QueryWord], tokens: list[str]) -> int | None:
    n = len(words)
    for i in range(len(tokens) - n + 1):
        if all(w.matches(t) for w, t in zip(words, tokens[i : i + n], strict=True)):
            return i
    return None


def rank_key(words: list[QueryWord], name: str, pk: int) -> tuple:
    tokens = name.split()
    phrase_at = _phrase_at(words, tokens)
    placement = 0 if phrase_at == 0 else 1 if phrase_at is not None else 2
    exact = sum(1 for w in words if w.text in tokens)
    return (placement, -exact, len(tokens), len(name), pk)


class RankedVersions(Sequence[ProcedureVersion]):
    """Search results in rank order; a slice loads only its own rows (what a Paginator asks for)."""

    def __init__(self, ids: list[int], base: QuerySet[ProcedureVersion]):
        self._ids = ids
        self._base = base

    def __len__(self) -> int:
        return len(self._ids)

    def count(self) -> int:  # type: ignore[override]
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> ProcedureVersion: ...
    @overload
    def __getitem__(self, index: slice) -> list[ProcedureVersion]: ...
    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0] if -len(self) <= index < len(self) else self._ids[index]
        ids = self._ids[index]
        rows = {v.pk: v for v in self._base.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def __iter__(self) -> Iterator[ProcedureVersion]:
        return iter(self[:])


def candidates(versions: QuerySet[ProcedureVersion], words: list[QueryWord]) -> QuerySet:
    """(pk, folded name) of the versions whose names contain every query word."""
    return versions.filter(reduce(and_, (_word_condition(w) for w in words))).values_list("pk", "search_name")


def word_search(versions: QuerySet[ProcedureVersion], query: str) -> list[int]:
    """Ids of the versions whose names contain every query word, best first. A query word the
    catalogue knows is first taken as typed; if that finds nothing, every word is forgiven a typo."""
    vocab = vocabulary.get()
    words = parse(query, vocab)
    rows = list(candidates(versions, words)) if words else []
    if not rows and words:
        forgiving = parse(query, vocab, forgiving=True)
        if forgiving != words:
            words = forgiving
            rows = list(candidates(versions, words))
    rows.sort(key=lambda row: rank_key(words, row[1], row[0]))
    return [pk for pk, _name in rows]


def similarity_search(versions: QuerySet[ProcedureVersion], query: str) -> QuerySet[ProcedureVersion]:
    """The fallback: trigram similarity of the query with any run of words of the name."""
    folded = fold(query)
    return (
        versions.filter(search_name__strict_word_similar=folded)
        .annotate(
            word_rank=StrictWordSimilarity(Value(folded), F("search_name")),
            name_rank=Similarity(Value(folded), F("search_name")),
        )
        .order_by("-word_rank", "-name_rank", "procedure__code")
    )
