"""What the payments app does when a dossier changes (motcua.dossiers.events.dossier_changed).

Delivered by the outbox relay (in its transaction), or in-process after the commit (tests). The handler
takes the dossier's row lock and is idempotent: ``sync_ledger`` writes only what the ledger lacks, so an
event delivered twice, or one arriving after a service already wrote the lines, changes nothing.
"""

from django.dispatch import receiver

from motcua.dossiers.constants import ActionType
from motcua.dossiers.events import dossier_changed
from motcua.payments import services
from motcua.payments.constants import REFUND_STATUSES

# A payment request is charged at once (the pay button shows the lines); a payment recorded without
# this app (the API's record_payment) joins the ledger; a refused or withdrawn dossier is refunded.
SYNC_ACTIONS = {ActionType.REQUEST_PAYMENT.value, ActionType.RECORD_PAYMENT.value}


@receiver(dossier_changed)
def on_dossier_changed(sender, dossier_id: int, action: str, status: int | None = None, **kwargs) -> None:
    if action in SYNC_ACTIONS or (status is not None and status in {s.value for s in REFUND_STATUSES}):
        services.sync(dossier_id)
