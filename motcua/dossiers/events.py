"""Domain events of dossiers.

Apps above dossiers (notifications, later the national-portal sync and reports) subscribe; dossiers
never import them. Two signals, the same arguments (dossier_id: int, action: ActionType value,
status: int, data: dict):

- ``dossier_recorded``, inside the transaction that records the change, for subscribers that only
  write rows to the same database (a transactional outbox, such as a task for the database worker):
  their rows commit or roll back with the change, and no worker sees them before the commit;
- ``dossier_changed``, only after that transaction has committed, for everything else.
"""

from django.db import transaction
from django.dispatch import Signal

dossier_recorded = Signal()
dossier_changed = Signal()


def publish(dossier_id: int, action: str, status: int, data: dict | None = None) -> None:
    """Called by the services inside the transaction of the change."""
    kwargs = {"dossier_id": dossier_id, "action": action, "status": status, "data": data or {}}
    dossier_recorded.send(sender="dossiers", **kwargs)
    transaction.on_commit(lambda: dossier_changed.send(sender="dossiers", **kwargs))
