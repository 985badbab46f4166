"""Dossiers reach the stand-in national portal over HTTP: every status change in order, a create the
portal already holds sent again as an update, nothing lost while the portal is down; the API and the
sync rate show where each dossier stands."""

import datetime

from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import PASSWORD
from motcua.dossiers import services
from motcua.dossiers.events import relay
from motcua.dossiers.tests.factories import submitted
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.integrations.national import sync
from motcua.integrations.national.mapping import dossier_item


def client_for(user) -> Client:
    """A client with the bearer token ``user`` gets from POST /api/auth/token."""
    answer = Client().post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    return Client(headers={"Authorization": f"Bearer {answer.json()['access_token']}"})


def _process(office, dossier, committed):
    with committed():
        services.receive(dossier, actor=office.reception)
    with committed():
        services.forward(dossier, actor=office.specialist, note="Hồ sơ hợp lệ")
    with committed():
        services.attach_result(dossier, actor=office.leader)
    with committed():
        services.approve(dossier, actor=office.leader)
    with committed():
        services.return_result(dossier, actor=office.reception)
    dossier.refresh_from_db()


def test_a_dossier_processed_here_appears_on_the_portal_with_every_status_change_in_order(
    office, national_portal, committed
):
    with committed():
        dossier = submitted(office)
    _process(office, dossier, committed)

    held = national_portal.dossier(dossier.code)

    assert held["item"] == dossier_item(dossier)
    assert held["item"]["TrangThaiHoSo"] == "10"
    statuses = [step["TrangThai"] for step in held["progress"]]
    assert statuses == [str(a.status_after) for a in dossier.actions.order_by("id")]
    assert statuses[0] == "1" and statuses[-2:] == ["9", "10"]
    row = NationalSync.objects.get(dossier=dossier)
    assert row.state == SyncState.SYNCED and row.synced_at is not None and row.attempts == 0
    assert dossier.code in national_portal.page()


def test_a_create_the_portal_already_holds_is_sent_again_as_an_update(office, national_portal, committed):
    with committed():
        dossier = submitted(office)
    # The portal's answer to the create was lost: we do not know it holds the dossier.
    NationalSync.objects.filter(dossier=dossier).update(created_on_portal=False, payload_hash="")

    assert sync.sync(dossier.pk) == SyncState.SYNCED

    held = national_portal.dossier(dossier.code)
    assert held["updates"] == 1  # created once, then updated (isUpdating "True")
    assert NationalSync.objects.get(dossier=dossier).created_on_portal


def test_with_the_portal_down_nothing_is_lost_and_everything_arrives_after(
    office, national_portal, committed
):
    with committed():
        dossier = submitted(office)
    national_portal.stop()
    try:
        _process(office, dossier, committed)
        row = NationalSync.objects.get(dossier=dossier)
        assert row.state == SyncState.FAILED and "unreachable" in row.last_error
        assert row.attempts == 5 and row.next_attempt_at > timezone.now()
        # Not due yet: the back-off holds the next attempt.
        assert sync.sync_due() == 0
    finally:
        national_portal.start()

    later = timezone.now() + datetime.timedelta(days=1)
    assert sync.sync_due(now=later) == 1

    row = NationalSync.objects.get(dossier=dossier)
    assert row.state == SyncState.SYNCED and row.attempts == 0 and row.last_error == ""
    held = national_portal.dossier(dossier.code)
    assert held["item"]["TrangThaiHoSo"] == "10"
    assert [s["TrangThai"] for s in held["progress"]] == [
        str(a.status_after) for a in dossier.actions.order_by("id")
    ]


def test_a_refusal_of_the_portal_keeps_the_dossier_failed_with_the_message(
    office, national_portal, committed
):
    national_portal.control(fail_next=1)

    with committed():
        dossier = submitted(office)

    row = NationalSync.objects.get(dossier=dossier)
    assert row.state == SyncState.FAILED and "Lỗi hệ thống" in row.last_error and row.attempts == 1
    assert sync.sync_due(force=True) == 1
    assert NationalSync.objects.get(dossier=dossier).state == SyncState.SYNCED


def test_backoff_grows_and_stays_at_the_last_wait(settings):
    settings.MOTCUA_NATIONAL_RETRY_MINUTES = [1, 5, 30]

    waits = [sync.next_wait(n) for n in range(1, 6)]

    assert waits == [datetime.timedelta(minutes=m) for m in (1, 5, 30, 30, 30)]


def test_without_the_portal_address_nothing_is_queued(office, settings, committed):
    settings.MOTCUA_NATIONAL_PORTAL_URL = ""

    with committed():
        submitted(office)

    assert not NationalSync.objects.exists()


def test_the_api_tells_the_sync_state(office, national_portal, committed):
    with committed():
        dossier = submitted(office)

    answer = client_for(office.citizen).get(f"/api/dossiers/{dossier.code}").json()

    assert answer["national_sync"]["state"] == "synced"
    assert answer["national_sync"]["synced_at"] is not None


def test_the_sync_rate_is_synced_over_received(office, national_portal, committed):
    with committed():
        first = submitted(office)
    national_portal.control(fail_next=1)
    with committed():
        submitted(office)
    with committed():
        services.start_dossier(version=office.version, applicant=office.citizen, another=True)  # a draft

    rate = sync.sync_rate()

    assert rate == {"received": 2, "synced": 1, "rate": 0.5}
    assert NationalSync.objects.get(dossier=first).state == SyncState.SYNCED


def test_the_staff_page_shows_the_sync_state(office, national_portal, committed):
    with committed():
        dossier = submitted(office)
    national_portal.control(fail_next=1)
    with committed():
        services.receive(dossier, actor=office.reception)
    client = Client()
    client.force_login(office.reception)

    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in page
    assert "Đồng bộ không thành công, sẽ thử lại" in page and "Thử lại lúc" in page
    sync.sync_due(force=True)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Đã đồng bộ" in page and "lần gần nhất lúc" in page


def test_through_the_outbox_the_relay_queues_the_sync(office, national_portal, settings, committed):
    settings.MOTCUA_EVENT_DELIVERY = "outbox"
    with committed():
        dossier = submitted(office)
    assert not NationalSync.objects.exists()  # the event waits in the outbox

    relay(batch=100)

    assert NationalSync.objects.get(dossier=dossier).state == SyncState.SYNCED
    assert national_portal.dossier(dossier.code)["item"]["TrangThaiHoSo"] == "1"
