from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class IdentityClaims:
    """What a provider vouches for after login. ``identity_number`` is the 12-digit personal number."""

    subject: str
    identity_number: str
    full_name: str
    email: str = ""
    phone: str = ""
    assurance_level: str = ""


class IdentityProvider(Protocol):
    """An OpenID Connect provider (authorisation code flow with PKCE)."""

    key: str
    label: str

    def authorization_url(self, *, state: str, nonce: str, code_challenge: str, redirect_uri: str) -> str:
        """Where to send the browser to log in."""
        ...

    def complete(self, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> IdentityClaims:
        """Exchange the code and verify the ID token (signature, issuer, audience, nonce, expiry)."""
        ...


_registry: dict[str, IdentityProvider] = {}


def register(key: str) -> Callable[[type], type]:
    """Class decorator: ``@register("vneid")`` makes the provider available under that key."""

    def decorator(cls: type) -> type:
        instance = cls()
        instance.key = key
        _registry[key] = instance
        return cls

    return decorator


def providers() -> list[IdentityProvider]:
    return list(_registry.values())


def get_provider(key: str) -> IdentityProvider:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"No identity provider registered as {key!r}") from None
