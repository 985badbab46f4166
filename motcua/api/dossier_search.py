"""GET /api/dossiers/search: the staff search over every dossier of the officer's agencies
(motcua.dossiers.search), with the filters of the staff page as query parameters.

Mounted before the dossier router (motcua.api.urls), so that ``/dossiers/search`` is never read as a
dossier reference. The answers are the dossier list's (motcua.api.dossiers); keyset pages: pass ``next``
back as ``after``.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from motcua.accounts.constants import AccountKind
from motcua.agencies.selectors import agency_by_code
from motcua.api.auth import BearerToken
from motcua.api.dossier_schemas import MAX_PAGE, Day, DossierPage
from motcua.api.dossiers import _decode_cursor, _encode_cursor, _summary
from motcua.api.schemas import ErrorOut, Message
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.search import DossierQuery, search

router = Router(auth=BearerToken(), tags=["dossiers"])


class SearchFilters(Schema):
    code: str = Field("", description="The dossier's code, or its beginning.")
    applicant: str = Field("", description="Words of the applicant's name, with or without diacritics.")
    identity: str = Field("", description="The applicant's or the subject's identity number.")
    procedure: str = Field("", description="National procedure code, e.g. 1.001193.")
    status: int | None = Field(None, ge=0, le=10, description="1–10 as the national portal counts them.")
    receiving_agency: str = Field("", description="Code of the agency that received the dossier.")
    holder_agency: str = Field("", description="Code of the agency that holds it now.")
    submitted_from: Day | None = None
    submitted_to: Day | None = None
    received_from: Day | None = None
    received_to: Day | None = None
    due_from: Day | None = None
    due_to: Day | None = None
    finished_from: Day | None = None
    finished_to: Day | None = None
    after: str | None = Field(None, description="The `next` of the previous page.")
    size: int = Field(25, ge=1, le=MAX_PAGE, description=f"Dossiers per page, 1 to {MAX_PAGE}.")


@router.get("", response={200: DossierPage, 401: Message, 403: ErrorOut, 422: ErrorOut})
def search_dossiers(request: HttpRequest, filters: Query[SearchFilters]):
    """Every dossier the officer's agencies receive, hold, decide or were consulted on, in any status and
    period, newest first (received, or submitted while waiting at reception). Officers only. Dates are
    local days, both ends included; the name matches whole words without regard to case or diacritics."""
    if request.auth.kind != AccountKind.STAFF:
        return Status(403, {"detail": _("Chỉ cán bộ được tra cứu hồ sơ."), "errors": {}})
    values = filters.model_dump(exclude={"after", "size"})
    for field in ("receiving_agency", "holder_agency"):
        if values[field] and agency_by_code(values[field]) is None:
            message = _("Không có đơn vị mã %(code)s.") % {"code": values[field]}
            raise InvalidInput(message, errors={field: [message]})
    after = _decode_cursor(filters.after)
    page = search(
        request.auth,
        DossierQuery(**{k: v.strip() if isinstance(v, str) else v for k, v in values.items()}),
        after=after[0] if after else None,
        size=filters.size,
    )
    return {"results": [_summary(d) for d in page.rows], "next": _encode_cursor(page.next_cursor)}
