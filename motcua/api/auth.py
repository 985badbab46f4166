"""Who is calling the API: a person with a token from POST /api/auth/token, or a machine client with a
token from POST /api/auth/client-token (motcua.accounts.clients).

Every operation open to clients names the scope it needs, next to it: ``auth=BearerToken(scope)``
(Open Zaak's ``required_scopes``). A client token on an operation whose scope it lacks, or on one
that names no scope (open to people only), is refused with 403 naming the scope, and the attempt is
written to the personal-data access log. For a client, ``request.auth`` is the ``ApiClient`` and
``request.api_client`` is set; for a person, ``request.auth`` is the ``User``.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from motcua.accounts import access_log
from motcua.accounts.clients import TOKEN_PREFIX, client_for_token
from motcua.accounts.models import ApiClient
from motcua.accounts.rules import client_may
from motcua.accounts.services import user_for_token

DESCRIPTION = (
    "A person: the `access_token` of POST /api/auth/token. A machine client (ứng dụng kết nối): the "
    "`access_token` of POST /api/auth/client-token (client-credentials grant with its `client_id` and "
    "`client_secret`, valid MOTCUA_CLIENT_TOKEN_MINUTES). A client may call only the operations whose "
    "description names a scope it holds (`catalogue.read`, `dossiers.read`, `dossiers.act`, "
    "`national.sync`, `reports.read`); otherwise 403 with `required_scope`, and the attempt is logged."
)


class ScopeRefused(Exception):
    """A client called an operation its scopes do not open (403)."""

    def __init__(self, client: ApiClient, scope: str | None):
        self.client = client
        self.scope = scope
        if scope is None:
            message = _("Thao tác này không dành cho ứng dụng kết nối.")
        else:
            message = _("Ứng dụng “%(client)s” chưa được cấp phạm vi “%(scope)s” cho thao tác này.") % {
                "client": client.client_id,
                "scope": scope,
            }
        super().__init__(message)
        self.message = message


class Anonymous:
    """``request.auth`` of a public operation called without a token (truthy, so ninja lets it in)."""

    is_authenticated = False


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: a person's token, or a client's where ``scope`` is given
    and the client holds it. ``optional``: a public operation, open without a token too."""

    openapi_description = DESCRIPTION

    def __init__(self, scope: str | None = None, *, optional: bool = False):
        self.scope = scope
        self.optional = optional
        super().__init__()

    def __call__(self, request: HttpRequest):
        found = super().__call__(request)
        if found is None and self.optional:
            return Anonymous()  # public: no token, or one that is not (or no longer) valid
        return found

    def authenticate(self, request: HttpRequest, token: str):
        if token.startswith(TOKEN_PREFIX):
            client = client_for_token(token)
            if client is not None:
                request.api_client = client  # type: ignore[attr-defined]
                if self.scope is None or not client_may(client, self.scope):
                    refused = ScopeRefused(client, self.scope)
                    match = getattr(request, "resolver_match", None)
                    ref = str(match.kwargs.get("ref", "")) if match is not None else ""
                    access_log.record_read(
                        request,
                        purpose=f"{request.method} {request.path}"[:100],
                        object_type="operation",
                        codes=[ref.strip().upper()[:60]] if ref else [],
                        allowed=False,
                        reason=refused.message,
                    )
                    raise refused
                return client
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


def client_of(request: HttpRequest) -> ApiClient | None:
    """The API client calling, or None for a person."""
    return getattr(request, "api_client", None)
