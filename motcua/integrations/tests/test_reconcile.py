"""The daily reconciliation repairs what the portal lacks or holds differently."""

import io

from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers import events, services
from motcua.dossiers.tests.factories import submitted
from motcua.integrations.national import reconcile
from motcua.integrations.national.mapping import VIETNAM, dossier_item


def _today():
    return timezone.now().astimezone(VIETNAM).date()


def test_a_dossier_changed_behind_the_adapters_back_is_sent_again(office, national_portal, committed):
    with committed():
        dossier = submitted(office)
    with events.muted():  # a change the adapter never heard of
        services.receive(dossier, actor=office.reception)
    dossier.refresh_from_db()
    assert national_portal.dossier(dossier.code)["item"]["TrangThaiHoSo"] == "1"

    (finding,) = reconcile.reconcile(_today())

    assert finding.outcome == reconcile.DIFFERENT and "TrangThaiHoSo" in finding.fields
    assert finding.state_after == "synced"
    held = national_portal.dossier(dossier.code)
    assert held["item"] == dossier_item(dossier)
    assert [s["TrangThai"] for s in held["progress"]] == [
        str(a.status_after) for a in dossier.actions.order_by("id")
    ]


def test_a_dossier_the_portal_lost_is_sent_whole_and_a_synced_one_left_alone(
    office, national_portal, committed
):
    with committed():
        kept = submitted(office)
    with committed():
        lost = submitted(office)
    with committed():
        services.receive(lost, actor=office.reception)
    national_portal.control(reset=True)
    with committed():
        kept2 = submitted(office)  # synced after the portal's loss

    out = io.StringIO()
    call_command("reconcile_national", day=_today().isoformat(), stdout=out)

    assert f"{lost.code}: missing -> synced" in out.getvalue()
    assert f"{kept.code}: missing -> synced" in out.getvalue()
    assert kept2.code not in out.getvalue()
    assert "3 dossier(s) checked, 1 as the portal holds them" in out.getvalue()
    held = national_portal.dossier(lost.code)
    assert [s["TrangThai"] for s in held["progress"]] == [
        str(a.status_after) for a in lost.actions.order_by("id")
    ]
