"""The national document exchange backbone (trục liên thông văn bản quốc gia), as a client.

The backbone publishes no open specification; this is the contract our client and its stand-in
(motcua.exchange.standin, ``manage.py exchange_standin``) speak, after the verbs of the agencies'
SDKs: send a document, list received, get a document, update its status, with message type ``edoc``
or ``status``. Every call carries the headers ``systemid`` and ``secret`` (MOTCUA_EXCHANGE_BACKBONE_
SYSTEM_ID and _SECRET). Answers are JSON ``{"status": "OK" | "FAIL", ...}`` except ``get``.

- send: ``POST /edocs`` with headers ``messagetype``, ``from`` (OrganId), ``to`` (OrganIds, comma
  separated) and the package as the body → ``{"status": "OK", "docId": "…"}``;
- list received: ``GET /edocs?to=A,B[&messagetype=edoc]`` → ``{"status": "OK", "data": [{"docId",
  "from", "to", "messagetype", "created"}]}``, the packages not yet taken, oldest first;
- get: ``GET /edocs/{docId}?to=A`` → the package, ``application/xml``;
- update status: ``POST /edocs/{docId}/status`` with ``{"to": "A", "status": "done" | "fail",
  "note": "…"}`` → ``{"status": "OK"}``: a package marked done or fail is no longer listed for A.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from django.conf import settings

from motcua.exchange.constants import Transport
from motcua.exchange.models import Peer
from motcua.exchange.transports import Received, TransportError, TransportPlugin, register
from motcua.exchange.transports.direct import timeout


def base_url() -> str:
    url = getattr(settings, "MOTCUA_EXCHANGE_BACKBONE_URL", "")
    if not url:
        raise TransportError("MOTCUA_EXCHANGE_BACKBONE_URL is not set.")
    return url.rstrip("/")


def _headers(**extra: str) -> dict[str, str]:
    return {
        "systemid": getattr(settings, "MOTCUA_EXCHANGE_BACKBONE_SYSTEM_ID", ""),
        "secret": getattr(settings, "MOTCUA_EXCHANGE_BACKBONE_SECRET", ""),
        **extra,
    }


def _call(
    method: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> bytes:
    url = base_url() + path
    request = urllib.request.Request(url, data=data, headers=headers or _headers(), method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode("utf-8", "replace")
        raise TransportError(
            f"backbone {method} {path} answered HTTP {exc.code}: {detail}",
            permanent=exc.code in (400, 404, 413, 422),
        ) from None
    except (OSError, ValueError) as exc:
        raise TransportError(f"the backbone could not be reached: {exc}") from None


def _json(body: bytes) -> dict:
    try:
        answer = json.loads(body)
    except ValueError:
        raise TransportError("the backbone did not answer JSON") from None
    if not isinstance(answer, dict) or answer.get("status") != "OK":
        raise TransportError(f"the backbone refused: {str(answer)[:300]}")
    return answer


@register(Transport.BACKBONE)
class BackboneTransport(TransportPlugin):
    pulls = True

    def send(self, peer: Peer, data: bytes, *, message_type: str, sender: str) -> str:
        headers = _headers(
            **{
                "Content-Type": "application/xml",
                "messagetype": message_type,
                "from": sender,
                "to": peer.organ_id,
            }
        )
        return str(_json(_call("POST", "/edocs", data=data, headers=headers)).get("docId", ""))

    def receive(self, organ_ids: Iterable[str]) -> Iterable[Received]:
        wanted = ",".join(sorted(set(organ_ids)))
        if not wanted:
            return []
        listing = _json(_call("GET", "/edocs?" + urllib.parse.urlencode({"to": wanted})))
        found = []
        for item in listing.get("data") or []:
            if not isinstance(item, dict) or not item.get("docId"):
                continue
            reference = str(item["docId"])
            recipient = str(item.get("to", ""))
            query = urllib.parse.urlencode({"to": recipient})
            data = _call("GET", f"/edocs/{urllib.parse.quote(reference)}?{query}")
            found.append(
                Received(
                    reference=reference,
                    message_type=str(item.get("messagetype", "edoc")),
                    sender=str(item.get("from", "")),
                    recipient=recipient,
                    data=data,
                )
            )
        return found

    def acknowledge(self, received: Received, *, accepted: bool, note: str = "") -> None:
        body = json.dumps(
            {"to": received.recipient, "status": "done" if accepted else "fail", "note": note[:500]}
        ).encode()
        headers = _headers(**{"Content-Type": "application/json"})
        _json(
            _call(
                "POST", f"/edocs/{urllib.parse.quote(received.reference)}/status", data=body, headers=headers
            )
        )
