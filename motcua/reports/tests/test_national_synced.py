"""The national portal holding a dossier counts in the reports (Decision 766, component 1.2 of
configuration v2): the first successful sync publishes ``national_synced``, on which the facts are
refreshed like on any other event."""

from motcua.dossiers import services
from motcua.dossiers.events import relay
from motcua.dossiers.models import OutboxEvent
from motcua.dossiers.tests.factories import submitted
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.reports.models import DayFigures, DossierFacts


def test_the_reports_count_a_dossier_once_the_portal_holds_it(office, national_portal, committed, settings):
    """The first successful sync publishes ``national_synced``; the reports' receiver recounts the
    dossier (Decision 766, 1.2 in configuration v2), and the sync does not send it again."""
    settings.MOTCUA_EVENT_DELIVERY = "outbox"  # as the application runs: the relay delivers the events
    with committed():
        dossier = submitted(office)
        services.receive(dossier, actor=office.reception)
    relay()  # the submission's and the reception's events: the facts, and the sync (an immediate task)
    assert NationalSync.objects.get(dossier=dossier).state == SyncState.SYNCED
    assert list(OutboxEvent.objects.filter(dossier_id=dossier.pk).values_list("action", flat=True)) == [
        "national_synced"
    ]
    DossierFacts.objects.filter(dossier_id=dossier.pk).update(synced_national=False)
    DayFigures.objects.update(synced_national=0)

    relay()  # national_synced: the reports recount the dossier; nothing new goes to the portal

    assert DossierFacts.objects.get(dossier_id=dossier.pk).synced_national
    assert sum(DayFigures.objects.values_list("synced_national", flat=True)) == 1
    assert not OutboxEvent.objects.filter(dossier_id=dossier.pk).exists()
    assert national_portal.dossier(dossier.code)["updates"] == 0
