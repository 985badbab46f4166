"""The browser's side of an OpenID Connect login, kept in the session: a fresh state, nonce and PKCE
verifier per login attempt, used once.

``begin`` stores them and gives the provider's address; ``finish`` takes them out of the session
before anything else (a replayed or forged state finds nothing), checks the state and the attempt's
age, and has the provider verify the code and the ID token against them.
"""

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.identity.registry import IdentityError, IdentityProvider, LoginResult

SESSION_KEY = "identity_login"
# The ID token and provider of the current login, for the provider's logout.
SESSION_LOGIN = "identity_session"
# How long a person may take at the provider, in seconds.
MAX_AGE = 600


def code_challenge(verifier: str) -> str:
    """PKCE S256: BASE64URL(SHA-256(verifier)) without padding (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def begin(session: Any, provider: IdentityProvider, *, redirect_uri: str, next_url: str = "") -> str:
    """Start a login: remember its secrets in ``session``; the address to send the browser to."""
    attempt = {
        "provider": provider.key,
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
        "redirect_uri": redirect_uri,
        "next": next_url,
        "started": time.time(),
    }
    session[SESSION_KEY] = attempt
    return provider.authorization_url(
        state=attempt["state"],
        nonce=attempt["nonce"],
        code_challenge=code_challenge(attempt["verifier"]),
        redirect_uri=redirect_uri,
    )


def finish(session: Any, provider: IdentityProvider, params: dict[str, str]) -> tuple[LoginResult, str]:
    """Complete the login the provider sent back: (the verified login, where to go next)."""
    attempt = session.pop(SESSION_KEY, None)
    if params.get("error"):
        raise IdentityError(
            _("Hệ thống định danh không cho đăng nhập: %(reason)s")
            % {"reason": params.get("error_description") or params["error"]}
        )
    state = params.get("state", "")
    if not attempt or attempt.get("provider") != provider.key or not state:
        raise IdentityError(
            _("Lần đăng nhập này không hợp lệ hoặc đã được dùng (state); vui lòng đăng nhập lại.")
        )
    if not hmac.compare_digest(state, attempt["state"]):
        raise IdentityError(
            _("Lần đăng nhập này không hợp lệ hoặc đã được dùng (state); vui lòng đăng nhập lại.")
        )
    if time.time() - attempt["started"] > MAX_AGE:
        raise IdentityError(_("Lần đăng nhập đã quá thời gian cho phép; vui lòng đăng nhập lại."))
    code = params.get("code", "")
    if not code:
        raise IdentityError(_("Hệ thống định danh không trả về mã xác thực (code)."))
    result = provider.complete(
        code=code,
        code_verifier=attempt["verifier"],
        nonce=attempt["nonce"],
        redirect_uri=attempt["redirect_uri"],
    )
    return result, attempt.get("next", "")
