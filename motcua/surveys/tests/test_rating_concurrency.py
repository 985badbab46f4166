"""Ten first ratings of one dossier at the same instant, on PostgreSQL: one rating, the others changes
of it (the dossier's row lock orders them), no error. Real concurrent transactions, each in its own
thread and database connection (SQLite serialises writers, so this runs on PostgreSQL only)."""

import pytest

from motcua.core.models import AuditEntry
from motcua.core.tests.races import run_together
from motcua.surveys import services
from motcua.surveys.constants import RatingChannel
from motcua.surveys.models import Rating
from motcua.surveys.tests.factories import ANSWERS, returned

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_parallel_first_ratings_make_one_rating(office):
    dossier = returned(office)

    def rate(overall):
        return lambda: (
            services.rate(
                dossier.pk, {**ANSWERS, "overall": overall}, by=office.citizen, channel=RatingChannel.ONLINE
            ).created
        )

    outcomes = run_together([rate(1 + i % 5) for i in range(10)])

    assert [o for o in outcomes if o[0] == "error"] == []
    assert sorted(o[1] for o in outcomes) == [False] * 9 + [True]
    rating = Rating.objects.get(dossier=dossier)
    assert rating.edits == 9
    assert AuditEntry.objects.filter(action="surveys.rate").count() == 1
    assert AuditEntry.objects.filter(action="surveys.change_rating").count() == 9
