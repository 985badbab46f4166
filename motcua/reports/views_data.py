"""Reads for the report pages and exports: which units a person may pick, and everything one
dashboard shows, gathered once so that the page, the xlsx, the CSV and the PDF carry the same numbers.

Every figure comes from motcua.reports.selectors; who may read what is motcua.reports.access.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.agencies.constants import AgencyKind
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.reports import access, scoring, selectors
from motcua.reports.periods import Period
from motcua.reports.units import (
    UNIT_PREFIX,
    ReportUnit,
    UnknownUnit,
    province_unit,
    unit_from_key,
    units_above,
    units_of_kind,
)

# The figures a leader reads first, in this order (the rest follow in their groups).
HEADLINE = [
    "received",
    "online_share",
    "in_progress",
    "overdue_now",
    "done_on_time",
    "done_late",
    "on_time_share",
    "paid_online_share",
    "results_electronic_share",
    "satisfied_share",
]

# Kinds of units, as a person reads them.
KIND_NAMES: dict[str, Promise] = {
    "province": _("Tỉnh, thành phố"),
    "commune": _("Xã, phường, đặc khu"),
    "district": _("Huyện (trước 7/2025)"),
    **{value: label for value, label in AgencyKind.choices},
}


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


# -- which units -------------------------------------------------------------------------------------


def _candidates(user: User) -> list[ReportUnit]:
    """The units a person might read: everything for a province administrator; otherwise the agencies
    they belong to with those below them, and the administrative units those agencies serve in."""
    if access.is_province_admin(user):
        try:
            found = [province_unit()]
        except UnknownUnit:
            found = []
        found += units_of_kind("commune")
        for agency in Agency.objects.filter(is_active=True).order_by("code"):
            found.append(unit_from_key(agency.code))
        return found
    mine = list(Agency.objects.filter(memberships__user=user).distinct())
    codes: set[str] = set()
    admin_ids: set[int] = set()
    frontier = {a.pk for a in mine}
    seen: set[int] = set()
    while frontier:  # the agencies and every agency below them
        seen |= frontier
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - seen
    codes |= set(Agency.objects.filter(pk__in=seen, is_active=True).values_list("code", flat=True))
    for agency in mine:
        unit: AdministrativeUnit | None = agency.unit
        while unit is not None:
            admin_ids.add(unit.pk)
            unit = unit.parent
    found = []
    for admin in AdministrativeUnit.objects.filter(pk__in=admin_ids).order_by("code"):
        try:
            found.append(unit_from_key(f"{UNIT_PREFIX}{admin.code}"))
        except UnknownUnit:
            continue
    found += [unit_from_key(code) for code in sorted(codes)]
    return found


def readable_units(user: User) -> list[ReportUnit]:
    """The units whose reports ``user`` may read (access.may_read decides), the widest first."""
    if not access.is_staff_member(user):
        return []
    seen: set[str] = set()
    result = []
    for unit in _candidates(user):
        if unit.key in seen:
            continue
        seen.add(unit.key)
        if access.may_read(user, unit):
            result.append(unit)
    order = {"province": 0, "district": 1, "commune": 2}
    return sorted(result, key=lambda u: (u.is_agency, order.get(u.kind, 3), u.name))


# -- one dashboard -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillLink:
    """Where a count can be opened: the indicator whose numerator or denominator it is."""

    code: str
    part: str


def drill_targets() -> dict[str, DrillLink]:
    """For each raw count name (selectors.Data.count), an indicator that lists its dossiers."""
    found: dict[str, DrillLink] = {}
    for indicator in selectors.INDICATORS:
        if indicator.catalogue or indicator.code == "procedures_online_used":
            continue
        for part, name in (("numerator", indicator.numerator), ("denominator", indicator.denominator)):
            if (
                name
                and name not in found
                and not name.endswith("_seconds")
                and not name.startswith("answers_")
            ):
                found[name] = DrillLink(indicator.code, part)
    return found


def may_drill(code: str, part: str = "numerator") -> bool:
    """Whether the number is a count of dossiers that ``selectors.dossiers_behind`` can list."""
    indicator = selectors.BY_CODE.get(code)
    if indicator is None or indicator.catalogue or indicator.code == "procedures_online_used":
        return False
    name = (indicator.numerator if part == "numerator" else indicator.denominator) or ""
    return bool(name) and not name.endswith("_seconds") and not name.startswith("answers_")


@dataclass(frozen=True)
class Row:
    """One figure of the dashboard beside its previous value."""

    figure: selectors.Figure
    previous: selectors.Figure | None
    change: Decimal | int | None
    drill_numerator: bool
    drill_denominator: bool

    @property
    def code(self) -> str:
        return self.figure.code

    @property
    def trend(self) -> str:
        """ "up", "down" or "" (no change or nothing to compare)."""
        if not self.change:
            return ""
        return "up" if self.change > 0 else "down"


@dataclass(frozen=True)
class Dashboard:
    unit: ReportUnit
    period: Period
    previous_period: Period
    generated_at: datetime.datetime
    rows: list[Row]
    score: scoring.Score
    previous_score: scoring.Score
    trend: list[selectors.TrendPoint]
    fields: list[selectors.FieldFigures]
    ranking_kind: str
    ranking: list[selectors.RankRow]
    targets: list[selectors.TargetProgress]
    target_year: int
    above: list[ReportUnit]

    @property
    def by_code(self) -> dict[str, Row]:
        return {r.code: r for r in self.rows}

    @property
    def headline(self) -> list[Row]:
        rows = self.by_code
        return [rows[c] for c in HEADLINE if c in rows]

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        return [
            (str(name), [r for r in self.rows if r.figure.group == group])
            for group, name in selectors.GROUPS.items()
        ]

    @property
    def my_rank(self) -> selectors.RankRow | None:
        return next((r for r in self.ranking if r.unit.key == self.unit.key), None)

    @property
    def behind(self) -> list[selectors.TargetProgress]:
        return [t for t in self.targets if t.behind]

    @property
    def score_change(self) -> Decimal:
        return self.score.total - self.previous_score.total


def dashboard(
    unit: ReportUnit, period: Period, *, now: datetime.datetime | None = None, trend_months: int = 12
) -> Dashboard:
    """Everything the dashboard of ``unit`` shows for ``period``."""
    now = now or timezone.now()
    rows = [
        Row(
            c.figure,
            c.previous,
            c.change,
            may_drill(c.figure.code, "numerator"),
            c.figure.denominator is not None and may_drill(c.figure.code, "denominator"),
        )
        for c in selectors.compare(unit, period)
    ]
    try:
        ranking = selectors.ranking(unit.kind, period)
    except UnknownUnit:
        ranking = []
    year = period.end.year
    return Dashboard(
        unit=unit,
        period=period,
        previous_period=period.previous(),
        generated_at=now,
        rows=rows,
        score=selectors.score(unit, period),
        previous_score=selectors.score(unit, period.previous()),
        trend=selectors.monthly_trend(unit, period.end, trend_months),
        fields=selectors.by_field(unit, period),
        ranking_kind=unit.kind,
        ranking=ranking,
        targets=selectors.target_progress(unit, year, today=timezone.localdate(now)),
        target_year=year,
        above=units_above(unit),
    )


# -- who signs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """The agency a report is issued by (its heading and signature block)."""

    agency: Agency | None
    parent_name: str
    place: str
    signer_title: str
    signer_name: str


def issuer(unit: ReportUnit) -> Issuer:
    """The agency that reports for ``unit``: the agency itself, or the committee of the administrative
    unit (the agency at that unit with no parent agency among that unit's agencies)."""
    agency: Agency | None
    if unit.is_agency:
        agency = Agency.objects.select_related("unit", "parent").filter(code=unit.key).first()
    else:
        code = unit.key.removeprefix(UNIT_PREFIX)
        here = Agency.objects.select_related("unit", "parent").filter(
            unit__code=code, unit__valid_to__isnull=True
        )
        agency = (
            here.filter(
                Q(kind=AgencyKind.PROVINCIAL_COMMITTEE) | Q(kind=AgencyKind.COMMUNE_COMMITTEE)
            ).first()
            or here.filter(parent__isnull=True).first()
            or here.first()
        )
    if agency is None:
        return Issuer(None, "", "", "", "")
    parent_name = agency.parent.name if agency.parent is not None else ""
    place = agency.unit.name if agency.unit_id else ""
    for prefix in ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã ", "Thị trấn "):
        place = place.removeprefix(prefix)
    return Issuer(
        agency,
        parent_name,
        place,
        agency.head_title,
        agency.head_name,
    )
