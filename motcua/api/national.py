"""GET /api/national/dossiers/{ref}: a dossier as the national public-service portal receives it (the
``DongBoHoSoMC`` item and a ``CapNhatTienDoHoSoMC`` item per action, motcua.integrations.national.
mapping) with its sync state: for a system that pulls from the province or checks what was sent (the
national portal's adapter, a reconciliation tool). API clients need ``national.sync`` and see the
dossiers of their agencies; officers see their agencies'. A read of personal data: logged."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.accounts import access_log
from motcua.accounts.constants import AccountKind, ClientScope
from motcua.api.auth import BearerToken, client_of
from motcua.api.dossiers import load_dossier
from motcua.api.schemas import ErrorOut, Message
from motcua.integrations import selectors as integration_selectors
from motcua.integrations.national import mapping

router = Router(tags=["national portal"])


class NationalSyncOut(Schema):
    state: str | None = Field(description="pending, synced, failed; None when the sync is off.")
    synced_at: Any = None


class NationalDossierOut(Schema):
    DongBoHoSoMC: dict[str, Any] = Field(description="The dossier item, as sent to the national portal.")
    CapNhatTienDoHoSoMC: list[dict[str, Any]] = Field(description="One progress item per action, in order.")
    national_sync: NationalSyncOut


@router.get(
    "/dossiers/{ref}",
    response={200: NationalDossierOut, 401: Message, 403: ErrorOut, 404: Message},
    auth=BearerToken(ClientScope.NATIONAL_SYNC),
)
def national_dossier(request: HttpRequest, ref: str):
    """Scope ``national.sync`` for API clients; officers of the dossier's agencies. ``ref``: the code."""
    if client_of(request) is None and request.auth.kind != AccountKind.STAFF:
        return Status(403, {"detail": _("Chỉ cán bộ được xem hồ sơ ở dạng đồng bộ."), "errors": {}})
    dossier = load_dossier(request, ref, purpose="api:national_dossier")
    actions = list(
        dossier.actions.select_related("actor", "agency", "step").prefetch_related("actor__memberships")
    )
    answer = {
        "DongBoHoSoMC": mapping.dossier_item(dossier),
        "CapNhatTienDoHoSoMC": [
            mapping.progress_item(dossier, a) for a in sorted(actions, key=lambda a: a.pk)
        ],
        "national_sync": integration_selectors.state_of(dossier),
    }
    access_log.record_read(request, purpose="api:national_dossier", dossiers=[dossier])
    return answer
