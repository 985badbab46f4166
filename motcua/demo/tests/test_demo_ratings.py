"""The demo's returned dossiers carry satisfaction ratings (motcua.surveys) for the reports: given after
the return, online and at the kiosk, with mixed answers; the demo citizen has one rated and one to rate."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.surveys.models import Rating
from motcua.surveys.selectors import satisfaction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_the_demo_returned_dossiers_carry_mixed_ratings():
    call_command("load_demo", "--dossiers=80", stdout=io.StringIO())

    ratings = list(Rating.objects.select_related("dossier", "dossier__applicant"))
    returned = Dossier.objects.filter(status=Status.RETURNED).count()
    assert returned * 0.3 <= len(ratings) < returned
    now = timezone.now()
    for rating in ratings:
        dossier = rating.dossier
        assert dossier.status == Status.RETURNED
        assert dossier.returned_at <= rating.created_at <= now
        assert rating.rater == dossier.applicant  # None at the kiosk: a walk-in without an account
        assert (rating.channel == "kiosk") == (dossier.applicant is None)
    assert {r.channel for r in ratings} >= {"online", "kiosk"}
    assert {r.overall for r in ratings} >= {5, 4, 3} and any(r.overall <= 2 for r in ratings)
    counted = satisfaction()
    assert counted.rated == len(ratings) and 0.4 < counted.share < 0.95
    assert any(r.comment for r in ratings)

    mine = Dossier.objects.filter(applicant__username="citizen", status=Status.RETURNED)
    assert mine.filter(rating__isnull=False).exists() and mine.filter(rating__isnull=True).exists()
