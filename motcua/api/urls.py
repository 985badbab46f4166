from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status, Swagger
from ninja.errors import ValidationError as NinjaValidationError

from motcua.accounts.services import LoginError, issue_token, log_in
from motcua.agencies import selectors as units
from motcua.agencies.models import AdministrativeUnit
from motcua.api.auth import BearerToken
from motcua.api.dossier_search import router as dossier_search_router
from motcua.api.dossiers import install as install_dossiers
from motcua.api.schemas import (
    AgencyOut,
    MeOut,
    Message,
    ProcedureDetail,
    ProcedurePage,
    TokenIn,
    TokenOut,
    UnitList,
    UnitOut,
)
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_version, search_procedures, version_history

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Dịch vụ công trực tuyến một cửa: danh mục thủ tục, đơn vị hành chính, tài khoản. "
    "Online public services: procedure catalogue, administrative units, accounts.",
    urls_namespace="api",
    # Swagger UI's files come from this site ("ninja" in INSTALLED_APPS), and it asks no online
    # validator to check the schema: /api/docs works without internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(NinjaValidationError)
def validation_errors(request, exc):
    return api.create_response(
        request,
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


def _summary(v: ProcedureVersion) -> dict:
    return {
        "code": v.procedure.code,
        "name": v.name,
        "field": v.field.name,
        "level": v.level,
        "mode": v.mode,
        "legacy_level": v.legacy_level,
        "processing_time": {
            "value": v.processing_time,
            "unit": v.time_unit,
            "label": v.processing_time_label,
        },
        "agencies": [{"code": a.code, "name": a.name} for a in v.agencies.all()],
        "base_fee": v.base_fee,
        "version": v.number,
    }


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""
    agency: str = ""
    mode: str = ""
    level: str = ""
    page: int = 1
    page_size: int = 20


@api.get("/procedures", response=ProcedurePage, tags=["catalogue"])
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]):
    """Published procedures, searched without regard to case, diacritics or small typos."""
    versions = search_procedures(
        filters.q, field=filters.field, agency=filters.agency, mode=filters.mode, level=filters.level
    )
    size = min(max(filters.page_size, 1), 100)
    page = Paginator(versions, size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": size,
        "results": [_summary(v) for v in page.object_list],
    }


@api.get("/procedures/{code}", response={200: ProcedureDetail, 404: Message}, tags=["catalogue"])
def get_procedure(request: HttpRequest, code: str, version: int | None = None):
    """One procedure: the version in force, or an earlier published ``version``."""
    v = procedure_version(code, version)
    return {
        **_summary(v),
        "effective_from": v.effective_from,
        "is_current": v.is_current,
        "applicants": v.applicants,
        "description": v.description,
        "conditions": v.conditions,
        "legal_basis": v.legal_basis,
        "result": v.result,
        "fees": list(v.fees.all()),
        "documents": list(v.documents.all()),
        "form": list(v.form_fields.all()),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "role": s.role,
                "share": s.share,
                "agency": {"code": s.agency.code, "name": s.agency.name} if s.agency else None,
            }
            for s in v.steps.all()
        ],
        "versions": list(version_history(code).values_list("number", flat=True)),
    }


def _unit(u: AdministrativeUnit, parent_code: str | None = None) -> dict:
    return {
        "code": u.code,
        "name": u.name,
        "type": u.type,
        "parent": parent_code,
        "valid_from": u.valid_from,
        "valid_to": u.valid_to,
    }


@api.get("/units", response={200: UnitList, 404: Message}, tags=["units"])
def list_units(request: HttpRequest, parent: str = ""):
    """The unit tree: provinces without ``parent``; the units under ``parent`` (a unit code) otherwise."""
    if not parent:
        rows = units.provinces()
        return {"parent": None, "count": rows.count(), "results": [_unit(u) for u in rows]}
    unit = units.find_unit(parent)
    if unit is None:
        return Status(404, {"detail": _("Không có đơn vị hành chính mã %(code)s.") % {"code": parent}})
    rows = units.children(unit)
    return {
        "parent": _unit(unit, unit.parent.code if unit.parent else None),
        "count": rows.count(),
        "results": [_unit(u, unit.code) for u in rows],
    }


@api.get("/units/{code}", response={200: UnitOut, 404: Message}, tags=["units"])
def get_unit(request: HttpRequest, code: str):
    unit = units.find_unit(code, current=False)
    if unit is None:
        return Status(404, {"detail": _("Không có đơn vị hành chính mã %(code)s.") % {"code": code}})
    return _unit(unit, unit.parent.code if unit.parent else None)


@api.post("/auth/token", response={200: TokenOut, 401: Message}, tags=["auth"])
def create_token(request: HttpRequest, credentials: TokenIn):
    """Exchange a username (or identity number, email, phone) and password for a bearer token."""
    try:
        user = log_in(request, credentials.username, credentials.password)
    except LoginError as exc:
        return Status(401, {"detail": str(exc)})
    raw, token = issue_token(user)
    return {"access_token": raw, "token_type": "bearer", "expires_at": token.expires_at}


@api.get("/me", response=MeOut, auth=BearerToken(), tags=["auth"])
def me(request: HttpRequest):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "agencies": [AgencyOut(code=a.code, name=a.name) for a in user.agencies.distinct()],
    }


api.add_router("/dossiers/search", dossier_search_router)  # before /dossiers/{ref}
install_dossiers(api)
