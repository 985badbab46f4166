"""Reads for the catalogue: search and the procedure pages."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.search import CODE_QUERY, RankedVersions, similarity_search, word_search
from motcua.core.refcache import TimedCache
from motcua.core.text import fold


def _with_parts(versions: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    # The list shows neither the long texts nor the parts: leave them in the database.
    return (
        versions.select_related("procedure", "field")
        .defer("description", "conditions", "legal_basis", "applicants", "result")
        .prefetch_related(Prefetch("agencies"), "fees")
    )


def search_procedures(
    q: str = "",
    *,
    field: str = "",
    agency: str = "",
    mode: str = "",
    level: str = "",
) -> QuerySet[ProcedureVersion] | RankedVersions:
    """Current procedure versions matching the filters, best match first (see motcua.catalog.search).

    'dang ky khai sinh', 'Đăng ký khai sinh' and 'dang ki khai sinh' all find 'Đăng ký khai sinh' first.
    A national code (1.001193) or its beginning matches by code. The result works with a Paginator.
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
    if CODE_QUERY.match(q):
        return _with_parts(versions.filter(procedure__code__startswith=q).order_by("procedure__code"))
    if not fold(q):
        return _with_parts(versions.order_by("field__name", "name"))
    if ids := word_search(versions, q):
        return RankedVersions(ids, _with_parts(ProcedureVersion.objects.all()))
    return _with_parts(similarity_search(versions, q))


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
            "channels",
            "fees",
            "documents",
            "form_fields",
            "steps__agency",
        )
    )


def version_history(code: str) -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(procedure__code=code, status="published").order_by("-number")


_current_versions = TimedCache("current version by procedure code")


def current_version(code: str) -> ProcedureVersion | None:
    """The version in force of the procedure with this code, its procedure loaded. Cached
    (motcua.core.refcache): publishing in this process applies at once, elsewhere within the
    cache's seconds; the instance is shared, read it, never change it."""
    code = code.strip()
    return _current_versions.get(
        code,
        lambda: (
            ProcedureVersion.objects.current()
            .select_related("procedure")
            .filter(procedure__code=code)
            .first()
        ),
    )


@dataclass(frozen=True)
class VersionParts:
    """What submitting under a published version needs, read once per process: a published
    version never changes."""

    form_fields: tuple
    documents: tuple
    fees: tuple  # the fee lines: catalog.fees.charges turns them into what a dossier pays
    base_fee: int  # catalog.fees.base_fee: nothing on request, no exemption claimed
    agency_ids: tuple[int, ...]


_parts_cache: dict[tuple, VersionParts] = {}


def version_parts(version: ProcedureVersion) -> VersionParts:
    if version.is_draft or version.published_at is None:
        return _load_parts(version)
    key = (version.pk, version.published_at)  # a re-created database may reuse a primary key
    parts = _parts_cache.get(key)
    if parts is None:
        if len(_parts_cache) > 10_000:
            _parts_cache.clear()
        parts = _parts_cache[key] = _load_parts(version)
    return parts


def _load_parts(version: ProcedureVersion) -> VersionParts:
    from motcua.catalog.fees import charges_for, total  # fees reads these parts

    fees = tuple(version.fees.all())
    return VersionParts(
        form_fields=tuple(version.form_fields.all()),
        documents=tuple(version.documents.all()),
        fees=fees,
        base_fee=total(charges_for(fees, {})),
        agency_ids=tuple(version.agencies.values_list("pk", flat=True)),
    )


def document_template(code: str, document_id: int) -> RequiredDocument:
    """A published document's blank form (mẫu đơn, tờ khai) to download: 404 for a draft's, or when
    the document has none."""
    document = get_object_or_404(
        RequiredDocument.objects.select_related("version"),
        pk=document_id,
        version__procedure__code=code,
        version__status=VersionStatus.PUBLISHED,
    )
    if not document.template:
        raise Http404
    return document
