"""The demo loader makes a year of dossiers through the real services, in every status, and queues
the render of their notices and results for the task worker."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.tasks import default_task_backend
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.constants import ResultDelivery, Status
from motcua.dossiers.models import Action, Attachment, Dossier
from motcua.dossiers.tasks import render_document

pytestmark = pytest.mark.django_db

COUNT = 60
CODE = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


@pytest.fixture(autouse=True)
def _queued_tasks(settings):
    """Tasks are kept in a list instead of run: a demo of 60 dossiers issues about a hundred PDFs."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _load_demo(count: int = COUNT) -> str:
    out = io.StringIO()
    call_command("load_demo", f"--dossiers={count}", stdout=out)
    return out.getvalue()


def test_the_demo_has_a_year_of_dossiers_in_every_status_once():
    output = _load_demo()
    now = timezone.now()
    dossiers = list(
        Dossier.objects.select_related("receiving_agency", "applicant").prefetch_related("actions")
    )

    assert f"Demo dossiers: {COUNT}." in output
    assert len(dossiers) == COUNT
    # Reception hands a dossier to its first processing step at once (4): none stays at 2.
    assert {d.status for d in dossiers} == set(Status.values) - {Status.DRAFT, Status.RECEIVED}
    submitted = [d.submitted_at for d in dossiers]
    assert max(submitted) - min(submitted) >= datetime.timedelta(days=300)
    assert sum(d.is_overdue(now) for d in dossiers) >= 1
    assert sum(d.applicant is not None and d.applicant.username == "citizen" for d in dossiers) >= 8
    assert User.objects.filter(email__endswith="@example.vn", kind="citizen").count() >= 40

    codes = [d.code for d in dossiers if d.code]
    assert len(codes) == len(set(codes))
    for d in dossiers:
        actions = list(d.actions.all())
        assert d.status == actions[-1].status_after, d
        assert [a.at for a in actions] == sorted(a.at for a in actions)
        assert actions[-1].at <= now
        match = CODE.match(d.code)  # given at submission
        assert match, d.code
        assert match["agency"] == d.receiving_agency.code
        assert match["day"] == f"{timezone.localdate(d.submitted_at):%y%m%d}"
        if d.received_at is None:
            continue
        assert d.due_at > d.received_at
        assert d.attachments.filter(notice_form="01").exists()
    assert Attachment.objects.filter(kind="result").exists()
    # A mix of ways to receive the result; those returned by post carry a tracking number.
    assert {d.result_delivery for d in dossiers} == set(ResultDelivery.values)
    by_post = [d for d in dossiers if d.result_delivery == ResultDelivery.POST]
    assert all(d.delivery_address for d in by_post)
    assert all(d.channel == "online" for d in dossiers if d.result_delivery == ResultDelivery.ONLINE)
    returned = [d for d in by_post if d.status == Status.RETURNED]
    assert returned and all(re.fullmatch(r"E[A-Z]\d{9}VN", d.postal_tracking_number) for d in returned)
    assert not any(d.postal_tracking_number for d in dossiers if d not in returned)

    counts = (Dossier.objects.count(), Action.objects.count(), User.objects.count())
    second = _load_demo()
    assert f"Demo dossiers: {COUNT}." in second
    assert (Dossier.objects.count(), Action.objects.count(), User.objects.count()) == counts


def test_the_demo_prints_its_progress_and_queues_every_pdf_it_issued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the loader queues after its commit
        output = _load_demo(30)

    steps = re.findall(r"^  dossiers: (\d+)/30 \((\d+) %\) in \d+\.\d s$", output, flags=re.MULTILINE)
    assert [int(percent) for _done, percent in steps] == list(range(10, 101, 10))
    assert [int(done) for done, _percent in steps] == [3 * k for k in range(1, 11)]
    generated = Attachment.objects.filter(snapshot__isnull=False)
    queued = [result.args[0] for result in default_task_backend.results if result.task == render_document]
    assert generated.count() > 30
    assert sorted(queued) == sorted(generated.values_list("pk", flat=True))
    assert queued == sorted(queued, reverse=True)  # the newest first
    assert all(a.pending for a in generated)
    assert f"Queued {len(queued)} PDF notices and results" in output

    # What the worker does with the first ones.
    for pk in queued[:2]:
        assert render_document.call(pk) is True
        assert Attachment.objects.get(pk=pk).file.read(4) == b"%PDF"


def test_a_negative_count_is_refused_naming_the_option():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--dossiers"):
        call_command("load_demo", "--dossiers=-1", stdout=io.StringIO())


def test_demo_tracking_numbers_carry_the_upu_s10_check_digit():
    import random

    from motcua.demo.dossiers import tracking_number

    def check_digit(serial: str) -> int:
        rest = 11 - sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
        return {10: 0, 11: 5}.get(rest, rest)

    assert check_digit("12345678") == 5  # RA123456785GB, the standard's example
    numbers = {tracking_number(random.Random(seed)) for seed in range(50)}
    assert len(numbers) == 50
    for number in numbers:
        assert re.fullmatch(r"E[BCLMP]\d{9}VN", number)
        assert int(number[10]) == check_digit(number[2:10])
