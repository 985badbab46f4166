from django.dispatch import receiver

from motcua.dossiers.events import dossier_changed
from motcua.notifications.tasks import NOTIFIED_ACTIONS, notify_applicant


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, **kwargs) -> None:
    if action in NOTIFIED_ACTIONS:
        notify_applicant.enqueue(dossier_id, action)
