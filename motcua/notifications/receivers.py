from django.dispatch import receiver

from motcua.dossiers.events import dossier_changed
from motcua.notifications.tasks import NOTIFIED_ACTIONS, notify_applicant


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, **kwargs) -> None:
    """Queue the email. Delivered by the outbox relay, this runs in the relay's transaction: with the
    database task queue, the task row commits together with the removal of the event."""
    if action in NOTIFIED_ACTIONS:
        notify_applicant.enqueue(dossier_id, action)
