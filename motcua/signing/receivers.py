from django.dispatch import receiver

from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.events import dossier_changed
from motcua.signing.tasks import sign_dossier_results


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, status: int | None = None, **kwargs) -> None:
    """A dossier became ready (the last approval, or marked ready): its result is issued, so sign and
    register it. Delivered by the outbox relay, the task row commits with the removal of the event."""
    if status == Status.READY and action in (ActionType.APPROVE, ActionType.MARK_READY):
        sign_dossier_results.enqueue(dossier_id)
