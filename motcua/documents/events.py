"""Domain events of official documents, for the apps above (motcua.exchange sends issued documents
to the agencies on the exchange and the status messages of incoming ones back to their senders).

``document_changed`` is sent by every service, INSIDE the transaction of the change, with
``document_id`` (int), ``action`` (an ActionType value), ``status`` (a Status value) and ``data``
(dict). A subscriber writes what it has to do in the same transaction (its own outbox row, which its
worker delivers with retries): the work then exists exactly when the change does. A subscriber must
not talk to the network here; it does so after the commit, from its outbox.

Two derived signals say the same for the common cases:

- ``document_issued`` (document_id, channels): an outgoing document was sent; ``channels`` lists the
  recipients' channels (``electronic`` ones are for the exchange);
- ``document_status`` (document_id, code, description): an incoming document reached a step that the
  sender is told of with an edXML status code (02 refused, 03 received, 04 assigned, 05 processing,
  06 done, 15/16 an update or replacement accepted/refused; ``constants.STATUS_CODES``);
- ``document_resent`` (document_id, business, reason, actor_id): the sender's leader or clerk recalls
  a sent document (``business`` "recall") or corrects its details ("update"); the recipients on the
  exchange are sent the package. A replacement is a new document: ``document_issued`` when it is sent
  (its ``replaces`` names the one it replaces).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

document_changed = Signal()
document_issued = Signal()
document_status = Signal()
document_resent = Signal()

_muted: ContextVar[bool] = ContextVar("motcua_document_events_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Changes made in the block publish nothing (the demo loader writes history that must not reach
    another agency). Explicit, so that nothing needs patching."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def publish(document_id: int, action: str, status: str, data: dict | None = None) -> None:
    """Called by the services inside the transaction of the change."""
    if _muted.get():
        return
    data = data or {}
    document_changed.send(
        sender="documents", document_id=document_id, action=action, status=status, data=data
    )
    if "status_code" in data:
        document_status.send(
            sender="documents",
            document_id=document_id,
            code=data["status_code"],
            description=data.get("status_description", ""),
        )
    if action in ("recall_sent", "update_sent"):
        document_resent.send(
            sender="documents",
            document_id=document_id,
            business=data["business"],
            reason=data.get("reason", ""),
            actor_id=data.get("requested_by"),
        )
    if action == "send":
        document_issued.send(
            sender="documents",
            document_id=document_id,
            channels=data.get("channels", []),
            actor_id=data.get("requested_by"),
        )
