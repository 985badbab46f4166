"""Races on PostgreSQL: codes stay unique and sequential, and only one officer wins an action.

These need real concurrent transactions, so they run on PostgreSQL only (SQLite serialises writers).
"""

import threading

import pytest
from django.db import connection, connections

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.dossiers import services
from motcua.dossiers.errors import Conflict, DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_office, received, submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (run by .ci/run)")


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def run_together(jobs):
    """Start every job at the same instant, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            outcomes[i] = ("ok", job())
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_50_parallel_receptions_get_50_distinct_sequential_codes(storage):
    office = make_office()
    dossiers = [submitted(office) for _ in range(50)]
    officers = [office.reception]
    for _ in range(4):
        officer = StaffFactory()
        grant_role(officer, office.agency, Role.RECEPTION)
        officers.append(officer)

    outcomes = run_together(
        [
            (lambda d=d, o=officers[i % 5]: services.receive(Dossier.objects.get(pk=d.pk), actor=o))
            for i, d in enumerate(dossiers)
        ]
    )

    assert [o for o in outcomes if o[0] == "error"] == []
    codes = list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("code", flat=True))
    assert len(set(codes)) == 50
    assert sorted(int(code[-4:]) for code in codes) == list(range(1, 51))
    assert len({code[:-5] for code in codes}) == 1  # same agency, same day


def test_20_officers_racing_on_one_dossier_exactly_one_wins(storage):
    office = make_office()
    dossier = received(office)
    racers = [office.specialist]
    for _ in range(19):
        officer = StaffFactory()
        grant_role(officer, office.agency, Role.SPECIALIST)
        racers.append(officer)
    seen = dossier.revision

    outcomes = run_together(
        [
            (
                lambda o=o: services.forward(
                    Dossier.objects.get(pk=dossier.pk), actor=o, expected_revision=seen
                )
            )
            for o in racers
        ]
    )

    wins = [o for o in outcomes if o[0] == "ok"]
    losses = [o[1] for o in outcomes if o[0] == "error"]
    assert len(wins) == 1 and len(losses) == 19
    assert all(isinstance(e, DossierError) for e in losses)
    assert all(isinstance(e, Conflict) and "người khác" in e.message for e in losses)
    dossier.refresh_from_db()
    assert dossier.revision == seen + 1
    assert dossier.actions.filter(type="forward").count() == 1


def test_racing_without_a_revision_still_lets_only_the_holder_act(storage):
    office = make_office()
    dossier = received(office)
    second = StaffFactory()
    grant_role(second, office.agency, Role.SPECIALIST)

    outcomes = run_together(
        [
            (lambda o=o: services.forward(Dossier.objects.get(pk=dossier.pk), actor=o))
            for o in (office.specialist, second)
        ]
    )

    # The first moves it to the leader's step; the second, re-checked under the lock, may not act there.
    assert sorted(o[0] for o in outcomes) == ["error", "ok"]
    assert dossier.actions.filter(type="forward").count() == 1
