"""The reports follow the dossiers: each event brings its dossier's facts and the aggregates up to date.

Delivered by the outbox relay (motcua.dossiers.events), this runs in the relay's transaction, after the
action has committed: the action itself pays nothing for the reports (docs/decisions/0010).
"""

from django.dispatch import receiver

from motcua.dossiers.events import dossier_changed
from motcua.reports import facts


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, status: int | None = None, **kwargs) -> None:
    facts.refresh([dossier_id])
