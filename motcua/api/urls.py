from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status, Swagger
from pydantic import Field

from motcua.accounts.constants import ClientScope
from motcua.accounts.selectors import tokens_of
from motcua.accounts.services import LoginError, LoginThrottled, issue_token, log_in, revoke_token
from motcua.agencies import selectors as units
from motcua.agencies.models import AdministrativeUnit
from motcua.api import errors
from motcua.api.auth import BearerToken
from motcua.api.clients import router as clients_router
from motcua.api.documents import router as documents_router
from motcua.api.dossier_search import router as dossier_search_router
from motcua.api.dossiers import install as install_dossiers
from motcua.api.exchange import documents_router as document_edxml_router
from motcua.api.exchange import router as exchange_router
from motcua.api.national import router as national_router
from motcua.api.official_documents import router as official_documents_router
from motcua.api.payments import router as payments_router
from motcua.api.ratings import router as ratings_router
from motcua.api.reports import router as reports_router
from motcua.api.schemas import (
    AgencyOut,
    ErrorOut,
    MeOut,
    Message,
    ProcedureDetail,
    ProcedurePage,
    TokenIn,
    TokenInfo,
    TokenOut,
    UnitList,
    UnitOut,
)
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_version, search_procedures, version_history

api = errors.MotcuaApi(
    title="motcua API",
    version="1",
    description="Dịch vụ công trực tuyến một cửa: danh mục thủ tục, đơn vị hành chính, tài khoản. "
    "Online public services: procedure catalogue, administrative units, accounts.\n\n"
    "Machine clients (ứng dụng kết nối) get a token with POST /api/auth/client-token and may call the "
    "operations whose scope they hold: catalogue.read (procedures, units), dossiers.read (dossiers of "
    "their agencies: list, detail, files), dossiers.act (officers' actions, in the name of their "
    "responsible officer), national.sync (/national/dossiers/{ref}), reports.read (/reports). Every "
    "read of personal data by an officer or a client is written to the access log.",
    urls_namespace="api",
    # Swagger UI's files come from this site ("ninja" in INSTALLED_APPS), and it asks no online
    # validator to check the schema: /api/docs works without internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


errors.install(api)

# The catalogue and the units are public; a client that sends its token needs catalogue.read.
CATALOGUE = BearerToken(ClientScope.CATALOGUE_READ, optional=True)
PUBLIC = {"security": [{}]}  # the token is optional: the empty requirement is the anonymous caller


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
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=100, description="Procedures per page, 1 to 100.")


@api.get(
    "/procedures",
    response={200: ProcedurePage, 422: ErrorOut},
    tags=["catalogue"],
    auth=CATALOGUE,
    openapi_extra=PUBLIC,
)
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]):
    """Published procedures, searched without regard to case, diacritics or small typos."""
    versions = search_procedures(
        filters.q, field=filters.field, agency=filters.agency, mode=filters.mode, level=filters.level
    )
    size = filters.page_size
    page = Paginator(versions, size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": size,
        "results": [_summary(v) for v in page.object_list],
    }


@api.get(
    "/procedures/{code}",
    response={200: ProcedureDetail, 404: Message},
    tags=["catalogue"],
    auth=CATALOGUE,
    openapi_extra=PUBLIC,
)
def get_procedure(request: HttpRequest, code: str, version: int | None = Query(None, ge=1, le=2**31 - 1)):
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
        "channels": list(v.channels.all()),
        "fees": list(v.fees.all()),
        "documents": [
            {
                "name": d.name,
                "form": d.form,
                "quantity": d.quantity,
                "required": d.required,
                "note": d.note,
                "template_url": request.build_absolute_uri(
                    reverse("portal:procedure_template", args=[v.procedure.code, d.pk])
                )
                if d.template
                else None,
            }
            for d in v.documents.all()
        ],
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


@api.get(
    "/units", response={200: UnitList, 404: Message}, tags=["units"], auth=CATALOGUE, openapi_extra=PUBLIC
)
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


@api.get(
    "/units/{code}",
    response={200: UnitOut, 404: Message},
    tags=["units"],
    auth=CATALOGUE,
    openapi_extra=PUBLIC,
)
def get_unit(request: HttpRequest, code: str):
    unit = units.find_unit(code, current=False)
    if unit is None:
        return Status(404, {"detail": _("Không có đơn vị hành chính mã %(code)s.") % {"code": code}})
    return _unit(unit, unit.parent.code if unit.parent else None)


@api.post("/auth/token", response={200: TokenOut, 401: ErrorOut, 429: ErrorOut}, tags=["auth"])
def create_token(request: HttpRequest, credentials: TokenIn):
    """Exchange a username (or identity number, email, phone) and password for a bearer token, valid
    for MOTCUA_API_TOKEN_DAYS days, until a password change, a deactivation or its DELETE. Throttled like
    every login (429 with Retry-After after repeated failures); one message whether or not the account
    exists."""
    try:
        user = log_in(request, credentials.username, credentials.password)
    except LoginThrottled as exc:
        response = api.create_response(request, {"detail": str(exc), "errors": {}}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    except LoginError as exc:
        return Status(401, {"detail": str(exc), "errors": {}})
    raw, token = issue_token(user)
    return {"access_token": raw, "token_type": "bearer", "expires_at": token.expires_at}


@api.delete("/auth/token", response={204: None, 401: ErrorOut}, auth=BearerToken(), tags=["auth"])
def delete_token(request: HttpRequest):
    """End the token this request is sent with (log out of the API)."""
    token = request.auth.api_tokens.filter(pk=request.auth.api_token_id).first()
    if token is not None:
        revoke_token(token, actor=request.auth)
    return Status(204, None)


@api.get("/auth/tokens", response={200: list[TokenInfo], 401: ErrorOut}, auth=BearerToken(), tags=["auth"])
def list_tokens(request: HttpRequest):
    """The caller's valid tokens, newest first (never their value: only its digest is kept)."""
    return [
        {
            "id": t.pk,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "last_used_at": t.last_used_at,
            "current": t.pk == request.auth.api_token_id,
        }
        for t in tokens_of(request.auth)
    ]


@api.get("/me", response=MeOut, auth=BearerToken(), tags=["auth"])
def me(request: HttpRequest):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "agencies": [AgencyOut(code=a.code, name=a.name) for a in user.agencies.distinct()],
    }


api.add_router("/auth", clients_router)  # /auth/client-token
api.add_router("/national", national_router)
api.add_router("/dossiers/search", dossier_search_router)  # before /dossiers/{ref}
api.add_router("/dossiers", payments_router)  # /dossiers/{ref}/payments, before the dossier router
api.add_router("/dossiers", ratings_router)  # /dossiers/{ref}/rating, likewise
api.add_router("/reports", reports_router)
api.add_router("", documents_router)  # /verify, /dossiers/{ref}/documents: before /dossiers/{ref}
api.add_router("", exchange_router)  # /exchange/edxml: packages from other agencies
install_dossiers(api)
api.add_router("/documents", document_edxml_router)  # /documents/{id}/edxml
api.add_router("/documents", official_documents_router)
