"""How the API answers what goes wrong, in one JSON shape, and the OpenAPI that says so.

Every error is ``{"detail": "<message>", "errors": {"<field>": ["<message>", ...]}}`` (``errors`` empty
when no field is at fault): the request's validation (pydantic, translated here), the services'
(``DossierError.errors``) and the refusals of motcua.core.middleware alike. A server error never
carries a traceback, DEBUG or not. Messages follow Accept-Language (motcua.core.middleware).
"""

import logging
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.api.auth import ScopeRefused
from motcua.api.schemas import ErrorOut

log = logging.getLogger(__name__)

# Where a request's value comes from, as pydantic's ``loc`` starts.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def _message(error: dict[str, Any]) -> str:
    """The person's message for one pydantic error, in the request's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Bắt buộc.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Phải là một số nguyên.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Phải là true hoặc false.")
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"):
        return _("Phải là một số.")
    if kind in ("string_type", "string_unicode"):
        return _("Phải là một chuỗi ký tự.")
    if kind == "string_too_long":
        return _("Tối đa %(n)s ký tự.") % {"n": ctx.get("max_length", "")}
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        return _("Phải là một đối tượng JSON.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Phải là một danh sách.")
    if kind.startswith("datetime"):
        return _("Ngày giờ không hợp lệ, dạng YYYY-MM-DDTHH:MM:SS+07:00.")
    if kind.startswith("date"):
        return _("Ngày không hợp lệ, dạng YYYY-MM-DD.")
    if kind.startswith("uuid"):
        return _("Mã không hợp lệ.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Tối thiểu %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("Tối đa %(n)s.") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("literal_error", "enum") and ctx.get("expected"):
        return _("Phải là một trong các giá trị: %(values)s.") % {"values": ctx["expected"]}
    if kind in ("value_error", "assertion_error") and isinstance(ctx.get("error"), Exception):
        return str(ctx["error"])
    return _("Giá trị không hợp lệ.")


def _field(loc: list | tuple) -> str:
    """``("body", "body", "form", "x")`` → ``"form.x"``: the field as the client wrote it."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        # A body, query or form schema is one parameter of the view (``body``, ``filters``...) whose
        # name pydantic puts first; a lone path or query value is named by itself.
        if source in ("body", "form", "file") and len(parts) > 1:
            parts.pop(0)
    return ".".join(parts)[:100] or "body"


def field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's list of errors as the API's one shape: messages by field."""
    result: dict[str, list[str]] = {}
    for error in errors:
        messages = result.setdefault(_field(error.get("loc", ())), [])
        message = _message(error)
        if message not in messages:
            messages.append(message)
    return result


def install(api: NinjaAPI) -> None:
    """The handlers that give every error of ``api`` the one shape."""

    def answer(request: HttpRequest, status: int, detail: str, errors: dict | None = None):
        return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        return answer(request, 422, _("Dữ liệu gửi lên không hợp lệ."), field_errors(exc.errors))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, _("Không tìm thấy."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = answer(request, 401, _("Cần đăng nhập: gửi Authorization: Bearer <khóa truy cập>."))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ScopeRefused)
    def scope_refused(request, exc):
        body = {"detail": exc.message, "errors": {}, "required_scope": exc.scope}
        return api.create_response(request, body, status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:
            # django-ninja's own: the body is not JSON (or not the form it expects).
            return answer(
                request, 400, _("Nội dung gửi lên không đọc được (JSON hoặc biểu mẫu không hợp lệ).")
            )
        return answer(request, exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error on %s %s", request.method, request.path)
        return answer(request, 500, _("Lỗi máy chủ. Vui lòng thử lại sau."))


# ---------------------------------------------------------------------------------------------
# OpenAPI

_MESSAGE = {"$ref": "#/components/schemas/ErrorOut"}


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _MESSAGE}}}


def document_errors(schema: dict) -> None:
    """Declare in every operation the errors the API sends besides those it lists itself: 400 (a body
    that cannot be read), 401 (no valid token), 422 (a value refused), each in the one error shape."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            if operation.get("requestBody"):
                responses.setdefault("400", _response("Bad Request: the body cannot be read."))
            if operation.get("security"):
                responses.setdefault("401", _response("Unauthorized: no valid bearer token."))
                # An API client whose scopes do not open the operation (motcua.api.auth).
                responses.setdefault(
                    "403", _response("Forbidden: an API client without the scope (`required_scope`).")
                )
            if takes_input or method != "get":
                responses.setdefault("422", _response("A value is refused; `errors` names the field."))


class MotcuaApi(NinjaAPI):
    """NinjaAPI whose OpenAPI documents every error it may send (``document_errors``)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorOut" not in components:
            components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        document_errors(schema)
        return schema
