"""Reads for the catalogue: search and the procedure pages."""

import re

from django.db.models import F, Prefetch, QuerySet, Value
from django.shortcuts import get_object_or_404

from motcua.catalog.models import ProcedureVersion
from motcua.core.search import Similarity, StrictWordSimilarity
from motcua.core.text import fold

_CODE_QUERY = re.compile(r"^\d{1,2}\.\d{1,6}")


def _with_parts(versions: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return versions.select_related("procedure", "field").prefetch_related(
        Prefetch("agencies"),
        "fees",
    )


def search_procedures(
    q: str = "",
    *,
    field: str = "",
    agency: str = "",
    mode: str = "",
    level: str = "",
) -> QuerySet[ProcedureVersion]:
    """Current procedure versions matching the filters, best match first.

    The query is folded (no case, no diacritics) and compared by trigrams with the folded name,
    so 'dang ki khai sinh' finds 'Đăng ký khai sinh'. A national code (1.001193) matches by prefix.
    """
    versions: QuerySet[ProcedureVersion] = ProcedureVersion.objects.current()
    if field:
        versions = versions.filter(field__code=field)
    if agency:
        versions = versions.filter(agencies__code=agency)
    if mode:
        versions = versions.filter(mode=mode)
    if level:
        versions = versions.filter(level=level)
    q = (q or "").strip()
    if q and _CODE_QUERY.match(q):
        versions = versions.filter(procedure__code__startswith=q).order_by("procedure__code")
    elif folded := fold(q):
        versions = (
            versions.filter(search_name__strict_word_similar=folded)
            .annotate(
                word_rank=StrictWordSimilarity(Value(folded), F("search_name")),
                name_rank=Similarity(Value(folded), F("search_name")),
            )
            .order_by("-word_rank", "-name_rank", "procedure__code")
        )
    else:
        versions = versions.order_by("field__name", "name")
    return _with_parts(versions)


def procedure_version(code: str, number: int | None = None) -> ProcedureVersion:
    """The current version of a procedure, or a given published version (old ones stay readable)."""
    versions = ProcedureVersion.objects.filter(procedure__code=code)
    if number is None:
        versions = versions.filter(is_current=True)
    else:
        versions = versions.filter(number=number, status="published")
    return get_object_or_404(
        versions.select_related("procedure", "field").prefetch_related(
            "agencies",
            "fees",
            "documents",
            "form_fields",
            "steps__agency",
        )
    )


def version_history(code: str) -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(procedure__code=code, status="published").order_by("-number")
