"""Reads of the integrations app for the faces and the reports."""

from django.db.models import Q, QuerySet

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.rules import is_province_admin
from motcua.dossiers.models import Dossier
from motcua.integrations.constants import SyncState
from motcua.integrations.models import InboundDossier, NationalSync
from motcua.integrations.national.client import configured
from motcua.integrations.national.sync import state_of, sync_rate
from motcua.integrations.rules import INBOUND_ROLES

__all__ = [
    "dossier_code_for",
    "inbound_of",
    "inbound_rows",
    "national_sync_of",
    "state_of",
    "state_of_new",
    "sync_rate",
]


def national_sync_of(dossier: Dossier) -> NationalSync | None:
    """The dossier's sync with the national portal, for the staff page (None: not synced)."""
    return NationalSync.objects.filter(dossier_id=dossier.pk).first()


def state_of_new() -> dict:
    """``national_sync`` of a dossier just submitted, without a query: pending when the sync is on."""
    return {"state": SyncState.PENDING.value if configured() else None, "synced_at": None}


def inbound_of(dossier: Dossier) -> InboundDossier | None:
    """The dossier's row when it was submitted on the national portal (its channel, its national code)."""
    return InboundDossier.objects.filter(dossier_id=dossier.pk).first()


def dossier_code_for(national_code: str) -> str | None:
    """Our code of the dossier the national portal knows as ``national_code`` (None: none taken)."""
    return (
        InboundDossier.objects.filter(national_code=national_code.strip(), dossier__isnull=False)
        .values_list("dossier__code", flat=True)
        .first()
    )


def inbound_rows(user: User, *, state: str = "", code: str = "") -> QuerySet[InboundDossier]:
    """The rows ``user`` may see (the rule ``integrations.view_inbound`` as a query), failed first,
    newest first; ``state`` and a national or province ``code`` narrow them."""
    rows = InboundDossier.objects.select_related("dossier", "dossier__receiving_agency")
    if not is_province_admin(user):
        mine = list(user.memberships.filter(role__in=INBOUND_ROLES).values_list("agency__code", flat=True))
        rows = rows.filter(
            Q(dossier__receiving_agency__code__in=mine)
            | Q(dossier__isnull=True, agency_code__in=mine)
            | (Q(dossier__isnull=True) & ~Q(agency_code__in=Agency.objects.values("code")))
        )
    if state:
        rows = rows.filter(state=state)
    if code.strip():
        rows = rows.filter(
            Q(national_code__startswith=code.strip()) | Q(dossier__code__startswith=code.strip())
        )
    return rows.order_by("state", "-first_seen_at", "-id")
