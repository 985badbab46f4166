"""OpenID Connect, authorisation code flow with PKCE (S256): the VNeID-style provider.

The provider's addresses come from its discovery document (``{issuer}/.well-known/openid-configuration``,
kept per process for ``MOTCUA_IDENTITY_DISCOVERY_SECONDS``); its keys from its JWKS (PyJWT's client,
fetched again when a token names a key it does not know). The ID token is verified for its RS256
signature, issuer, audience (our client id), expiry and issue time, and the nonce this login started
with; the userinfo answer adds the VNeID claims and must be about the same subject. Every refusal is an
IdentityError with the reason in plain words.
"""

import datetime
import hmac
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import jwt
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.accounts.identity.registry import IdentityClaims, IdentityError, LoginResult, register

log = logging.getLogger(__name__)

ALGORITHMS = ["RS256"]
# Clock difference tolerated between the provider and us, in seconds.
LEEWAY = 60

_discovery_lock = threading.Lock()
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks_clients: dict[str, jwt.PyJWKClient] = {}


def _timeout() -> float:
    return float(settings.MOTCUA_IDENTITY_TIMEOUT_SECONDS)


def _unreachable() -> IdentityError:
    return IdentityError(_("Không kết nối được với hệ thống định danh điện tử; vui lòng thử lại sau."))


def _read_json(request: urllib.request.Request) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310  (URL from settings)
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("error_description", "")
        except (ValueError, AttributeError):
            detail = ""
        log.warning("Identity provider %s answered HTTP %s %s", request.full_url, exc.code, detail)
        raise IdentityError(
            _("Hệ thống định danh điện tử từ chối yêu cầu đăng nhập: %(detail)s")
            % {"detail": detail or exc.code}
        ) from None
    except (OSError, ValueError) as exc:
        log.warning("Identity provider %s could not be read: %s", request.full_url, exc)
        raise _unreachable() from None
    if not isinstance(answer, dict):
        raise _unreachable()
    return answer


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, checked to name the issuer we trust."""
    with _discovery_lock:
        cached = _discovery.get(issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
    address = issuer.rstrip("/") + "/.well-known/openid-configuration"
    document = _read_json(urllib.request.Request(address))  # noqa: S310  (the issuer comes from the settings)
    if document.get("issuer") != issuer:
        log.warning("Discovery document of %s names issuer %r", issuer, document.get("issuer"))
        raise IdentityError(
            _("Tài liệu cấu hình của hệ thống định danh không khớp với bên phát hành đã cấu hình.")
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(key):
            raise IdentityError(_("Tài liệu cấu hình của hệ thống định danh thiếu %(key)s.") % {"key": key})
    with _discovery_lock:
        _discovery[issuer] = (time.monotonic() + settings.MOTCUA_IDENTITY_DISCOVERY_SECONDS, document)
    return document


def _jwks(uri: str) -> jwt.PyJWKClient:
    with _discovery_lock:
        client = _jwks_clients.get(uri)
        if client is None:
            client = jwt.PyJWKClient(uri, cache_keys=True, lifespan=300, timeout=int(_timeout()))
            _jwks_clients[uri] = client
        return client


def verify_id_token(
    id_token: str, *, issuer: str, audience: str, nonce: str, jwks_uri: str
) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce are right."""
    try:
        key = _jwks(jwks_uri).get_signing_key_from_jwt(id_token)
        claims = jwt.decode(
            id_token,
            key.key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise IdentityError(
            _("Mã thông báo định danh (ID token) đã hết hạn; vui lòng đăng nhập lại.")
        ) from None
    except jwt.InvalidIssuerError:
        raise IdentityError(
            _("Mã thông báo định danh (ID token) không do hệ thống định danh đã cấu hình phát hành.")
        ) from None
    except jwt.InvalidAudienceError:
        raise IdentityError(_("Mã thông báo định danh (ID token) không cấp cho hệ thống này.")) from None
    except jwt.PyJWKClientConnectionError:
        raise _unreachable() from None
    except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
        log.warning("ID token refused: %s", exc)
        raise IdentityError(
            _("Mã thông báo định danh (ID token) không hợp lệ: %(reason)s") % {"reason": exc}
        ) from None
    if isinstance(claims["aud"], list) and len(claims["aud"]) > 1 and claims.get("azp") != audience:
        raise IdentityError(_("Mã thông báo định danh (ID token) không cấp cho hệ thống này."))
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise IdentityError(
            _(
                "Mã thông báo định danh (ID token) không thuộc lần đăng nhập này (nonce không khớp); "
                "vui lòng đăng nhập lại."
            )
        )
    return claims


def _level(value: Any) -> int:
    """The level of assurance from "2", 2, "IAL2" or "loa-2"; 0 when none is given."""
    digits = re.findall(r"\d", str(value or ""))
    return int(digits[-1]) if digits else 0


def _birth_date(value: Any) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(str(value), "%Y%m%d").date()
    except ValueError:
        return None


def claims_from(values: dict[str, Any]) -> IdentityClaims:
    """The VNeID claims (INTEGRATIONS.md §5) as IdentityClaims; IdentityError without a valid number."""
    number = str(values.get("SoDinhDanh") or "").strip()
    if not re.fullmatch(r"\d{12}", number):
        raise IdentityError(_("Hệ thống định danh không trả về số định danh cá nhân hợp lệ (12 chữ số)."))
    level = _level(values.get("loAs") or values.get("IAL") or values.get("acr"))
    return IdentityClaims(
        subject=str(values["sub"]),
        identity_number=number,
        full_name=str(values.get("HoVaTen") or "").strip(),
        birth_date=_birth_date(values.get("NgayThangNamSinh")),
        account_type=_level(values.get("LoaiTaiKhoan")) or 1,
        assurance_level=level,
        email=str(values.get("ThuDienTu") or values.get("email") or "").strip(),
        phone=str(values.get("SoDienThoai") or values.get("phone_number") or "").strip(),
    )


class OidcProvider:
    """An OpenID Connect provider configured by ``MOTCUA_<KEY>_ISSUER``, ``_CLIENT_ID`` and
    ``_CLIENT_SECRET``."""

    key = "oidc"
    label = ""

    def __init__(self) -> None:
        prefix = f"MOTCUA_{self.key.upper()}_"
        self.issuer: str = getattr(settings, prefix + "ISSUER")
        self.client_id: str = getattr(settings, prefix + "CLIENT_ID")
        self.client_secret: str = getattr(settings, prefix + "CLIENT_SECRET")

    def authorization_url(self, *, state: str, nonce: str, code_challenge: str, redirect_uri: str) -> str:
        endpoint = discover(self.issuer)["authorization_endpoint"]
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": "openid",
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    def complete(self, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> LoginResult:
        document = discover(self.issuer)
        form = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        ).encode()
        tokens = _read_json(
            urllib.request.Request(  # noqa: S310
                document["token_endpoint"],
                data=form,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                method="POST",
            )
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise IdentityError(_("Hệ thống định danh không trả về mã thông báo định danh (ID token)."))
        values = verify_id_token(
            id_token, issuer=self.issuer, audience=self.client_id, nonce=nonce, jwks_uri=document["jwks_uri"]
        )
        access_token = tokens.get("access_token")
        if document.get("userinfo_endpoint") and isinstance(access_token, str) and access_token:
            info = _read_json(
                urllib.request.Request(  # noqa: S310
                    document["userinfo_endpoint"],
                    headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
                )
            )
            if str(info.get("sub")) != str(values["sub"]):
                raise IdentityError(_("Thông tin người dùng không khớp với mã thông báo định danh."))
            values = {**info, **values}
        return LoginResult(claims=claims_from(values), id_token=id_token)

    def logout_url(self, *, id_token: str, post_logout_redirect_uri: str, state: str) -> str:
        try:
            endpoint = discover(self.issuer).get("end_session_endpoint")
        except IdentityError:
            return ""
        if not endpoint:
            return ""
        query = urllib.parse.urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": post_logout_redirect_uri,
                "client_id": self.client_id,
                "state": state,
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


@register("vneid")
class VneidProvider(OidcProvider):
    """Tài khoản định danh điện tử (VNeID), through the national identity's OpenID Connect provider."""

    key = "vneid"

    @property
    def label(self) -> str:  # type: ignore[override]
        return _("Đăng nhập bằng tài khoản định danh điện tử (VNeID)")
