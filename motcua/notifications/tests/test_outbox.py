"""With the database task queue, the email task is written in the dossier's own transaction."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.tests.factories import submitted
from motcua.notifications.tasks import notify_applicant

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def test_the_task_row_is_written_before_the_commit_and_runs_after_it(
    office, database_queue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier = submitted(office)
        # still inside the transaction: the row is there, nothing was sent
        task = DBTaskResult.objects.get()
        assert mail.outbox == []

    assert callbacks  # the after-commit subscribers still ran, and queued nothing more
    assert DBTaskResult.objects.count() == 1
    assert task.task_path == notify_applicant.module_path
    assert task.args_kwargs == {"args": [dossier.pk, "submit"], "kwargs": {}}
    # what the worker does with it
    assert notify_applicant.call(*task.args_kwargs["args"]) is True
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.vn"]


def test_a_change_that_rolls_back_leaves_no_task(office, database_queue, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        submitted(office)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after the submission")

    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []


def test_another_queue_is_given_the_task_only_after_the_commit(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    # the tests' default queue runs tasks at once (django.tasks ImmediateBackend)
    with django_capture_on_commit_callbacks() as callbacks:
        submitted(office)
    assert mail.outbox == [] and DBTaskResult.objects.count() == 0

    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_database_worker_takes_the_queued_task(office, database_queue, mailoutbox):
    dossier = submitted(office)

    # what django-tasks-db's worker does: take a ready row under a lock, and call its task
    with transaction.atomic():
        row = DBTaskResult.objects.ready().get_locked()
        assert row is not None and row.task_path == notify_applicant.module_path
        assert row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) is True

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [dossier.applicant_email]
