"""Between two agencies of this deployment (the demo's Department of Justice and the Minh Xuân ward):
the package, built, signed and stored as any other, is handed to the receiving function the API uses
(motcua.exchange.services.receive), as if it had arrived, from the delivery task after the commit and
with the same retries. Unlike the other plugins it reaches the database, through that function only:
the far end is this deployment.

A refusal (a bad signature, an agency that is not ours) is permanent; anything else (the database
busy) is tried again."""

import logging

from motcua.exchange.constants import Transport
from motcua.exchange.models import Peer
from motcua.exchange.transports import TransportError, TransportPlugin, register

logger = logging.getLogger(__name__)


@register(Transport.LOCAL)
class LocalTransport(TransportPlugin):
    def send(self, peer: Peer, data: bytes, *, message_type: str, sender: str) -> str:
        from motcua.exchange import services

        try:
            receipt = services.receive(data, local=True, to=peer.organ_id)
        except services.Refused as exc:
            raise TransportError(
                f"{peer.organ_id} refused the package: {exc.reason}", permanent=True
            ) from None
        except Exception as exc:
            logger.exception("local delivery to %s failed", peer.organ_id)
            raise TransportError(f"local delivery to {peer.organ_id} failed: {exc}") from None
        return str(receipt.package.pk)
