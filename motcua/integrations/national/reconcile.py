"""Daily reconciliation with the national portal (``manage.py reconcile_national``).

For each dossier with a change on the day, ``TraCuuHoSo`` asks what the portal holds and compares it
with the ``DongBoHoSoMC`` item the dossier gives now. A dossier the portal lacks is sent again whole
(created, then its whole history); one it holds differently (a change that did not reach it: an event
lost, a change made behind the adapter's back) is sent again as an update with the actions not yet
sent. The report lists each dossier found missing or different, with the fields that differ.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.integrations.national import mapping, sync
from motcua.integrations.national.client import NationalPortalClient, NationalPortalError

MISSING = "missing"
DIFFERENT = "different"
SAME = "same"
UNREACHABLE = "unreachable"


@dataclass
class Finding:
    code: str
    outcome: str
    fields: list[str] = field(default_factory=list)
    state_after: str = ""


def dossiers_of(day: datetime.date):
    """Submitted dossiers with an action on ``day`` (Vietnam time)."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=mapping.VIETNAM)
    end = start + datetime.timedelta(days=1)
    return (
        Dossier.objects.filter(code__isnull=False)
        .exclude(status=Status.DRAFT)
        .filter(Q(actions__at__gte=start, actions__at__lt=end))
        .distinct()
        .order_by("pk")
    )


def reconcile(day: datetime.date, *, client: NationalPortalClient | None = None) -> list[Finding]:
    client = client or NationalPortalClient.from_settings()
    findings = []
    for dossier in dossiers_of(day):
        code = mapping.code_on_portal(dossier)
        expected = mapping.dossier_item(dossier, portal_code=code)
        try:
            held = client.look_up(code)
        except NationalPortalError:
            findings.append(Finding(dossier.code or "", UNREACHABLE))
            continue
        if not held:
            finding = Finding(dossier.code or "", MISSING)
            reset = {"created_on_portal": False, "payload_hash": "", "last_action_id": 0}
        else:
            differing = sorted(k for k in expected if held[0].get(k) != expected[k])
            if not differing:
                findings.append(Finding(dossier.code or "", SAME))
                continue
            finding = Finding(dossier.code or "", DIFFERENT, differing)
            reset = {"created_on_portal": True, "payload_hash": ""}
        NationalSync.objects.update_or_create(
            dossier_id=dossier.pk,
            defaults={"state": SyncState.PENDING, "updated_at": timezone.now(), **reset},
        )
        finding.state_after = sync.sync(dossier.pk, client=client)
        findings.append(finding)
    return findings
