"""The exchange follows the documents app's events (sent inside the transaction of the change): an
issued document sent to agencies on the exchange gets its packages queued (a replacement's naming the
document it replaces); a sent document recalled or corrected gets its recall or update queued; an
incoming document that reached a step its sender is told of gets a status message queued. Each is an
outbox row committed with the change, delivered after the commit (motcua.exchange.services)."""

from django.dispatch import receiver

from motcua.documents import events
from motcua.documents.constants import Channel
from motcua.documents.models import OfficialDocument
from motcua.exchange import outgoing
from motcua.exchange.constants import BusinessType


@receiver(events.document_issued, dispatch_uid="exchange.document_issued")
def on_document_issued(sender, document_id: int, channels, **kwargs) -> None:
    if Channel.ELECTRONIC not in channels:
        return
    document = OfficialDocument.objects.select_related("agency", "document_type", "replaces").get(
        pk=document_id
    )
    if document.replaces is not None:
        outgoing.send_document(
            document,
            business=BusinessType.REPLACE,
            reason=document.replace_reason,
            actor=_who(kwargs.get("actor_id")),
            replaces=document.replaces,
        )
        return
    outgoing.send_document(document)


@receiver(events.document_resent, dispatch_uid="exchange.document_resent")
def on_document_resent(sender, document_id: int, business: str, reason: str, actor_id=None, **kwargs) -> None:
    document = OfficialDocument.objects.select_related("agency", "document_type").get(pk=document_id)
    kind = {"recall": BusinessType.RECALL, "update": BusinessType.UPDATE}[business]
    outgoing.resend(document, business=kind, reason=reason, actor=_who(actor_id))


def _who(actor_id):
    from motcua.accounts.models import User

    return User.objects.filter(pk=actor_id).first() if actor_id else None


@receiver(events.document_status, dispatch_uid="exchange.document_status")
def on_document_status(sender, document_id: int, code: str, description: str = "", **kwargs) -> None:
    document = OfficialDocument.objects.select_related("agency").get(pk=document_id)
    outgoing.send_status(document, code, description)
