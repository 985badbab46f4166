"""What reports read from apps that do not exist yet, in one place to fill in when they arrive.

- ``ratings_of``: the surveys app's ``Rating`` per dossier (four answers and the satisfied flag the
  database derives). A rating given or changed publishes the dossier event ``rated``, on which the
  reports' receiver refreshes the dossier's facts like any other event.
- ``reused_of``: a paper taken from the data store (kho dữ liệu điện tử) instead of the applicant;
  the system has no data store yet, so no dossier reuses one.
- ``synced_of``: the dossiers the national portal holds (motcua.integrations: created there by a
  successful sync). The first successful sync publishes the dossier event ``national_synced``, on which
  the reports' receiver refreshes the dossier's facts.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from motcua.integrations.models import NationalSync
from motcua.surveys.models import Rating


@dataclass(frozen=True)
class RatingFact:
    rated_at: datetime.datetime
    satisfied: bool
    answers: tuple[int, int, int, int]


def ratings_of(dossier_ids: Collection[int]) -> dict[int, RatingFact]:
    """The rating of each of these dossiers that has one (rated at: when it was first given)."""
    rows = Rating.objects.filter(dossier_id__in=list(dossier_ids)).values_list(
        "dossier_id", "created_at", "satisfied", "processing_time", "contacts", "staff_attitude", "overall"
    )
    return {
        dossier_id: RatingFact(rated_at, bool(satisfied), (time, contacts, attitude, overall))
        for dossier_id, rated_at, satisfied, time, contacts, attitude, overall in rows
    }


def reused_of(dossier_ids: Collection[int]) -> set[int]:
    """Those of these dossiers with at least one paper reused from the data store."""
    return set()


def synced_of(dossier_ids: Collection[int]) -> set[int]:
    """Those of these dossiers the national portal holds: synced at least once (a later change waiting
    to be sent does not take the dossier off the portal)."""
    return set(
        NationalSync.objects.filter(
            dossier_id__in=list(dossier_ids), synced_at__isnull=False, created_on_portal=True
        ).values_list("dossier_id", flat=True)
    )
