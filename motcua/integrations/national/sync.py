"""Sending dossiers to the national portal, with retries; the province's sync rate.

How a change reaches the portal:

1. A dossier event (``dossier_changed``, delivered by the outbox relay) reaches
   ``receivers.on_dossier_changed``, which marks the dossier's ``NationalSync`` row pending and queues
   ``tasks.sync_dossier`` (in the relay's transaction: the task row commits with the event's removal).
2. ``sync`` claims the row in a short transaction (one sync of a dossier at a time, so the order of
   its items is the order of its history; the claim is a token with a lease, not a lock held during
   the call), reads what the portal lacks and releases the lock; then, outside any transaction, sends
   the ``DongBoHoSoMC`` item when it differs from the last one sent (a create the first time,
   ``isUpdating`` "True" after; a create answered "đã tồn tại" is sent again as an update), then
   each action after ``last_action_id`` as ``CapNhatTienDoHoSoMC``, in order; then records in a
   second short transaction what was accepted and releases the claim. A change marked pending during
   the call (``generation``) is sent by the same sync in another round.
3. A failure keeps the row ``failed`` with its error and the time of the next attempt (waits of
   MOTCUA_NATIONAL_RETRY_MINUTES, the last one repeated: a dossier is never given up), queued with
   ``run_after`` where the task backend can defer, else found by ``sync_due`` (``manage.py
   sync_national``). Any later event tries at once: a sync is idempotent.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
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
    dossier has nothing to send yet (a draft). Counts the change (``generation``): a sync under way
    sees it when it records its call and sends it next."""
    if not configured():
        return False
    if not Dossier.objects.filter(pk=dossier_id, code__isnull=False).exclude(status=Status.DRAFT).exists():
        return False
    updated = NationalSync.objects.filter(dossier_id=dossier_id).update(
        state=SyncState.PENDING, generation=F("generation") + 1, updated_at=timezone.now()
    )
    if not updated:
        NationalSync.objects.get_or_create(
            dossier_id=dossier_id, defaults={"state": SyncState.PENDING, "generation": 1}
        )
    return True


def claim_lease() -> datetime.timedelta:
    """How long a sync may hold its claim on a dossier's row while it calls the portal: past it, the
    claimer is taken for dead and another sync may claim the row."""
    return datetime.timedelta(seconds=float(getattr(settings, "MOTCUA_NATIONAL_CLAIM_SECONDS", 300)))


@dataclass
class _Claim:
    """What one round of a sync sends, read under the row's lock and sent after it is released."""

    dossier_id: int
    token: str
    generation: int
    created_on_portal: bool
    item: dict[str, Any]
    digest: str
    send_item: bool
    progress: list[tuple[int, dict[str, str]]]
    first: bool


@dataclass
class _Outcome:
    created_on_portal: bool
    payload_hash: str | None = None
    last_action_id: int | None = None
    error: str = ""


def _claim(dossier_id: int, now: datetime.datetime) -> _Claim | None:
    """In a short transaction: claim the row (None when it has none, or another sync holds a live
    claim) and read what the portal lacks."""
    with transaction.atomic():
        row = NationalSync.objects.select_for_update().filter(dossier_id=dossier_id).first()
        if row is None or (row.claim_token and row.claimed_until is not None and row.claimed_until > now):
            return None
        row.claim_token = secrets.token_hex(16)
        row.claimed_until = now + claim_lease()
        row.save(update_fields=["claim_token", "claimed_until"])
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
        portal_code = mapping.code_on_portal(dossier)
        item = mapping.dossier_item(dossier, portal_code=portal_code)
        digest = mapping.fingerprint(item)
        actions = (
            dossier.actions.filter(pk__gt=row.last_action_id)
            .select_related("actor", "agency", "step")
            .prefetch_related("actor__memberships")
            .order_by("id")
        )
        return _Claim(
            dossier_id=dossier_id,
            token=row.claim_token,
            generation=row.generation,
            created_on_portal=row.created_on_portal,
            item=item,
            digest=digest,
            send_item=digest != row.payload_hash or not row.created_on_portal,
            progress=[(a.pk, mapping.progress_item(dossier, a, portal_code=portal_code)) for a in actions],
            first=row.synced_at is None,
        )


def _send_item(client: NationalPortalClient, created_on_portal: bool, item: dict) -> None:
    try:
        client.sync_dossiers([item], updating=created_on_portal)
    except NationalPortalError as exc:
        if created_on_portal or not exc.already_exists:
            raise
        # The portal holds it already (an earlier answer lost, a dossier submitted there): an update.
        client.sync_dossiers([item], updating=True)


def _send(client: NationalPortalClient, claim: _Claim) -> _Outcome:
    """Call the portal, outside any transaction; what it accepted, up to the first failure."""
    outcome = _Outcome(created_on_portal=claim.created_on_portal)
    try:
        if claim.send_item:
            _send_item(client, claim.created_on_portal, claim.item)
            outcome.created_on_portal, outcome.payload_hash = True, claim.digest
        for action_id, item in claim.progress:
            client.update_progress([item])
            outcome.last_action_id = action_id
    except NationalPortalError as exc:
        outcome.error = str(exc)[:2000] or exc.__class__.__name__
    return outcome


def _record(claim: _Claim, outcome: _Outcome, now: datetime.datetime) -> tuple[str, bool]:
    """In a short transaction: record what the portal accepted and release the claim; (the state,
    whether a change arrived during the call and must be sent now)."""
    with transaction.atomic():
        row = NationalSync.objects.select_for_update().get(dossier_id=claim.dossier_id)
        if row.claim_token != claim.token:
            # The lease ran out and another sync took the row: it sends (again) what this call sent.
            logger.warning("national sync of dossier %s outlived its claim", claim.dossier_id)
            return row.state, False
        row.claim_token, row.claimed_until = "", None
        row.created_on_portal = outcome.created_on_portal
        if outcome.payload_hash is not None:
            row.payload_hash = outcome.payload_hash
        if outcome.last_action_id is not None:
            row.last_action_id = max(row.last_action_id, outcome.last_action_id)
        if outcome.error:
            row.attempts += 1
            row.state = SyncState.FAILED
            row.last_error = outcome.error
            row.next_attempt_at = now + next_wait(row.attempts)
            row.save()
            logger.info(
                "national sync of dossier %s failed (attempt %s): %s",
                claim.dossier_id,
                row.attempts,
                outcome.error,
            )
            _schedule(row)
            return row.state, False
        if row.generation != claim.generation:
            row.save()  # a change came in during the call: the caller sends it now
            return row.state, True
        row.state, row.synced_at, row.attempts = SyncState.SYNCED, now, 0
        row.next_attempt_at, row.last_error = None, ""
        row.save()
        if claim.first:
            audit.record(
                "integrations.national_synced",
                obj=Dossier(pk=claim.dossier_id),
                summary=str(claim.item.get("MaHoSo", "")),
            )
            # The portal holds it now: the reports count it (Decision 766, transparency).
            status = Dossier.objects.filter(pk=claim.dossier_id).values_list("status", flat=True).first()
            events.publish(claim.dossier_id, events.NATIONAL_SYNCED, status or 0)
        return row.state, False


# A dossier changed at every call would keep one sync sending forever; the next event takes over.
MAX_ROUNDS = 10


def sync(
    dossier_id: int, *, client: NationalPortalClient | None = None, now: datetime.datetime | None = None
) -> str:
    """Send the dossier's changes not yet sent; its sync state afterwards ("" when it has none).

    Claim, call, record (no row lock while the portal answers); again while changes arrived during
    the call. A sync that finds the row claimed by another leaves the work to it (it sees the change)."""
    if not configured() and client is None:
        return ""
    client = client or NationalPortalClient.from_settings()
    state = ""
    for _round in range(MAX_ROUNDS):
        at = now or timezone.now()
        claim = _claim(dossier_id, at)
        if claim is None:
            row = NationalSync.objects.filter(dossier_id=dossier_id).values_list("state", flat=True).first()
            return state or row or ""
        outcome = _send(client, claim)
        state, again = _record(claim, outcome, now or timezone.now())
        if not again:
            return state
    return state


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
