"""The sync calls the portal outside any transaction (no row lock held while the portal answers), one
sync of a dossier at a time, and a change made during a call is sent by the same sync."""

import threading

import pytest
from django.db import connection, transaction

from motcua.dossiers import events, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_office, submitted
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.integrations.national import sync
from motcua.integrations.national.client import NationalPortalClient


class Watching(NationalPortalClient):
    """The portal's adapter, which runs ``during`` at each call and notes how deep in transactions the
    caller was."""

    def __init__(self, base: NationalPortalClient, during=None):
        super().__init__(url=base.url, username=base.username, password=base.password, madonvi=base.madonvi)
        self.during = during
        self.depths: list[int] = []
        self.services: list[str] = []

    def call(self, service, **fields):
        self.depths.append(len(connection.atomic_blocks))
        self.services.append(service)
        if self.during is not None:
            during, self.during = self.during, None
            during()
        return super().call(service, **fields)


def test_the_portal_is_called_outside_the_transactions_of_the_sync(office, national_portal, committed):
    with events.muted():
        dossier = submitted(office)
    sync.mark_pending(dossier.pk)
    client = Watching(NationalPortalClient.from_settings())
    depth = len(connection.atomic_blocks)  # the test's own transaction

    assert sync.sync(dossier.pk, client=client) == SyncState.SYNCED

    assert client.services[:2] == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]
    assert client.depths and set(client.depths) == {depth}


def test_a_change_during_the_call_is_sent_by_the_same_sync_and_a_second_sync_waits_its_turn(
    office, national_portal
):
    with events.muted():
        dossier = submitted(office)
    sync.mark_pending(dossier.pk)
    base = NationalPortalClient.from_settings()
    second = Watching(base)

    def meanwhile():
        with events.muted():
            services.receive(Dossier.objects.get(pk=dossier.pk), actor=office.reception)
        sync.mark_pending(dossier.pk)  # what the relay does with the event
        # Another sync (the event's task) finds the row claimed and leaves the work to the first.
        assert sync.sync(dossier.pk, client=second) == SyncState.PENDING
        assert second.services == []

    first = Watching(base, during=meanwhile)

    assert sync.sync(dossier.pk, client=first) == SyncState.SYNCED

    dossier.refresh_from_db()
    held = national_portal.dossier(dossier.code)
    assert held["item"]["TrangThaiHoSo"] == str(dossier.status)
    assert [s["TrangThai"] for s in held["progress"]] == [
        str(a.status_after) for a in dossier.actions.order_by("id")
    ]
    row = NationalSync.objects.get(dossier=dossier)
    assert row.claim_token == "" and row.claimed_until is None


def test_a_claim_left_by_a_dead_sync_is_taken_after_its_lease(office, national_portal, settings):
    import datetime

    from django.utils import timezone

    with events.muted():
        dossier = submitted(office)
    sync.mark_pending(dossier.pk)
    NationalSync.objects.filter(dossier=dossier).update(
        claim_token="dead", claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )

    assert sync.sync(dossier.pk) == SyncState.PENDING  # claimed: left alone
    assert sync.sync(dossier.pk, now=timezone.now() + datetime.timedelta(minutes=6)) == SyncState.SYNCED


@pytest.mark.django_db(transaction=True)
def test_no_row_lock_is_held_while_the_portal_answers(national_portal, tmp_path, settings):
    """On PostgreSQL: during the portal's call another connection locks the dossier's and its sync
    row at once (NOWAIT)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    office = make_office()
    with events.muted():
        dossier = submitted(office)
    sync.mark_pending(dossier.pk)
    locked: list[str] = []

    def lock_from_elsewhere():
        def run():
            try:
                with transaction.atomic():
                    NationalSync.objects.select_for_update(nowait=True).get(dossier_id=dossier.pk)
                    Dossier.objects.select_for_update(nowait=True).get(pk=dossier.pk)
                    locked.append("both")
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()

    client = Watching(NationalPortalClient.from_settings(), during=lock_from_elsewhere)

    assert sync.sync(dossier.pk, client=client) == SyncState.SYNCED
    assert locked == ["both"]
