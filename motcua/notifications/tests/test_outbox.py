"""Messages leave through the dossier event outbox: the relay queues one task per event, the worker
writes the messages and sends each in a task of its own, never in the action's transaction."""

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import events
from motcua.dossiers.models import OutboxEvent
from motcua.dossiers.tests.factories import submitted
from motcua.notifications.constants import Channel, DeliveryStatus, Event
from motcua.notifications.models import Message
from motcua.notifications.tasks import dispatch, send_message


@pytest.fixture
def production_like(settings):
    """The outbox and the database task queue, as outside the tests."""
    settings.MOTCUA_EVENT_DELIVERY = events.OUTBOX
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def work(django_capture_on_commit_callbacks):
    """What django-tasks-db's worker does: take a ready row under a lock and call its task (its
    after-commit work runs as a commit would), until none is left; the task paths it ran."""

    def run() -> list[str]:
        done = []
        while True:
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                row = DBTaskResult.objects.ready().get_locked()
                if row is None:
                    return done
                row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
                done.append(row.task_path)
                row.delete()

    return run


def test_a_submission_queues_its_messages_through_the_relay_and_the_worker_sends_them(
    office, production_like, mailoutbox, work
):
    dossier = submitted(office)
    # the request wrote only the event
    assert OutboxEvent.objects.count() == 1 and DBTaskResult.objects.count() == 0

    assert events.relay() == 1
    assert not OutboxEvent.objects.exists()
    queued = sorted(row.args_kwargs["args"][1] for row in DBTaskResult.objects.all())
    assert queued == [Event.OFFICER_SUBMITTED, Event.SUBMITTED]
    assert {row.task_path for row in DBTaskResult.objects.all()} == {dispatch.module_path}
    assert mail.outbox == [] and not Message.objects.exists()

    ran = work()

    assert ran.count(dispatch.module_path) == 2 and ran.count(send_message.module_path) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [dossier.applicant_email]
    email = Message.objects.get(channel=Channel.EMAIL)
    assert (email.status, email.attempts, email.recipient) == (
        DeliveryStatus.SENT,
        1,
        dossier.applicant_email,
    )
    # in-app: the applicant's inbox line, and one for the officer who receives dossiers
    assert sorted(
        Message.objects.filter(channel=Channel.INAPP).values_list("user__username", flat=True)
    ) == sorted([office.citizen.username, office.reception.username])


def test_the_task_rows_and_the_removal_of_the_event_commit_together(office, production_like):
    submitted(office)

    # the relay's transaction fails after the subscriber queued the tasks
    with (
        mock.patch.object(OutboxEvent.objects, "filter", side_effect=RuntimeError("connection lost")),
        pytest.raises(RuntimeError),
    ):
        events.relay()

    assert DBTaskResult.objects.count() == 0 and OutboxEvent.objects.count() == 1
    events.relay()
    assert DBTaskResult.objects.count() == 2 and OutboxEvent.objects.count() == 0


def test_only_what_concerns_the_applicant_is_emailed(office, production_like, work):
    from motcua.dossiers import services

    dossier = submitted(office)
    services.receive(dossier, actor=office.reception)
    services.forward(dossier, actor=office.specialist)  # internal: no email
    events.relay()
    work()

    emailed = sorted(Message.objects.filter(channel=Channel.EMAIL).values_list("event", flat=True))
    assert emailed == [Event.RECEIVED, Event.SUBMITTED]


def test_without_the_outbox_the_messages_are_written_after_the_commit(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    # the tests' defaults: events after the commit, tasks run at once (ImmediateBackend)
    with django_capture_on_commit_callbacks() as callbacks:
        submitted(office)
    assert mail.outbox == [] and not OutboxEvent.objects.exists() and not Message.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
