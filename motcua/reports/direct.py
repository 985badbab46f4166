"""The same counts as the aggregates, counted directly over the dossiers: the tests' oracle.

Written apart from motcua.reports.facts, from the definitions (docs/decisions/0010) rather than from
that code: a query per count over dossiers, actions, steps, attachments and the fee ledger. Never used
by a page (it scans the dossier table); tests compare every indicator both ways.
"""

import datetime
from collections.abc import Callable

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.catalog.constants import Mode
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.constants import ActionType, AttachmentKind, SignatureState, Status, StepKind
from motcua.dossiers.models import Action, Attachment, Dossier, Step
from motcua.payments.models import LedgerEntry
from motcua.reports.constants import RECEPTION_ANSWER_HOURS
from motcua.reports.periods import Period
from motcua.reports.units import ReportUnit, agency_ids
from motcua.surveys.models import Rating


class Direct:
    """Counts of one unit and period straight from the dossier tables."""

    def __init__(self, unit: ReportUnit, period: Period, now: datetime.datetime):
        zone = timezone.get_default_timezone()
        self.start = datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone)
        self.end = datetime.datetime.combine(
            period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        self.agencies = agency_ids(unit)
        self.now = now

    # -- the unit's dossiers ------------------------------------------------------------------------

    def dossiers(self) -> QuerySet[Dossier]:
        return (
            Dossier.objects.exclude(status=Status.DRAFT)
            .annotate(owner=Coalesce("deciding_agency_id", "receiving_agency_id"))
            .filter(owner__in=self.agencies)
        )

    def ratings(self) -> QuerySet[Rating]:
        """The ratings first given in the period, of the unit's dossiers."""
        return Rating.objects.filter(self.within("created_at"), dossier__in=self.dossiers())

    def answers(self, question: str) -> int:
        return sum(self.ratings().values_list(question, flat=True))

    def within(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def received(self) -> QuerySet[Dossier]:
        return self.dossiers().filter(self.within("received_at"))

    def done(self) -> QuerySet[Dossier]:
        return (
            self.dossiers()
            .filter(received_at__isnull=False)
            .filter(self.within("finished_at"))
            .annotate(deadline=Coalesce("original_due_at", "due_at"))
        )

    def on_time(self) -> Q:
        return Q(deadline__isnull=True) | Q(finished_at__lte=F("deadline"))

    def fee_bearing(self) -> QuerySet[Dossier]:
        charged = LedgerEntry.objects.filter(dossier=OuterRef("pk"), kind="charge")
        return self.received().filter(Q(fee_due__gt=0) | Exists(charged))

    def returned(self) -> QuerySet[Dossier]:
        return self.dossiers().filter(status=Status.RETURNED).filter(self.within("returned_at"))

    def has_result(self) -> Exists:
        return Exists(
            Attachment.objects.filter(dossier=OuterRef("pk"), kind=AttachmentKind.RESULT, superseded=False)
        )

    def has_signed_result(self) -> Exists:
        return Exists(
            Attachment.objects.filter(
                dossier=OuterRef("pk"),
                kind=AttachmentKind.RESULT,
                superseded=False,
                signature_state=SignatureState.SIGNED,
            )
        )

    def reception_decisions(self) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """(submitted, decided) of the online dossiers whose first reception decision is in the period."""
        found = []
        online = self.dossiers().filter(channel="online", submitted_at__isnull=False)
        for dossier in online.only("pk", "submitted_at"):
            first = (
                Action.objects.filter(
                    dossier=dossier,
                    status_before=Status.SUBMITTED,
                    type__in=[ActionType.RECEIVE, ActionType.REFUSE, ActionType.REQUEST_SUPPLEMENT],
                )
                .order_by("at", "id")
                .first()
            )
            if first is not None and dossier.submitted_at is not None and self.start <= first.at < self.end:
                found.append((dossier.submitted_at, first.at))
        return found

    def steps(self) -> QuerySet[Step]:
        return Step.objects.filter(
            dossier__in=self.dossiers(),
            kind=StepKind.PROCESS,
            due_at__isnull=False,
        ).filter(self.within("completed_at"))

    def procedures(self) -> list[ProcedureVersion]:
        return list(
            ProcedureVersion.objects.current()
            .filter(agencies__in=self.agencies)
            .distinct()
            .prefetch_related("fees", "documents")
        )

    # -- every count by name --------------------------------------------------------------------------

    def count(self, name: str) -> int:
        counts: dict[str, Callable[[], int]] = {
            "received": lambda: self.received().count(),
            "received_online": lambda: self.received().filter(channel="online").count(),
            "received_counter": lambda: self.received().filter(channel="counter").count(),
            "received_post": lambda: self.received().filter(channel="post").count(),
            "published": lambda: self.received().filter(code__isnull=False).exclude(code="").count(),
            "synced_national": lambda: (
                self.received()
                .filter(national_sync__synced_at__isnull=False, national_sync__created_on_portal=True)
                .count()
            ),
            "fee_bearing": lambda: self.fee_bearing().count(),
            "paid_online": lambda: (
                self.fee_bearing()
                .filter(
                    Exists(
                        LedgerEntry.objects.filter(dossier=OuterRef("pk"), kind="payment", method="online")
                    )
                )
                .count()
            ),
            "digitised": lambda: (
                self.received()
                .filter(
                    Exists(
                        Attachment.objects.filter(
                            dossier=OuterRef("pk"),
                            kind__in=[AttachmentKind.APPLICANT, AttachmentKind.SCAN],
                            superseded=False,
                        )
                    )
                )
                .count()
            ),
            "reused": lambda: 0,
            "done": lambda: self.done().count(),
            "done_on_time": lambda: self.done().filter(self.on_time()).count(),
            "done_late": lambda: self.done().exclude(self.on_time()).count(),
            "processing_seconds": lambda: sum(
                round((finished - received).total_seconds())
                for received, finished in self.done().values_list("received_at", "finished_at")
                if received is not None and finished is not None
            ),
            "legal_seconds": lambda: sum(
                round((deadline - received).total_seconds())
                for received, deadline in (
                    (d.received_at, d.original_due_at or d.due_at) for d in self.done()
                )
                if received is not None and deadline is not None
            ),
            "done_without_supplement": lambda: (
                self.done()
                .exclude(
                    Exists(Action.objects.filter(dossier=OuterRef("pk"), type=ActionType.REQUEST_SUPPLEMENT))
                )
                .count()
            ),
            "done_single_agency": lambda: (
                self.done()
                .exclude(Exists(Action.objects.filter(dossier=OuterRef("pk"), type=ActionType.CONSULT)))
                .count()
            ),
            "refused": lambda: (
                self.dossiers().filter(self.within("closed_at"), status=Status.REFUSED).count()
            ),
            "withdrawn": lambda: (
                self.dossiers().filter(self.within("closed_at"), status=Status.WITHDRAWN).count()
            ),
            "stopped": lambda: (
                self.dossiers().filter(self.within("closed_at"), status=Status.STOPPED).count()
            ),
            "supplement_requests": lambda: Action.objects.filter(
                self.within("at"), type=ActionType.REQUEST_SUPPLEMENT, dossier__in=self.dossiers()
            ).count(),
            "reception_decided": lambda: len(self.reception_decisions()),
            "reception_in_time": lambda: sum(
                (decided - submitted) <= datetime.timedelta(hours=RECEPTION_ANSWER_HOURS)
                for submitted, decided in self.reception_decisions()
            ),
            "steps_done": lambda: self.steps().count(),
            "steps_on_time": lambda: self.steps().filter(completed_at__lte=F("due_at")).count(),
            "returned": lambda: self.returned().count(),
            "results_electronic": lambda: self.returned().filter(self.has_result()).count(),
            "results_signed": lambda: (
                self.returned().filter(self.has_result()).filter(self.has_signed_result()).count()
            ),
            "ratings": lambda: self.ratings().count(),
            "satisfied": lambda: self.ratings().filter(satisfied=True).count(),
            "answers_1": lambda: self.answers("processing_time"),
            "answers_2": lambda: self.answers("contacts"),
            "answers_3": lambda: self.answers("staff_attitude"),
            "answers_4": lambda: self.answers("overall"),
            "in_progress": lambda: (
                self.dossiers()
                .filter(received_at__isnull=False, finished_at__isnull=True)
                .filter(status__in=[Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT])
                .count()
            ),
            "overdue_now": lambda: (
                self.dossiers()
                .filter(received_at__isnull=False, finished_at__isnull=True, due_at__lt=self.now)
                .filter(status__in=[Status.RECEIVED, Status.PROCESSING, Status.PAYMENT])
                .count()
            ),
            "procedures_total": lambda: len(self.procedures()),
            "procedures_online": lambda: sum(self._online(v) for v in self.procedures()),
            "procedures_full_online": lambda: sum(v.mode == Mode.FULL_ONLINE for v in self.procedures()),
            "procedures_partial_online": lambda: sum(
                v.mode == Mode.PARTIAL and v.legacy_level >= 3 for v in self.procedures()
            ),
            "procedures_online_used": lambda: sum(
                self._online(v)
                and self.received()
                .filter(channel="online", procedure_version__procedure=v.procedure_id)
                .exists()
                for v in self.procedures()
            ),
            "procedures_complete": lambda: sum(
                bool(v.legal_basis.strip() and v.description.strip() and v.result.strip())
                and len(v.documents.all()) > 0
                for v in self.procedures()
            ),
            "procedures_fee_bearing": lambda: sum(self._fee(v) for v in self.procedures()),
            "procedures_payable_online": lambda: sum(
                self._fee(v) and self._online(v) for v in self.procedures()
            ),
            "feedback": lambda: 0,
            "feedback_on_time": lambda: 0,
        }
        return counts[name]()

    @staticmethod
    def _online(v: ProcedureVersion) -> bool:
        return v.mode == Mode.FULL_ONLINE or (v.mode == Mode.PARTIAL and v.legacy_level >= 3)

    @staticmethod
    def _fee(v: ProcedureVersion) -> bool:
        return any(f.amount > 0 for f in v.fees.all())
