"""Dossier events: written to the outbox in the change's transaction, delivered by the relay."""

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.utils import timezone

from motcua.core.models import AuditEntry
from motcua.dossiers import events, services
from motcua.dossiers.models import OutboxEvent
from motcua.dossiers.tests.factories import GOOD_FORM, submitted


@pytest.fixture
def outbox(settings):
    settings.MOTCUA_EVENT_DELIVERY = events.OUTBOX


@pytest.fixture
def heard():
    """What the subscribers of dossier_changed were sent, in order."""
    calls = []

    def listener(sender, **kwargs):
        calls.append((kwargs["dossier_id"], kwargs["action"], kwargs["status"]))

    events.dossier_changed.connect(listener, dispatch_uid="test-heard")
    yield calls
    events.dossier_changed.disconnect(dispatch_uid="test-heard")


def test_the_outbox_row_commits_with_the_change_and_nothing_is_sent_before_the_relay(office, outbox, heard):
    dossier = submitted(office)

    rows = list(OutboxEvent.objects.values_list("dossier_id", "action", "status"))
    # the draft saves are not events; the submission is
    assert rows == [(dossier.pk, "submit", 1)]
    assert heard == []

    assert events.relay() == 1
    assert heard == [(dossier.pk, "submit", 1)]
    assert not OutboxEvent.objects.exists()
    assert events.relay() == 0 and len(heard) == 1  # delivered once


def test_a_change_that_rolls_back_leaves_no_event(office, outbox, heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        submitted(office)
        assert OutboxEvent.objects.count() == 1
        raise RuntimeError("the request failed after the submission")

    assert not OutboxEvent.objects.exists()
    assert events.relay() == 0 and heard == []


def test_the_one_statement_submission_writes_its_event_too(office, outbox, heard):
    office.version.documents.update(required=False)

    dossier = services.submit_new(
        version=office.version, applicant=office.citizen, form_data=GOOD_FORM, declaration=True
    )

    event = OutboxEvent.objects.get()
    assert (event.dossier_id, event.action, event.status, event.data, event.attempts) == (
        dossier.pk,
        "submit",
        1,
        {},
        0,
    )
    assert AuditEntry.objects.filter(action="dossier.submit", object_id=str(dossier.pk)).count() == 1
    events.relay()
    assert heard == [(dossier.pk, "submit", 1)]


def test_events_are_relayed_in_the_order_they_were_written_a_batch_at_a_time(office, outbox, heard):
    first = submitted(office)
    services.receive(first, actor=office.reception)
    second = submitted(office)

    assert events.relay(batch=2) == 2
    assert heard == [(first.pk, "submit", 1), (first.pk, "receive", 4)]
    assert events.relay(batch=2) == 1
    assert heard[2:] == [(second.pk, "submit", 1)]


def test_a_failing_subscriber_keeps_its_event_for_later_and_the_others_go_on(office, outbox, heard):
    first = submitted(office)
    second = submitted(office)

    def failing(sender, dossier_id, **kwargs):
        AuditEntry.objects.create(action="test.partial_write", object_type="test", object_id="1")
        if dossier_id == first.pk:
            raise ConnectionError("SMTP server unreachable")

    events.dossier_changed.connect(failing, dispatch_uid="test-failing")
    try:
        before = timezone.now()
        assert events.relay() == 2
    finally:
        events.dossier_changed.disconnect(dispatch_uid="test-failing")

    kept = OutboxEvent.objects.get()
    assert kept.dossier_id == first.pk
    assert kept.attempts == 1
    assert kept.last_error == "ConnectionError: SMTP server unreachable"
    assert kept.available_at >= before + datetime.timedelta(seconds=2)
    # the failing delivery's own write was undone, the successful one's kept
    assert AuditEntry.objects.filter(action="test.partial_write").count() == 1
    assert (second.pk, "submit", 1) in heard
    # not due yet: the relay leaves it
    assert events.relay() == 0

    OutboxEvent.objects.update(available_at=timezone.now())
    assert events.relay() == 1
    assert not OutboxEvent.objects.exists()


def test_an_event_that_failed_too_often_is_left_for_an_operator(office, outbox, heard):
    submitted(office)
    OutboxEvent.objects.update(attempts=events.MAX_ATTEMPTS, last_error="SMTP")

    assert events.relay() == 0
    assert heard == [] and OutboxEvent.objects.count() == 1


def test_without_the_outbox_the_signal_is_sent_right_after_the_commit(
    office, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = submitted(office)
    assert heard == [] and not OutboxEvent.objects.exists()

    for callback in callbacks:
        callback()
    assert heard == [(dossier.pk, "submit", 1)]


def test_the_relay_command_delivers_what_is_due_and_refuses_without_the_outbox(
    office, outbox, heard, settings, capsys
):
    for _ in range(3):
        submitted(office)

    call_command("relay_events", "--once", "--batch", "2")

    assert len(heard) == 3 and not OutboxEvent.objects.exists()
    assert "3 events taken." in capsys.readouterr().out
    settings.MOTCUA_EVENT_DELIVERY = events.ON_COMMIT
    with pytest.raises(CommandError, match="MOTCUA_EVENT_DELIVERY"):
        call_command("relay_events", "--once")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_relays_never_deliver_the_same_event(office, outbox, heard):
    first = submitted(office)
    second = submitted(office)
    locked = threading.Event()
    release = threading.Event()

    def other_relay():
        # another relay in the middle of delivering the first event: it holds that row's lock
        try:
            with transaction.atomic():
                row = OutboxEvent.objects.select_for_update().get(dossier_id=first.pk)
                locked.set()
                release.wait(timeout=60)
                row.delete()
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_relay)
    thread.start()
    try:
        assert locked.wait(timeout=60)
        assert events.relay() == 1  # skips the locked row instead of waiting for it
    finally:
        release.set()
        thread.join()

    assert heard == [(second.pk, "submit", 1)]
    assert not OutboxEvent.objects.exists()


def test_an_operator_sees_the_stuck_events_and_retries_them(office, outbox, admin_client):
    dossier = submitted(office)
    OutboxEvent.objects.update(
        attempts=events.MAX_ATTEMPTS, last_error="SMTPServerDisconnected: gone", available_at=timezone.now()
    )

    page = admin_client.get("/quan-tri/dossiers/outboxevent/")
    assert page.status_code == 200
    assert "SMTPServerDisconnected: gone" in page.content.decode()

    event = OutboxEvent.objects.get()
    answer = admin_client.post(
        "/quan-tri/dossiers/outboxevent/", {"action": "retry_now", "_selected_action": [event.pk]}
    )
    assert answer.status_code == 302
    event.refresh_from_db()
    assert event.attempts == 0 and event.dossier_id == dossier.pk
    assert AuditEntry.objects.filter(action="outbox.retry").exists()
    assert events.relay() == 1


def test_the_relay_loop_survives_a_database_error_and_delivers_afterwards(office, outbox, heard, monkeypatch):
    from django.db import OperationalError

    dossier = submitted(office)
    real_relay, calls = events.relay, []

    def flaky(batch):
        calls.append(batch)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_relay(batch)

    monkeypatch.setattr(events, "relay", flaky)
    monkeypatch.setattr(events.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(events.connection, "close", lambda: None)  # the test's transaction stays open

    events.relay_forever(batch=10, running=lambda: len(calls) < 3)

    assert len(calls) == 3
    assert heard == [(dossier.pk, "submit", 1)] and not OutboxEvent.objects.exists()


def test_only_an_operator_who_may_change_events_may_retry_them(office, outbox, client):
    from django.contrib.auth.models import Permission

    from motcua.accounts.tests.factories import StaffFactory

    submitted(office)
    OutboxEvent.objects.update(attempts=events.MAX_ATTEMPTS)
    event = OutboxEvent.objects.get()
    viewer = StaffFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outboxevent"))
    client.force_login(viewer)

    assert client.get("/quan-tri/dossiers/outboxevent/").status_code == 200
    client.post("/quan-tri/dossiers/outboxevent/", {"action": "retry_now", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.attempts == events.MAX_ATTEMPTS  # not for someone who may only look

    viewer.user_permissions.add(Permission.objects.get(codename="change_outboxevent"))
    client.post("/quan-tri/dossiers/outboxevent/", {"action": "retry_now", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.attempts == 0
