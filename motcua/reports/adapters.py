"""What reports read from apps that do not exist yet, in one place to fill in when they arrive.

- ``ratings_of``: the surveys app (a ``Rating`` per dossier, four answers and a satisfied flag) is
  built on another branch. Until it is merged no dossier has a rating: the satisfaction figures are
  0 and the scoring configuration says what 0 ratings are worth. At the merge, read its ratings here
  and call ``motcua.reports.facts.refresh([dossier_id])`` when a rating is saved (its event).
- ``reused_of``: a paper taken from the data store (kho dữ liệu điện tử) instead of the applicant;
  the system has no data store yet, so no dossier reuses one.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class RatingFact:
    rated_at: datetime.datetime
    satisfied: bool
    answers: tuple[int, int, int, int]


def ratings_of(dossier_ids: Collection[int]) -> dict[int, RatingFact]:
    """The rating of each of these dossiers that has one."""
    return {}


def reused_of(dossier_ids: Collection[int]) -> set[int]:
    """Those of these dossiers with at least one paper reused from the data store."""
    return set()
