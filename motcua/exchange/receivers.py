"""The exchange follows the documents app's events (sent inside the transaction of the change): an
issued document sent to agencies on the exchange gets its packages queued, an incoming document that
reached a step its sender is told of gets a status message queued. Both are outbox rows committed with
the change, delivered after the commit (motcua.exchange.services)."""

from django.dispatch import receiver

from motcua.documents import events
from motcua.documents.constants import Channel
from motcua.documents.models import OfficialDocument
from motcua.exchange import outgoing


@receiver(events.document_issued, dispatch_uid="exchange.document_issued")
def on_document_issued(sender, document_id: int, channels, **kwargs) -> None:
    if Channel.ELECTRONIC not in channels:
        return
    document = OfficialDocument.objects.select_related("agency", "document_type").get(pk=document_id)
    outgoing.send_document(document)


@receiver(events.document_status, dispatch_uid="exchange.document_status")
def on_document_status(sender, document_id: int, code: str, description: str = "", **kwargs) -> None:
    document = OfficialDocument.objects.select_related("agency").get(pk=document_id)
    outgoing.send_status(document, code, description)
