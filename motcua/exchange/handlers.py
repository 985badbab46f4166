"""What a received package does on our side (called by services.receive in its transaction).

Filled in with the documents app: a document package files an incoming document (or recalls,
updates, replaces one), a status message is recorded against the outgoing document it answers."""

from motcua.exchange import edxml
from motcua.exchange.models import Package


def apply(row: Package, content: edxml.Package | edxml.StatusMessage) -> None:
    """Apply a received package (already stored as ``row``)."""
