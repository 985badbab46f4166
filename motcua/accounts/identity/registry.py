"""The identity-provider registry: ``@register("vneid")`` on a class makes it a provider; the setting
``MOTCUA_IDENTITY_PROVIDERS`` says which registered providers a deployment offers, in order."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


class IdentityError(Exception):
    """A login through a provider that did not succeed, with the message to show the person."""


@dataclass(frozen=True)
class IdentityClaims:
    """What a provider vouches for after login (the VNeID claims: SoDinhDanh, HoVaTen,
    NgayThangNamSinh, LoaiTaiKhoan, the level of assurance)."""

    subject: str
    identity_number: str
    full_name: str
    birth_date: datetime.date | None = None
    # LoaiTaiKhoan: 1 citizen, 2 business.
    account_type: int = 1
    # Level of assurance of the identity (mức độ định danh điện tử): 1 or 2.
    assurance_level: int = 1
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class LoginResult:
    """A verified login: the claims, and the ID token kept for the provider's logout (id_token_hint)."""

    claims: IdentityClaims
    id_token: str


class IdentityProvider(Protocol):
    """An OpenID Connect provider (authorisation code flow with PKCE, S256)."""

    key: str
    label: str

    def authorization_url(self, *, state: str, nonce: str, code_challenge: str, redirect_uri: str) -> str:
        """Where to send the browser to log in."""
        ...

    def complete(self, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> LoginResult:
        """Exchange the code and verify the ID token (signature, issuer, audience, expiry, nonce);
        IdentityError when anything is wrong."""
        ...

    def logout_url(self, *, id_token: str, post_logout_redirect_uri: str, state: str) -> str:
        """Where to send the browser to end the provider's session (RP-initiated logout); "" if none."""
        ...


_registry: dict[str, Callable[[], IdentityProvider]] = {}


def register(key: str) -> Callable[[type], type]:
    """Class decorator: ``@register("vneid")`` makes the provider available under that key."""

    def decorator(cls: type) -> type:
        cls.key = key  # type: ignore[attr-defined]
        _registry[key] = cls
        return cls

    return decorator


def providers() -> list[IdentityProvider]:
    """The providers this deployment offers (MOTCUA_IDENTITY_PROVIDERS), built from the settings now."""
    return [_registry[key]() for key in settings.MOTCUA_IDENTITY_PROVIDERS if key in _registry]


def get_provider(key: str) -> IdentityProvider:
    """The offered provider ``key``; LookupError when it is not registered or not offered."""
    if key not in _registry or key not in settings.MOTCUA_IDENTITY_PROVIDERS:
        raise LookupError(f"No identity provider offered as {key!r}")
    return _registry[key]()
