"""Reads of the integrations app for the faces and the reports."""

from motcua.dossiers.models import Dossier
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.integrations.national.client import configured
from motcua.integrations.national.sync import state_of, sync_rate

__all__ = ["national_sync_of", "state_of", "state_of_new", "sync_rate"]


def national_sync_of(dossier: Dossier) -> NationalSync | None:
    """The dossier's sync with the national portal, for the staff page (None: not synced)."""
    return NationalSync.objects.filter(dossier_id=dossier.pk).first()


def state_of_new() -> dict:
    """``national_sync`` of a dossier just submitted, without a query: pending when the sync is on."""
    return {"state": SyncState.PENDING.value if configured() else None, "synced_at": None}
