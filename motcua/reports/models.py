"""The reports' own tables: one row of facts per dossier, the daily and monthly aggregates built from
them, and the targets a province sets.

Nothing here is written by the dossiers app: motcua.reports.facts keeps the tables up to date from the
dossiers' events (``dossier_changed``, delivered by the outbox relay) and ``manage.py rebuild_reports``
rebuilds them from scratch. docs/decisions/0010-report-aggregates.md says why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import Channel


class DossierFacts(models.Model):
    """What one dossier contributes to the reports, as of its last event.

    The aggregates hold the sum of every dossier's contributions (``facts.contributions``); when a
    dossier changes, its old contributions are taken away and its new ones added. The dates are local
    days. The open dossiers (received, no result yet) keep their deadline here: "in progress" and
    "overdue now" are counted from this table at the moment they are asked for.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # a dossier removed (a draft) takes its facts with it: facts.refresh
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    received_day = models.DateField(null=True)
    published = models.BooleanField(default=False)
    synced_national = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    finished_day = models.DateField(null=True)
    on_time = models.BooleanField(null=True)
    processing_seconds = models.BigIntegerField(default=0)
    legal_seconds = models.BigIntegerField(default=0)
    had_supplement = models.BooleanField(default=False)
    consulted = models.BooleanField(default=False)
    closed_day = models.DateField(null=True)
    returned_day = models.DateField(null=True)
    result_electronic = models.BooleanField(default=False)
    result_signed = models.BooleanField(default=False)
    # Dated lists: [day, ...] of supplement requests; [day, in time] of the reception decision and of
    # each completed process step; [day, satisfied, a1, a2, a3, a4] of the rating.
    supplement_days = models.JSONField(default=list)
    reception = models.JSONField(default=list)
    steps = models.JSONField(default=list)
    rating = models.JSONField(default=list)
    # Open: received, no result yet, not closed. Point-in-time figures read these two.
    is_open = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True)
    counts_overdue = models.BooleanField(default=False)  # its clock runs (statuses 2, 4, 6)

    class Meta:
        verbose_name = _("dữ kiện báo cáo của hồ sơ")
        verbose_name_plural = _("dữ kiện báo cáo của hồ sơ")
        indexes = [
            # "In progress" and "overdue now" per agency, from the index alone (an index-only scan).
            models.Index(
                fields=["agency", "counts_overdue", "due_at"],
                name="facts_open_idx",
                condition=Q(is_open=True),
            ),
            models.Index(fields=["agency", "received_day"], name="facts_received_idx"),
            models.Index(fields=["agency", "finished_day"], name="facts_finished_idx"),
            models.Index(fields=["agency", "returned_day"], name="facts_returned_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.dossier_id}"


class Figures(models.Model):
    """The sums of one agency's dossiers of one procedure (and field) over a day or a month."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    received_online = models.BigIntegerField(default=0)
    received_counter = models.BigIntegerField(default=0)
    received_post = models.BigIntegerField(default=0)
    published = models.BigIntegerField(default=0)
    synced_national = models.BigIntegerField(default=0)
    fee_bearing = models.BigIntegerField(default=0)
    paid_online = models.BigIntegerField(default=0)
    digitised = models.BigIntegerField(default=0)
    reused = models.BigIntegerField(default=0)
    done_on_time = models.BigIntegerField(default=0)
    done_late = models.BigIntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    legal_seconds = models.BigIntegerField(default=0)
    done_without_supplement = models.BigIntegerField(default=0)
    done_single_agency = models.BigIntegerField(default=0)
    refused = models.BigIntegerField(default=0)
    withdrawn = models.BigIntegerField(default=0)
    stopped = models.BigIntegerField(default=0)
    supplement_requests = models.BigIntegerField(default=0)
    reception_decided = models.BigIntegerField(default=0)
    reception_in_time = models.BigIntegerField(default=0)
    steps_done = models.BigIntegerField(default=0)
    steps_on_time = models.BigIntegerField(default=0)
    returned = models.BigIntegerField(default=0)
    results_electronic = models.BigIntegerField(default=0)
    results_signed = models.BigIntegerField(default=0)
    ratings = models.BigIntegerField(default=0)
    satisfied = models.BigIntegerField(default=0)
    answers_1 = models.BigIntegerField(default=0)
    answers_2 = models.BigIntegerField(default=0)
    answers_3 = models.BigIntegerField(default=0)
    answers_4 = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class DayFigures(Figures):
    day = models.DateField()

    class Meta:
        verbose_name = _("số liệu ngày")
        verbose_name_plural = _("số liệu ngày")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day", "procedure", "field"], name="day_figures_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id}"


class MonthFigures(Figures):
    month = models.DateField(help_text="The first day of the month.")

    class Meta:
        verbose_name = _("số liệu tháng")
        verbose_name_plural = _("số liệu tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "procedure", "field"], name="month_figures_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agency_id} {self.procedure_id}"


class OpenFigures(models.Model):
    """The dossiers open now (received, no result yet, not closed) of one agency's procedure, by the
    local day they are due (``NO_DEADLINE`` for none) and whether their clock runs: "in progress" and
    "overdue now" read these few rows instead of every open dossier's facts (at 5,000,000 dossiers,
    175,000 of them are open). Kept with the facts (motcua.reports.facts)."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    due_day = models.DateField()
    counts_overdue = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("hồ sơ đang mở theo ngày đến hạn")
        verbose_name_plural = _("hồ sơ đang mở theo ngày đến hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "field", "due_day", "counts_overdue"], name="open_figures_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.due_day} {self.agency_id} {self.procedure_id}: {self.n}"


class Target(models.Model):
    """A yearly target a province administrator sets for one indicator of one unit (e.g. ≥ 30 % of
    dossiers online for a commune). ``value`` is in the indicator's own unit: a percentage (30 for
    30 %) for a share, else the figure itself; a unit is behind target when its figure is below it."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit_key = models.CharField(
        _("đơn vị"),
        max_length=40,
        help_text=_("Mã định danh của cơ quan, hoặc dvhc-<mã> của đơn vị hành chính (ví dụ dvhc-08)."),
    )
    indicator = models.CharField(_("chỉ tiêu"), max_length=40)
    value = models.DecimalField(
        _("mục tiêu"),
        max_digits=14,
        decimal_places=4,
        help_text=_("Theo đơn vị của chỉ tiêu: phần trăm cho tỷ lệ (30 là 30 %), số hồ sơ, số ngày."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("chỉ tiêu năm")
        verbose_name_plural = _("chỉ tiêu năm")
        ordering = ["-year", "unit_key", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit_key", "indicator"], name="target_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_key} {self.indicator} ≥ {self.value}"
