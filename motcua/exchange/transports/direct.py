"""Deployment to deployment: the package is POSTed to ``{peer.endpoint_url}/api/exchange/edxml``
(``Content-Type: application/xml``). There is no other credential: the receiver authenticates the
request by the package's XML-DSig signature against the certificate it configured for us. A 4xx
answer is the receiver refusing the package (permanent); no answer or a 5xx is tried again."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from motcua.exchange.constants import Transport
from motcua.exchange.models import Peer
from motcua.exchange.transports import TransportError, TransportPlugin, register

PATH = "/api/exchange/edxml"


def timeout() -> float:
    return float(getattr(settings, "MOTCUA_EXCHANGE_TIMEOUT_SECONDS", 30))


def _refused(code: int) -> bool:
    """A 4xx answer refuses the package for good, except "time out" and "too many requests"."""
    return 400 <= code < 500 and code not in (408, 425, 429)


@register(Transport.DIRECT)
class DirectTransport(TransportPlugin):
    def send(self, peer: Peer, data: bytes, *, message_type: str, sender: str) -> str:
        if not peer.endpoint_url:
            raise TransportError(f"{peer.organ_id} has no endpoint address.", permanent=True)
        url = peer.endpoint_url.rstrip("/") + PATH
        request = urllib.request.Request(  # noqa: S310  (the address is the peer's, set by an administrator)
            url,
            data=data,
            headers={"Content-Type": "application/xml", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace")
            raise TransportError(
                f"{url} answered HTTP {exc.code}: {detail}", permanent=_refused(exc.code)
            ) from None
        except (OSError, ValueError) as exc:
            raise TransportError(f"{url} could not be reached: {exc}") from None
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            answer = {}
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""
