from django.dispatch import receiver
from django.tasks import task_backends

from motcua.dossiers.events import dossier_changed, dossier_recorded
from motcua.notifications.tasks import NOTIFIED_ACTIONS, notify_applicant


def _queue_in_database() -> bool:
    """Whether the task queue is a table of our database (django-tasks-db): then the task row is
    written in the dossier's own transaction (an outbox: no email for a change that rolled back, no
    change without its email if the process dies right after the commit)."""
    backend = task_backends[notify_applicant.backend]
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


@receiver(dossier_recorded)
def on_dossier_recorded(sender, dossier_id: int, action: str, **kwargs) -> None:
    if action in NOTIFIED_ACTIONS and _queue_in_database():
        notify_applicant.enqueue(dossier_id, action)


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, **kwargs) -> None:
    if action in NOTIFIED_ACTIONS and not _queue_in_database():
        notify_applicant.enqueue(dossier_id, action)
