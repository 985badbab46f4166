"""Emails leave through the dossier event outbox: the relay queues the task, the worker sends it."""

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import events
from motcua.dossiers.models import OutboxEvent
from motcua.dossiers.tests.factories import submitted
from motcua.notifications.tasks import notify_applicant


@pytest.fixture
def production_like(settings):
    """The outbox and the database task queue, as outside the tests."""
    settings.MOTCUA_EVENT_DELIVERY = events.OUTBOX
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_submission_queues_its_email_through_the_relay_and_the_worker_sends_it(
    office, production_like, mailoutbox
):
    dossier = submitted(office)
    # the request wrote only the event
    assert OutboxEvent.objects.count() == 1 and DBTaskResult.objects.count() == 0

    assert events.relay() == 1
    task = DBTaskResult.objects.get()
    assert not OutboxEvent.objects.exists()
    assert task.task_path == notify_applicant.module_path
    assert task.args_kwargs == {"args": [dossier.pk, "submit"], "kwargs": {}}
    assert mail.outbox == []

    # what django-tasks-db's worker does: take a ready row under a lock, and call its task
    with transaction.atomic():
        row = DBTaskResult.objects.ready().get_locked()
        assert row is not None and row.task_path == notify_applicant.module_path
        assert row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) is True
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [dossier.applicant_email]


def test_the_task_row_and_the_removal_of_the_event_commit_together(office, production_like):
    submitted(office)

    # the relay's transaction fails after the subscriber queued the task
    with (
        mock.patch.object(OutboxEvent.objects, "filter", side_effect=RuntimeError("connection lost")),
        pytest.raises(RuntimeError),
    ):
        events.relay()

    assert DBTaskResult.objects.count() == 0 and OutboxEvent.objects.count() == 1
    events.relay()
    assert DBTaskResult.objects.count() == 1 and OutboxEvent.objects.count() == 0


def test_actions_that_concern_the_applicant_only_are_emailed(office, production_like):
    from motcua.dossiers import services

    dossier = submitted(office)
    services.receive(dossier, actor=office.reception)
    services.forward(dossier, actor=office.specialist)  # internal: no email
    events.relay()

    queued = sorted(row.args_kwargs["args"][1] for row in DBTaskResult.objects.all())
    assert queued == ["receive", "submit"]


def test_without_the_outbox_the_email_is_queued_after_the_commit(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    # the tests' defaults: events after the commit, tasks run at once (ImmediateBackend)
    with django_capture_on_commit_callbacks() as callbacks:
        submitted(office)
    assert mail.outbox == [] and not OutboxEvent.objects.exists()

    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
