"""Domain events of dossiers, sent only after the transaction that caused them has committed.

Apps above dossiers (notifications, later the national-portal sync and reports) subscribe to
``dossier_changed``; dossiers never import them.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with: dossier_id (int), action (ActionType value), status (int), data (dict).
dossier_changed = Signal()


def publish(dossier_id: int, action: str, status: int, data: dict | None = None) -> None:
    transaction.on_commit(
        lambda: dossier_changed.send(
            sender="dossiers", dossier_id=dossier_id, action=action, status=status, data=data or {}
        )
    )
