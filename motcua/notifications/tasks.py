"""Work the task worker (``manage.py db_worker``) does for notifications; the logic is in
motcua.notifications.services (its docstring says how a message goes out)."""

from django.tasks import task

from motcua.notifications import services


@task
def dispatch(dossier_id: int, event: str, action: str = "", action_id: int | None = None) -> list[int]:
    """Write the messages of one event about a dossier and queue their sending."""
    return services.dispatch(dossier_id, event, action=action, action_id=action_id)


@task
def send_message(message_id: int) -> str:
    """One attempt at sending an email or SMS; a failure queues the next attempt after a backoff."""
    return services.send(message_id)
