"""Fifty documents issued at the same instant get fifty distinct, consecutive numbers (PostgreSQL)."""

import pytest

from motcua.core.tests.races import run_together
from motcua.documents import services
from motcua.documents.models import OfficialDocument
from motcua.documents.tests.factories import make_bureau, signed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_50_parallel_issues_get_50_distinct_consecutive_numbers(media):
    bureau = make_bureau()
    documents = [signed(bureau) for _ in range(50)]

    outcomes = run_together(
        [
            (lambda d=d: services.issue(OfficialDocument.objects.get(pk=d.pk), actor=bureau.clerk))
            for d in documents
        ]
    )

    assert [o for o in outcomes if o[0] == "error"] == []
    numbers = sorted(
        OfficialDocument.objects.filter(pk__in=[d.pk for d in documents]).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 51))
    notations = set(
        OfficialDocument.objects.filter(pk__in=[d.pk for d in documents]).values_list("notation", flat=True)
    )
    assert len(notations) == 50
