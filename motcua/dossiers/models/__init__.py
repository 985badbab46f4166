from motcua.dossiers.models.dossiers import (
    Action,
    Attachment,
    DailySequence,
    Dossier,
    Pause,
    Payment,
    Step,
)
from motcua.dossiers.models.events import OutboxEvent

__all__ = [
    "Action",
    "Attachment",
    "DailySequence",
    "Dossier",
    "OutboxEvent",
    "Pause",
    "Payment",
    "Step",
]
