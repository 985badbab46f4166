"""POST /api/auth/client-token: a machine client exchanges its ``client_id`` and ``client_secret`` for
a bearer token (the client-credentials grant, RFC 6749 §4.4), as a form (``grant_type``,
``client_id``, ``client_secret``) or with HTTP Basic. Failures are counted per client address
(MOTCUA_CLIENT_TOKEN_FAILURE_RATE); past the limit, 429 before the secret is even checked."""

import base64
import binascii
import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Form, Router, Schema, Status
from pydantic import Field

from motcua.accounts.clients import ClientCredentialsError, issue_token
from motcua.api.schemas import ErrorOut
from motcua.core import clock, ratelimit
from motcua.core.http import client_address

router = Router(tags=["auth"])


class ClientCredentials(Schema):
    grant_type: str = Field("client_credentials", max_length=40, description="Always client_credentials.")
    client_id: str = Field("", max_length=64, description="The client's id (or send HTTP Basic).")
    client_secret: str = Field("", max_length=200, description="The secret shown once at creation.")


class ClientTokenOut(Schema):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the token is valid.")
    expires_at: datetime.datetime
    scope: str = Field(description="The client's scopes, space-separated.")


def _basic(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def _refused(request: HttpRequest, status: int, message: str, field: str = ""):
    errors = {field: [message]} if field else {}
    return Status(status, {"detail": message, "errors": errors})


@router.post(
    "/client-token",
    response={200: ClientTokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
)
def client_token(request: HttpRequest, credentials: Form[ClientCredentials]):
    """A token for an API client (ứng dụng kết nối), valid MOTCUA_CLIENT_TOKEN_MINUTES minutes; send it
    as ``Authorization: Bearer <access_token>``. One message whether the id or the secret is wrong."""
    if credentials.grant_type != "client_credentials":
        return _refused(request, 422, _("Chỉ hỗ trợ grant_type=client_credentials."), field="grant_type")
    client_id, secret = credentials.client_id, credentials.client_secret
    basic = _basic(request)
    if basic is not None and not client_id:
        client_id, secret = basic
    address = client_address(request) or "-"
    rate = ratelimit.rate_of("MOTCUA_CLIENT_TOKEN_FAILURE_RATE")
    wait = ratelimit.blocked("client_token", address, rate)
    if wait:
        body = {"detail": ratelimit.too_many_requests_message(wait), "errors": {}}
        response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = str(wait)
        return response
    try:
        raw, token = issue_token(client_id.strip(), secret)
    except ClientCredentialsError as exc:
        ratelimit.hit("client_token", address, rate)
        return _refused(request, 401, str(exc))
    return {
        "access_token": raw,
        "token_type": "bearer",
        "expires_in": max(int((token.expires_at - clock.now()).total_seconds()), 0),
        "expires_at": token.expires_at,
        "scope": " ".join(token.client.scopes),
    }
