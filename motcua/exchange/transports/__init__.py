"""Transport plugins: how a package reaches a peer (``Peer.transport`` names one).

- ``direct`` (motcua.exchange.transports.direct): POST the package to the peer deployment's
  ``/api/exchange/edxml``; the package's own XML-DSig signature authenticates the request.
- ``backbone`` (motcua.exchange.transports.backbone): the national document exchange backbone (trục
  liên thông văn bản quốc gia): send, list received, get, update status; messages of type ``edoc`` or
  ``status``. Received packages are pulled (``manage.py exchange_poll``).
- ``local`` (motcua.exchange.transports.local): to another agency of this deployment; the package is
  handed to services.receive as if it had arrived (a Peer row of transport ``local`` per agency, made
  by services.local_peer).

A plugin moves bytes; it never touches the database (motcua.exchange.services decides what a package
does; the local plugin reaches it only through services.receive). A deployment adds a transport by
registering another plugin.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from motcua.exchange.models import Peer


class TransportError(Exception):
    """The package did not get through. ``permanent``: the other side refused it (retrying the same
    bytes cannot help); otherwise it is tried again later."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Received:
    """A package waiting for us on a pull transport."""

    reference: str
    message_type: str
    sender: str
    recipient: str
    data: bytes


class TransportPlugin:
    name: ClassVar[str]
    # Does it bring packages to us (True), or do peers push them to our endpoint (False)?
    pulls: ClassVar[bool] = False

    def send(self, peer: Peer, data: bytes, *, message_type: str, sender: str) -> str:
        """Send ``data`` to ``peer``; the other side's reference for it. TransportError on failure."""
        raise NotImplementedError

    def receive(self, organ_ids: Iterable[str]) -> Iterable[Received]:
        """Packages waiting for the agencies ``organ_ids`` (pull transports)."""
        return []

    def acknowledge(self, received: Received, *, accepted: bool, note: str = "") -> None:
        """Tell the transport a pulled package was taken (or refused), so that it is not listed again."""


REGISTRY: dict[str, TransportPlugin] = {}


def register(name: str) -> Callable[[type[TransportPlugin]], type[TransportPlugin]]:
    def add(cls: type[TransportPlugin]) -> type[TransportPlugin]:
        cls.name = name
        REGISTRY[name] = cls()
        return cls

    return add


def plugin(name: str) -> TransportPlugin:
    try:
        return REGISTRY[name]
    except KeyError:
        raise TransportError(f"No transport plugin {name!r}.", permanent=True) from None
