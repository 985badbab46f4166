"""Reading ratings: a dossier's, those a person may see, and the counts the reports need."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from motcua.accounts.models import User
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier
from motcua.surveys.constants import Question
from motcua.surveys.models import Rating


def rating_of(dossier: Dossier | int) -> Rating | None:
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    return Rating.objects.filter(dossier_id=pk).select_related("rater").first()


def visible_to(user: User) -> QuerySet[Rating]:
    """The ratings of the dossiers ``user`` may see (motcua.dossiers.selectors.visible_to)."""
    return Rating.objects.filter(dossier__in=dossier_selectors.visible_to(user).values("pk"))


@dataclass(frozen=True)
class Satisfaction:
    """How many ratings, how many of them satisfied (overall hài lòng or rất hài lòng), the share, and
    the average answer (1–5) to each question (None without ratings)."""

    rated: int
    satisfied: int
    averages: dict[str, float | None]

    @property
    def share(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


def satisfaction(ratings: QuerySet[Rating] | None = None) -> Satisfaction:
    """Counted by the database, over ``ratings`` (all by default)."""
    counts = (ratings if ratings is not None else Rating.objects.all()).aggregate(
        rated=Count("pk"),
        satisfied=Count("pk", filter=Q(satisfied=True)),
        **{f"avg_{q.value}": Avg(q.value) for q in Question},
    )
    averages = {q.value: counts[f"avg_{q.value}"] for q in Question}
    return Satisfaction(counts["rated"], counts["satisfied"], averages)
