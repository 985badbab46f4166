import datetime
import io
import re
from functools import partial
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.accounts.models import User
from motcua.demo import dossiers as demo_dossiers
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Action, Attachment, Dossier

pytestmark = pytest.mark.django_db

COUNT = 60
CODE = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


def _load_demo() -> str:
    out = io.StringIO()
    smaller = partial(demo_dossiers.load_dossiers, count=COUNT)
    with mock.patch("motcua.demo.seed.load_dossiers", smaller):
        call_command("load_demo", stdout=out)
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

    counts = (Dossier.objects.count(), Action.objects.count(), User.objects.count())
    second = _load_demo()
    assert f"Demo dossiers: {COUNT}." in second
    assert (Dossier.objects.count(), Action.objects.count(), User.objects.count()) == counts
