from motcua.dossiers.models.dossiers import (
    Action,
    Attachment,
    DailySequence,
    Dossier,
    Pause,
    Payment,
    Step,
)

__all__ = ["Action", "Attachment", "DailySequence", "Dossier", "Pause", "Payment", "Step"]
