"""Sending dossiers to the national portal, with retries; the province's sync rate.

How a change reaches the portal:

1. A dossier event (``dossier_changed``, delivered by the outbox relay) reaches
   ``receivers.on_dossier_changed``, which marks the dossier's ``NationalSync`` row pending and queues
   ``tasks.sync_dossier`` (in the relay's transaction: the task row commits with the event's removal).
2. ``sync`` locks the row (one sync of a dossier at a time: the order of its items is the order of
   its history) and sends what the portal lacks: the ``DongBoHoSoMC`` item when it differs from the
   last one sent (a create the first time, ``isUpdating`` "True" after; a create answered "đã tồn tại"
   is sent again as an update), then each action after ``last_action_id`` as
   ``CapNhatTienDoHoSoMC``, in order. What was accepted is recorded as it goes.
3. A failure keeps the row ``failed`` with its error and the time of the next attempt (waits of
   MOTCUA_NATIONAL_RETRY_MINUTES, the last one repeated: a dossier is never given up), queued with
   ``run_after`` where the task backend can defer, else found by ``sync_due`` (``manage.py
   sync_national``). Any later event tries at once: a sync is idempotent.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.core import audit
from motcua.dossiers import events
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.integrations.national import mapping
from motcua.integrations.national.client import NationalPortalClient, NationalPortalError, configured

logger = logging.getLogger(__name__)


def retry_waits() -> list[datetime.timedelta]:
    minutes = getattr(settings, "MOTCUA_NATIONAL_RETRY_MINUTES", None) or [1, 5, 30, 120, 720]
    return [datetime.timedelta(minutes=int(m)) for m in minutes]


def next_wait(attempts: int) -> datetime.timedelta:
    waits = retry_waits()
    return waits[min(attempts, len(waits)) - 1]


def mark_pending(dossier_id: int) -> bool:
    """A change to send (the receiver, in the relay's transaction); False when the sync is off or the
    dossier has nothing to send yet (a draft)."""
    if not configured():
        return False
    if not Dossier.objects.filter(pk=dossier_id, code__isnull=False).exclude(status=Status.DRAFT).exists():
        return False
    updated = NationalSync.objects.filter(dossier_id=dossier_id).exclude(state=SyncState.PENDING)
    if not updated.update(state=SyncState.PENDING, updated_at=timezone.now()):
        NationalSync.objects.get_or_create(dossier_id=dossier_id, defaults={"state": SyncState.PENDING})
    return True


def _send_item(client: NationalPortalClient, row: NationalSync, item: dict) -> None:
    try:
        client.sync_dossiers([item], updating=row.created_on_portal)
    except NationalPortalError as exc:
        if row.created_on_portal or not exc.already_exists:
            raise
        # The portal holds it already (an earlier answer lost, a dossier submitted there): an update.
        client.sync_dossiers([item], updating=True)
    row.created_on_portal = True


def sync(
    dossier_id: int, *, client: NationalPortalClient | None = None, now: datetime.datetime | None = None
) -> str:
    """Send the dossier's changes not yet sent; its sync state afterwards ("" when it has none)."""
    if not configured() and client is None:
        return ""
    client = client or NationalPortalClient.from_settings()
    now = now or timezone.now()
    with transaction.atomic():
        row = NationalSync.objects.select_for_update().filter(dossier_id=dossier_id).first()
        if row is None:
            return ""
        dossier = (
            Dossier.objects.select_related(
                "procedure_version__procedure",
                "procedure_version__field",
                "applicant",
                "receiving_agency",
                "deciding_agency",
            )
            .prefetch_related("attachments", "payments", "procedure_version__fees")
            .get(pk=dossier_id)
        )
        try:
            item = mapping.dossier_item(dossier)
            digest = mapping.fingerprint(item)
            if digest != row.payload_hash or not row.created_on_portal:
                _send_item(client, row, item)
                row.payload_hash = digest
            actions = list(
                dossier.actions.filter(pk__gt=row.last_action_id)
                .select_related("actor", "agency", "step")
                .prefetch_related("actor__memberships")
                .order_by("id")
            )
            for action in actions:
                client.update_progress([mapping.progress_item(dossier, action)])
                row.last_action_id = action.pk
        except NationalPortalError as exc:
            row.attempts += 1
            row.state = SyncState.FAILED
            row.last_error = str(exc)[:2000]
            row.next_attempt_at = now + next_wait(row.attempts)
            row.save()
            logger.info("national sync of dossier %s failed (attempt %s): %s", dossier_id, row.attempts, exc)
            _schedule(row)
            return row.state
        first = row.synced_at is None
        row.state, row.synced_at, row.attempts = SyncState.SYNCED, now, 0
        row.next_attempt_at, row.last_error = None, ""
        row.save()
        if first:
            audit.record("integrations.national_synced", obj=dossier, summary=dossier.code or "")
            # The portal holds it now: the reports count it (766, transparency).
            events.publish(dossier.pk, events.NATIONAL_SYNCED, dossier.status)
        return row.state


def _schedule(row: NationalSync) -> None:
    from motcua.integrations.tasks import sync_dossier

    if not sync_dossier.get_backend().supports_defer or row.next_attempt_at is None:
        return
    when, pk = row.next_attempt_at, row.dossier_id
    transaction.on_commit(lambda: sync_dossier.using(run_after=when).enqueue(pk))


def sync_due(*, now: datetime.datetime | None = None, limit: int = 500, force: bool = False) -> int:
    """Sync the pending dossiers and the failed ones whose next attempt is due (all failed ones with
    ``force``); how many were tried. ``manage.py sync_national`` runs it."""
    now = now or timezone.now()
    due = Q(state=SyncState.PENDING) | Q(state=SyncState.FAILED)
    if not force:
        due = Q(state=SyncState.PENDING) | Q(state=SyncState.FAILED, next_attempt_at__lte=now)
    ids = list(
        NationalSync.objects.filter(due).order_by("dossier_id").values_list("dossier_id", flat=True)[:limit]
    )
    for pk in ids:
        sync(pk, now=now)
    return len(ids)


def state_of(dossier: Dossier) -> dict:
    """``national_sync`` of the API's dossier answer: ``{state, synced_at}`` (state None: not synced)."""
    row = NationalSync.objects.filter(dossier_id=dossier.pk).first()
    if row is None:
        return {"state": None, "synced_at": None}
    return {"state": row.state, "synced_at": row.synced_at}


def sync_rate(
    dossiers: QuerySet[Dossier] | None = None,
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> dict:
    """Decision 766, transparency: dossiers synced to the national portal ÷ dossiers received (those
    with a code, received in the period by ``submitted_at``). ``rate`` is None when none were received."""
    rows = (dossiers if dossiers is not None else Dossier.objects.all()).filter(code__isnull=False)
    rows = rows.exclude(status=Status.DRAFT)
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(submitted_at__lt=until)
    counts = rows.aggregate(
        received=Count("pk"),
        synced=Count("pk", filter=Q(national_sync__state=SyncState.SYNCED)),
    )
    received, synced = counts["received"], counts["synced"]
    return {"received": received, "synced": synced, "rate": (synced / received) if received else None}
