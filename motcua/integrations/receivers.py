from django.dispatch import receiver

from motcua.dossiers import events
from motcua.dossiers.events import dossier_changed
from motcua.integrations.national import sync
from motcua.integrations.tasks import sync_dossier


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, **kwargs) -> None:
    """Queue the dossier's sync with the national portal, one task per event. Delivered by the outbox
    relay, this runs in the relay's transaction: the pending mark and the task row commit together
    with the removal of the event. The portal's own news (``national_synced``) has nothing to send."""
    if action == events.NATIONAL_SYNCED:
        return
    if sync.mark_pending(dossier_id):
        sync_dossier.enqueue(dossier_id)
