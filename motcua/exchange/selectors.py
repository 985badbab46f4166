"""Reads of the exchange."""

from django.db.models import QuerySet

from motcua.exchange.constants import BusinessType, Direction, MessageType
from motcua.exchange.models import Package, StatusMessage


def package_of(document) -> Package | None:
    """The package that carried an official document: the one received (incoming), or the latest new
    document package sent (outgoing; the bytes are the same for every recipient)."""
    rows = Package.objects.filter(document=document, message_type=MessageType.EDOC)
    if document.direction == "in":
        rows = rows.filter(direction=Direction.IN)
    else:
        rows = rows.filter(direction=Direction.OUT, business_type=BusinessType.NEW)
    return rows.order_by("-id").first()


def status_messages(document) -> QuerySet[StatusMessage]:
    """The status messages about a document, sent or received, in the order they came."""
    return (
        StatusMessage.objects.filter(edxml_document_id=document.exchange_id).order_by("recorded_at", "id")
        if document.exchange_id
        else StatusMessage.objects.none()
    )
