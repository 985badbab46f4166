"""Work the task worker does for the integrations (the logic is in the ``national.sync`` module)."""

from django.tasks import task

from motcua.integrations.national import sync


@task
def sync_dossier(dossier_id: int) -> str:
    """Send one dossier's changes to the national portal; a failure queues the next attempt."""
    return sync.sync(dossier_id)
