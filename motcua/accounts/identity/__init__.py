"""Identity-provider plugins (VNeID and other OpenID Connect providers).

A deployment lists the providers it trusts in ``MOTCUA_IDENTITY_PROVIDERS``; the login page offers
each one. The interface is small on purpose: build the authorisation URL, turn the callback into
verified claims, build the logout URL. The session's part of the flow (state, nonce, PKCE verifier) is
``identity.flow``; account linking (claims → User) stays in ``motcua.accounts.services`` so every
provider follows the same rules.
"""

from motcua.accounts.identity.registry import (
    IdentityClaims,
    IdentityError,
    IdentityProvider,
    LoginResult,
    get_provider,
    providers,
    register,
)

# The plugins register themselves on import.
from motcua.accounts.identity import oidc  # noqa: F401  isort: skip

__all__ = [
    "IdentityClaims",
    "IdentityError",
    "IdentityProvider",
    "LoginResult",
    "get_provider",
    "providers",
    "register",
]
