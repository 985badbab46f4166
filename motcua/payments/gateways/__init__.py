"""Payment gateway plugins: a small interface and a registry (``@register("vnpay")``).

A plugin speaks one gateway's protocol: it starts a payment (amount in VND, our reference, the return
address) and gives the address to send the payer to; it reads and checks the gateway's confirmation
(server to server, and the signed return of the payer's browser) and says how to answer it; it asks the
gateway for a payment's status (reconciliation). It never touches the database: the services in
motcua.payments.services decide what a confirmation changes.

Which gateways a site offers is MOTCUA_PAYMENT_GATEWAYS (their names, in the order shown).
"""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise

from motcua.payments.constants import Outcome, PaymentStatus


class GatewayError(Exception):
    """The gateway could not be reached, or refused or garbled the request."""


class Forged(GatewayError):
    """A message whose check value (MaXacThuc, vnp_SecureHash) does not match: not from the gateway."""


class Malformed(GatewayError):
    """A message lacking a field the protocol requires, or with a value of the wrong form."""


@dataclass(frozen=True)
class StartRequest:
    """What a gateway is told when a payment starts."""

    reference: str
    amount: int  # đồng
    description: str
    return_url: str
    client_ip: str
    created_at: datetime.datetime
    dossier_code: str = ""
    procedure_code: str = ""
    agency_code: str = ""
    payer_name: str = ""
    payer_identity: str = ""
    fee_lines: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Started:
    """Where to send the payer, and what the plugin keeps for later (``GatewayPayment.gateway_data``)."""

    redirect_url: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Confirmation:
    """A payment's result as the gateway states it, its check value verified."""

    reference: str
    amount: int  # đồng
    status: PaymentStatus  # PAID, FAILED or CANCELLED
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: datetime.datetime | None = None
    message: dict[str, Any] = field(default_factory=dict)  # as received, for the payment's history


@dataclass(frozen=True)
class StatusAnswer:
    """The gateway's answer to a status query: ``known`` False when it has no such payment; otherwise
    ``status`` (PENDING while the payer has not finished) and, once settled, the confirmation."""

    known: bool
    status: PaymentStatus | None = None
    confirmation: Confirmation | None = None
    message: dict[str, Any] = field(default_factory=dict)


class Gateway(ABC):
    """One payment gateway's protocol."""

    name: str = ""
    label: "str | Promise" = ""  # shown to the payer (translated)

    secret: str = ""

    @property
    def configured(self) -> bool:
        """Whether the site has what the gateway needs (its secret): a gateway without it is not offered."""
        return bool(self.secret)

    @abstractmethod
    def start(self, request: StartRequest) -> Started:
        """Register the payment with the gateway (if its protocol does) and give the payer's address."""

    @abstractmethod
    def read_confirmation(self, query: Mapping[str, str], body: bytes) -> Confirmation:
        """The server-to-server confirmation (IPN): raises Forged or Malformed."""

    @abstractmethod
    def read_return(self, query: Mapping[str, str]) -> Confirmation:
        """The signed parameters of the payer's return to our site: raises Forged or Malformed."""

    @abstractmethod
    def answer(self, outcome: Outcome, confirmation: Confirmation | None) -> dict[str, str]:
        """The JSON answer to a confirmation, in the gateway's codes."""

    @abstractmethod
    def query(self, reference: str, data: Mapping[str, Any], client_ip: str) -> StatusAnswer:
        """Ask the gateway where the payment ``reference`` stands (``data``: what ``start`` kept)."""


_registry: dict[str, Callable[[], Gateway]] = {}


def register(name: str) -> Callable[[type[Gateway]], type[Gateway]]:
    """Class decorator: ``@register("vnpay")`` makes the gateway available under that name."""

    def decorator(cls: type[Gateway]) -> type[Gateway]:
        cls.name = name
        _registry[name] = cls
        return cls

    return decorator


def registered() -> list[str]:
    return list(_registry)


def get(name: str) -> Gateway:
    """The gateway plugin ``name``, configured from the settings now (LookupError if unknown)."""
    try:
        factory = _registry[name]
    except KeyError:
        raise LookupError(f"No payment gateway registered as {name!r}") from None
    return factory()


def enabled() -> list[Gateway]:
    """The gateways this site offers (MOTCUA_PAYMENT_GATEWAYS, those configured), in that order."""
    names = getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", [])
    return [gateway for name in names if name in _registry and (gateway := get(name)).configured]


def is_enabled(name: str) -> bool:
    return (
        name in _registry
        and name in getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", [])
        and get(name).configured
    )
