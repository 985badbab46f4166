"""Identity-provider plugins (VNeID and other OpenID Connect providers).

A deployment registers the providers it trusts; the login page offers each one. The interface is
small on purpose: build the authorisation URL, then turn the callback into verified claims. Account
linking (claims → User) stays in motcua.accounts.services so every provider follows the same rules.
"""

from motcua.accounts.identity.registry import (
    IdentityClaims,
    IdentityProvider,
    get_provider,
    providers,
    register,
)

__all__ = ["IdentityClaims", "IdentityProvider", "get_provider", "providers", "register"]
