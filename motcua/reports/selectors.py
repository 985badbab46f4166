"""Reads of the reports: indicators, comparisons, trends, drill-down, scores, rankings, targets.

Every figure of a period comes from the aggregates (models.MonthFigures for the whole months of the
period, models.DayFigures for the days at its edges), "in progress" and "overdue now" from the open
dossiers' facts (models.DossierFacts, a partial index), the procedure counts from the catalogue. The
dossier table is never scanned; ``dossiers_behind`` lists the dossiers behind one number.

Figures are gathered per agency in a few grouped queries (``gather``) and added up per unit, so that
the ranking of every unit of a kind costs the same handful of queries as one unit's dashboard.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import Mode
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.core.refcache import TimedCache
from motcua.dossiers.constants import ActionType
from motcua.dossiers.models import Action, Dossier
from motcua.reports import scoring
from motcua.reports.constants import MEASURES
from motcua.reports.facts import CLOSED
from motcua.reports.models import DayFigures, DossierFacts, MonthFigures, OpenFigures, Target
from motcua.reports.periods import Period
from motcua.reports.units import ReportUnit, agency_ids, unit_from_key, units_of_kind

COUNT, PERCENT, DAYS, AVERAGE = "count", "percent", "days", "average"
GROUPS = {
    "procedures": _("Thủ tục hành chính"),
    "dossiers": _("Hồ sơ"),
    "fees": _("Phí, lệ phí"),
    "results": _("Kết quả, số hóa"),
    "satisfaction": _("Mức độ hài lòng"),
}
TWO = Decimal("0.01")


def _round(value: Decimal, places: Decimal = TWO) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


# -- raw counts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureInfo:
    """What the catalogue says of one procedure's current version, for the counts."""

    field_id: int
    full_online: bool
    partial_online: bool
    fee_bearing: bool
    complete: bool

    @property
    def online(self) -> bool:
        return self.full_online or self.partial_online


@dataclass
class Data:
    """The raw counts behind every figure of one unit and period."""

    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    procedures: dict[int, ProcedureInfo] = field(default_factory=dict)
    online_used: set[int] = field(default_factory=set)  # procedures with an online dossier received
    in_progress: int | None = None  # None: not asked (a trend's past months)
    overdue_now: int | None = None

    def add(self, other: "Data") -> None:
        for name, value in other.sums.items():
            self.sums[name] += value
        self.procedures.update(other.procedures)
        self.online_used |= other.online_used
        if other.in_progress is not None:
            self.in_progress = (self.in_progress or 0) + other.in_progress
            self.overdue_now = (self.overdue_now or 0) + (other.overdue_now or 0)

    # derived counts, by the names the indicators and the scoring configuration use
    def count(self, name: str) -> int:
        s = self.sums
        online = {pid for pid, p in self.procedures.items() if p.online}
        fee_procedures = {pid for pid, p in self.procedures.items() if p.fee_bearing}
        derived: dict[str, Callable[[], int]] = {
            "received": lambda: s["received_online"] + s["received_counter"] + s["received_post"],
            "done": lambda: s["done_on_time"] + s["done_late"],
            "procedures_total": lambda: len(self.procedures),
            "procedures_online": lambda: len(online),
            "procedures_full_online": lambda: sum(p.full_online for p in self.procedures.values()),
            "procedures_partial_online": lambda: sum(p.partial_online for p in self.procedures.values()),
            "procedures_online_used": lambda: len(self.online_used & online),
            "procedures_complete": lambda: sum(p.complete for p in self.procedures.values()),
            "procedures_fee_bearing": lambda: len(fee_procedures),
            # Every fee-bearing procedure offered online can be paid through the gateways.
            "procedures_payable_online": lambda: len(fee_procedures & online),
            "in_progress": lambda: self.in_progress or 0,
            "overdue_now": lambda: self.overdue_now or 0,
            "feedback": lambda: 0,  # no feedback (phản ánh, kiến nghị) module yet
            "feedback_on_time": lambda: 0,
        }
        if name in derived:
            return derived[name]()
        return s[name]


def _sums(
    agencies: Iterable[int],
    period: Period,
    group: list[str],
    *,
    field_id: int | None = None,
    procedure_id: int | None = None,
    measures: list[str] = MEASURES,
) -> list[dict[str, Any]]:
    """The sums of ``measures`` over the period grouped by ``group`` (columns of the aggregates, or
    "bucket": the month of a monthly row, the day of a daily row), in one statement: the monthly rows
    of the whole months and the daily rows of the edges, UNION ALL, then GROUP BY. Raw SQL: the ORM
    spent more time composing 31 sums than PostgreSQL spent adding them up."""
    agencies = list(agencies)
    months, edges = period.split()
    if not agencies or (not months and not edges):
        return []
    filters: list[str] = []
    params: list[Any] = []
    if field_id is not None:
        filters.append("field_id = %s")
        params.append(field_id)
    if procedure_id is not None:
        filters.append("procedure_id = %s")
        params.append(procedure_id)
    inner = ", ".join(["agency_id", "procedure_id", "field_id", *measures])
    agency_list = ", ".join(["%s"] * len(agencies))
    parts: list[str] = []
    part_params: list[Any] = []
    if months:
        where = [f"agency_id IN ({agency_list})", f"month IN ({', '.join(['%s'] * len(months))})", *filters]
        table = MonthFigures._meta.db_table
        parts.append(f"SELECT month AS bucket, {inner} FROM {table} WHERE {' AND '.join(where)}")  # noqa: S608
        part_params += [*agencies, *months, *params]
    if edges:
        spans = " OR ".join(["day BETWEEN %s AND %s"] * len(edges))
        where = [f"agency_id IN ({agency_list})", f"({spans})", *filters]
        table = DayFigures._meta.db_table
        parts.append(f"SELECT day AS bucket, {inner} FROM {table} WHERE {' AND '.join(where)}")  # noqa: S608
        part_params += [*agencies, *(d for edge in edges for d in edge), *params]
    columns = [*group, *measures]
    totals = ", ".join(f"SUM({m})" for m in measures)
    selected = ", ".join([*group, totals])
    sql = f"SELECT {selected} FROM ({' UNION ALL '.join(parts)}) AS figures"  # noqa: S608 (names are ours)
    if group:
        sql += f" GROUP BY {', '.join(group)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, part_params)
        rows = cursor.fetchall()
    # Sums of integers: PostgreSQL gives SUM(bigint) as numeric (a Decimal), SQLite an int.
    return [
        {c: int(v or 0) if c in measures else v for c, v in zip(columns, row, strict=True)} for row in rows
    ]


def _day(value: Any) -> datetime.date:
    """A date from the database (SQLite gives text for a column of a UNION)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


_catalogues = TimedCache("reports' catalogue of agencies")


def _catalogue(
    agencies: set[int], *, field_id: int | None, procedure_id: int | None
) -> tuple[dict[int, ProcedureInfo], dict[int, set[int]]]:
    """The current procedures of these agencies: what each is, and which each agency offers. Kept per
    process like the other reference data (motcua.core.refcache): the catalogue changes rarely."""
    return _catalogues.get(
        (frozenset(agencies), field_id, procedure_id),
        lambda: _load_catalogue(agencies, field_id=field_id, procedure_id=procedure_id),
    )


def _load_catalogue(
    agencies: set[int], *, field_id: int | None, procedure_id: int | None
) -> tuple[dict[int, ProcedureInfo], dict[int, set[int]]]:
    versions = ProcedureVersion.objects.current().filter(agencies__in=agencies)
    if field_id is not None:
        versions = versions.filter(field_id=field_id)
    if procedure_id is not None:
        versions = versions.filter(procedure_id=procedure_id)
    rows = list(
        versions.values_list(
            "agencies",
            "procedure_id",
            "field_id",
            "mode",
            "legacy_level",
            "legal_basis",
            "description",
            "result",
        ).distinct()
    )
    ids = {row[1] for row in rows}
    with_fee = set(
        ProcedureVersion.objects.current()
        .filter(procedure_id__in=ids, fees__amount__gt=0)
        .values_list("procedure_id", flat=True)
    )
    with_documents = set(
        ProcedureVersion.objects.current()
        .filter(procedure_id__in=ids, documents__isnull=False)
        .values_list("procedure_id", flat=True)
    )
    info: dict[int, ProcedureInfo] = {}
    offered: dict[int, set[int]] = {}
    for agency, pid, field_pk, mode, legacy_level, legal_basis, description, result in rows:
        offered.setdefault(agency, set()).add(pid)
        info[pid] = ProcedureInfo(
            field_id=field_pk,
            full_online=mode == Mode.FULL_ONLINE,
            partial_online=mode == Mode.PARTIAL and legacy_level >= 3,
            fee_bearing=pid in with_fee,
            # Complete as published (công khai đầy đủ): legal basis, sequence, result and papers listed.
            complete=bool(legal_basis.strip() and description.strip() and result.strip())
            and pid in with_documents,
        )
    return info, offered


def open_counts(
    agencies: Iterable[int],
    group: str,
    now: datetime.datetime,
    *,
    field_id: int | None = None,
    procedure_id: int | None = None,
) -> dict[int, tuple[int, int]]:
    """In progress and overdue now, per ``group`` (``agency_id`` or ``field_id``): the open dossiers'
    counts by due day (models.OpenFigures), and of those due today only the ones whose deadline has
    passed, from the facts' index of open dossiers (a range of today's deadlines, not every open one)."""
    scope = Q(agency_id__in=list(agencies))
    if field_id is not None:
        scope &= Q(field_id=field_id)
    if procedure_id is not None:
        scope &= Q(procedure_id=procedure_id)
    today = timezone.localdate(now)
    counts: dict[int, list[int]] = {}
    for key, n, late in (
        OpenFigures.objects.filter(scope)
        .values(group)
        .annotate(total=Sum("n"), overdue=Sum("n", filter=Q(counts_overdue=True, due_day__lt=today)))
        .values_list(group, "total", "overdue")
        .order_by()
    ):
        counts[key] = [int(n or 0), int(late or 0)]
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    for key, late in (
        DossierFacts.objects.filter(
            scope, is_open=True, counts_overdue=True, due_at__gte=start_of_today, due_at__lt=now
        )
        .values(group)
        .annotate(late=Count("dossier_id"))
        .values_list(group, "late")
        .order_by()
    ):
        counts.setdefault(key, [0, 0])[1] += late
    return {key: (n, late) for key, (n, late) in counts.items()}


def gather(
    units: list[ReportUnit],
    period: Period,
    *,
    field_id: int | None = None,
    procedure_id: int | None = None,
    now: datetime.datetime | None = None,
    point_in_time: bool = True,
) -> dict[str, Data]:
    """The raw counts of each unit for the period, by unit key (a handful of queries for any number of
    units: grouped by agency, then added up per unit)."""
    members = {unit.key: agency_ids(unit) for unit in units}
    everyone: set[int] = set().union(*members.values()) if members else set()
    per_agency: dict[int, Data] = {pk: Data() for pk in everyone}
    for row in _sums(everyone, period, ["agency_id"], field_id=field_id, procedure_id=procedure_id):
        data = per_agency[row["agency_id"]]
        for name in MEASURES:
            data.sums[name] += row[name]
    procedures, offered = _catalogue(everyone, field_id=field_id, procedure_id=procedure_id)
    for agency, pids in offered.items():
        per_agency[agency].procedures = {pid: procedures[pid] for pid in pids}
    for row in _sums(
        everyone,
        period,
        ["agency_id", "procedure_id"],
        field_id=field_id,
        procedure_id=procedure_id,
        measures=["received_online"],
    ):
        if row["received_online"]:
            per_agency[row["agency_id"]].online_used.add(row["procedure_id"])
    if point_in_time:
        now = now or timezone.now()
        counted = open_counts(everyone, "agency_id", now, field_id=field_id, procedure_id=procedure_id)
        for pk in everyone:
            per_agency[pk].in_progress, per_agency[pk].overdue_now = counted.get(pk, (0, 0))
    result = {}
    for unit in units:
        total = Data()
        for pk in members[unit.key]:
            total.add(per_agency[pk])
        result[unit.key] = total
    return result


# -- figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    group: str
    numerator: int | Decimal
    denominator: int | None
    value: int | Decimal | None
    kind: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "group": self.group,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    group: str
    kind: str
    numerator: str  # a count of Data.count, or "days:<seconds measure>"
    denominator: str | None = None
    point_in_time: bool = False  # counted now, whatever the period
    catalogue: bool = False  # from the catalogue as it is now

    def figure(self, data: Data) -> Figure | None:
        if self.point_in_time and data.in_progress is None:
            return None
        den = data.count(self.denominator) if self.denominator else None
        if self.kind == DAYS:
            num: int | Decimal = _round(Decimal(data.count(self.numerator)) / 86400, Decimal("0.0001"))
            value: int | Decimal | None = _round(Decimal(num) / den) if den else None
        else:
            num = data.count(self.numerator)
            if self.kind == COUNT:
                value = num
            elif self.kind == PERCENT:
                value = _round(Decimal(100 * num) / den) if den else None
            else:  # average
                value = _round(Decimal(num) / den) if den else None
        return Figure(self.code, str(self.name), self.group, num, den, value, self.kind)


INDICATORS = [
    # procedures (the catalogue as it is now; "used" in the period)
    Indicator(
        "procedures_total",
        _("Tổng số thủ tục hành chính"),
        "procedures",
        COUNT,
        "procedures_total",
        catalogue=True,
    ),
    Indicator(
        "procedures_online",
        _("Thủ tục cung cấp trực tuyến"),
        "procedures",
        COUNT,
        "procedures_online",
        catalogue=True,
    ),
    Indicator(
        "procedures_full_online",
        _("Thủ tục trực tuyến toàn trình"),
        "procedures",
        COUNT,
        "procedures_full_online",
        catalogue=True,
    ),
    Indicator(
        "procedures_partial_online",
        _("Thủ tục trực tuyến một phần"),
        "procedures",
        COUNT,
        "procedures_partial_online",
        catalogue=True,
    ),
    Indicator(
        "procedures_online_share",
        _("Tỷ lệ thủ tục trực tuyến"),
        "procedures",
        PERCENT,
        "procedures_online",
        "procedures_total",
        catalogue=True,
    ),
    Indicator(
        "procedures_online_used",
        _("Thủ tục trực tuyến có phát sinh hồ sơ trực tuyến"),
        "procedures",
        PERCENT,
        "procedures_online_used",
        "procedures_online",
    ),
    # dossiers
    Indicator("received", _("Hồ sơ tiếp nhận"), "dossiers", COUNT, "received"),
    Indicator("received_online", _("Tiếp nhận trực tuyến"), "dossiers", COUNT, "received_online"),
    Indicator("received_counter", _("Tiếp nhận trực tiếp"), "dossiers", COUNT, "received_counter"),
    Indicator("received_post", _("Tiếp nhận qua bưu chính"), "dossiers", COUNT, "received_post"),
    Indicator(
        "online_share", _("Tỷ lệ hồ sơ trực tuyến"), "dossiers", PERCENT, "received_online", "received"
    ),
    Indicator("in_progress", _("Đang giải quyết"), "dossiers", COUNT, "in_progress", point_in_time=True),
    Indicator("overdue_now", _("Đang quá hạn"), "dossiers", COUNT, "overdue_now", point_in_time=True),
    Indicator("done", _("Đã giải quyết"), "dossiers", COUNT, "done"),
    Indicator("done_on_time", _("Giải quyết đúng hạn"), "dossiers", COUNT, "done_on_time"),
    Indicator("done_late", _("Giải quyết quá hạn"), "dossiers", COUNT, "done_late"),
    Indicator("on_time_share", _("Tỷ lệ giải quyết đúng hạn"), "dossiers", PERCENT, "done_on_time", "done"),
    Indicator("supplement_requests", _("Yêu cầu bổ sung"), "dossiers", COUNT, "supplement_requests"),
    Indicator("refused", _("Từ chối tiếp nhận"), "dossiers", COUNT, "refused"),
    Indicator("withdrawn", _("Công dân rút hồ sơ"), "dossiers", COUNT, "withdrawn"),
    Indicator("stopped", _("Dừng xử lý"), "dossiers", COUNT, "stopped"),
    Indicator("synced_national", _("Đồng bộ lên Cổng DVC quốc gia"), "dossiers", COUNT, "synced_national"),
    Indicator(
        "synced_national_share",
        _("Tỷ lệ hồ sơ đồng bộ lên Cổng DVC quốc gia"),
        "dossiers",
        PERCENT,
        "synced_national",
        "received",
    ),
    Indicator(
        "average_processing_days",
        _("Thời gian giải quyết trung bình (ngày)"),
        "dossiers",
        DAYS,
        "processing_seconds",
        "done",
    ),
    # fees
    Indicator("fee_bearing", _("Hồ sơ phải nộp phí, lệ phí"), "fees", COUNT, "fee_bearing"),
    Indicator("paid_online", _("Hồ sơ thanh toán trực tuyến"), "fees", COUNT, "paid_online"),
    Indicator(
        "paid_online_share", _("Tỷ lệ thanh toán trực tuyến"), "fees", PERCENT, "paid_online", "fee_bearing"
    ),
    # results, digitisation
    Indicator("returned", _("Đã trả kết quả"), "results", COUNT, "returned"),
    Indicator("results_electronic", _("Kết quả điện tử"), "results", COUNT, "results_electronic"),
    Indicator(
        "results_electronic_share",
        _("Tỷ lệ kết quả điện tử"),
        "results",
        PERCENT,
        "results_electronic",
        "returned",
    ),
    Indicator("results_signed", _("Kết quả ký số"), "results", COUNT, "results_signed"),
    Indicator(
        "results_signed_share",
        _("Tỷ lệ kết quả được ký số"),
        "results",
        PERCENT,
        "results_signed",
        "results_electronic",
    ),
    Indicator("digitised", _("Hồ sơ được số hóa"), "results", COUNT, "digitised"),
    Indicator("digitised_share", _("Tỷ lệ hồ sơ được số hóa"), "results", PERCENT, "digitised", "received"),
    Indicator("reused", _("Hồ sơ tái sử dụng dữ liệu số hóa"), "results", COUNT, "reused"),
    Indicator(
        "reused_share", _("Tỷ lệ tái sử dụng dữ liệu số hóa"), "results", PERCENT, "reused", "received"
    ),
    # satisfaction (motcua.reports.adapters: the surveys app)
    Indicator("ratings", _("Lượt đánh giá"), "satisfaction", COUNT, "ratings"),
    Indicator("satisfied_share", _("Tỷ lệ hài lòng"), "satisfaction", PERCENT, "satisfied", "ratings"),
    Indicator(
        "answer_1_average", _("Điểm trung bình câu hỏi 1"), "satisfaction", AVERAGE, "answers_1", "ratings"
    ),
    Indicator(
        "answer_2_average", _("Điểm trung bình câu hỏi 2"), "satisfaction", AVERAGE, "answers_2", "ratings"
    ),
    Indicator(
        "answer_3_average", _("Điểm trung bình câu hỏi 3"), "satisfaction", AVERAGE, "answers_3", "ratings"
    ),
    Indicator(
        "answer_4_average", _("Điểm trung bình câu hỏi 4"), "satisfaction", AVERAGE, "answers_4", "ratings"
    ),
]
BY_CODE = {i.code: i for i in INDICATORS}


def _field_id(value: str | int | Field | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, Field):
        return value.pk
    if isinstance(value, int):
        return value
    found = Field.objects.filter(code=value).values_list("pk", flat=True).first()
    if found is None:
        raise LookupError(value)
    return found


def _procedure_id(value: str | int | Procedure | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, Procedure):
        return value.pk
    if isinstance(value, int):
        return value
    found = Procedure.objects.filter(code=value).values_list("pk", flat=True).first()
    if found is None:
        raise LookupError(value)
    return found


def figures_of(data: Data) -> list[Figure]:
    return [f for f in (i.figure(data) for i in INDICATORS) if f is not None]


def indicators(
    unit: ReportUnit,
    period: Period,
    *,
    field: str | int | Field | None = None,
    procedure: str | int | Procedure | None = None,
    now: datetime.datetime | None = None,
) -> list[Figure]:
    """Every indicator of the unit for the period (issue 11 §1), each with its numerator and denominator."""
    data = gather([unit], period, field_id=_field_id(field), procedure_id=_procedure_id(procedure), now=now)
    return figures_of(data[unit.key])


@dataclass(frozen=True)
class Compared:
    figure: Figure
    previous: Figure | None
    change: Decimal | int | None  # value − previous value


def compare(unit: ReportUnit, period: Period, **filters: Any) -> list[Compared]:
    """The unit's figures for the period beside the previous period's (point-in-time figures have none)."""
    current = indicators(unit, period, **filters)
    before = {f.code: f for f in indicators(unit, period.previous(), **filters)}
    result = []
    for f in current:
        previous = None if BY_CODE[f.code].point_in_time or BY_CODE[f.code].catalogue else before.get(f.code)
        change = None
        if previous is not None and f.value is not None and previous.value is not None:
            change = f.value - previous.value
        result.append(Compared(f, previous, change))
    return result


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    figures: list[Figure]

    def value(self, code: str) -> int | Decimal | None:
        return next((f.value for f in self.figures if f.code == code), None)


def monthly_trend(unit: ReportUnit, end: datetime.date, months: int = 12, **filters: Any) -> list[TrendPoint]:
    """The figures of each of the ``months`` months ending with the month of ``end`` (that month
    counted up to ``end``), oldest first. No point-in-time figures (they are not history)."""
    field_id, procedure_id = _field_id(filters.get("field")), _procedure_id(filters.get("procedure"))
    periods = []
    y, m = end.year, end.month
    for _i in range(months):
        month = Period.month(y, m)
        periods.append(Period(month.start, min(month.end, end)))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    periods.reverse()
    span = Period(periods[0].start, periods[-1].end)
    agencies = agency_ids(unit)
    by_month: dict[datetime.date, Data] = {p.start: Data() for p in periods}
    for row in _sums(agencies, span, ["bucket"], field_id=field_id, procedure_id=procedure_id):
        bucket = by_month[_day(row["bucket"]).replace(day=1)]
        for name in MEASURES:
            bucket.sums[name] += row[name]
    procedures, _offered = _catalogue(set(agencies), field_id=field_id, procedure_id=procedure_id)
    used: dict[datetime.date, set[int]] = {p.start: set() for p in periods}
    for row in _sums(
        agencies,
        span,
        ["bucket", "procedure_id"],
        field_id=field_id,
        procedure_id=procedure_id,
        measures=["received_online"],
    ):
        if row["received_online"]:
            used[_day(row["bucket"]).replace(day=1)].add(row["procedure_id"])
    points = []
    for p in periods:
        data = by_month[p.start]
        data.procedures = procedures
        data.online_used = used[p.start]
        points.append(TrendPoint(p, figures_of(data)))
    return points


@dataclass(frozen=True)
class FieldFigures:
    field_id: int
    name: str
    figures: list[Figure]


def by_field(unit: ReportUnit, period: Period) -> list[FieldFigures]:
    """The unit's figures per field (lĩnh vực), by name; fields with no procedure and no dossier left out."""
    agencies = agency_ids(unit)
    data: dict[int, Data] = {}
    for row in _sums(agencies, period, ["field_id"]):
        d = data.setdefault(row["field_id"], Data())
        for name in MEASURES:
            d.sums[name] += row[name]
    procedures, _offered = _catalogue(set(agencies), field_id=None, procedure_id=None)
    for pid, info in procedures.items():
        data.setdefault(info.field_id, Data()).procedures[pid] = info
    for row in _sums(agencies, period, ["field_id", "procedure_id"], measures=["received_online"]):
        if row["received_online"]:
            data.setdefault(row["field_id"], Data()).online_used.add(row["procedure_id"])
    for field_id, (n, late) in open_counts(agencies, "field_id", timezone.now()).items():
        d = data.setdefault(field_id, Data())
        d.in_progress, d.overdue_now = n, late
    names = dict(Field.objects.filter(pk__in=data).values_list("pk", "name"))
    result = []
    for field_id, d in data.items():
        if d.in_progress is None:
            d.in_progress = d.overdue_now = 0
        result.append(FieldFigures(field_id, names.get(field_id, "?"), figures_of(d)))
    return sorted(result, key=lambda f: f.name)


# -- drill-down --------------------------------------------------------------------------------------


class NotDossiers(ValueError):
    """The figure counts procedures (or is not a count of dossiers): there is nothing to list."""


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return start, end


# Which dossiers each count is made of: the facts' filter for the period (a callable of the period).
_RECEIVED = {
    "received": Q(),
    "received_online": Q(channel="online"),
    "received_counter": Q(channel="counter"),
    "received_post": Q(channel="post"),
    "published": Q(published=True),
    "synced_national": Q(synced_national=True),
    "fee_bearing": Q(fee_bearing=True),
    "paid_online": Q(paid_online=True),
    "digitised": Q(digitised=True),
    "reused": Q(reused=True),
}
_FINISHED = {
    "done": Q(),
    "done_on_time": Q(on_time=True),
    "done_late": Q(on_time=False),
    "processing_seconds": Q(),
    "done_without_supplement": Q(had_supplement=False),
    "done_single_agency": Q(consulted=False),
}
_RETURNED = {
    "returned": Q(),
    "results_electronic": Q(result_electronic=True),
    "results_signed": Q(result_electronic=True, result_signed=True),
}


def _count_filter(name: str, period: Period, now: datetime.datetime) -> Q | Callable[[QuerySet], QuerySet]:
    span = (period.start, period.end)
    if name in _RECEIVED:
        return Q(received_day__range=span) & _RECEIVED[name]
    if name in _FINISHED:
        return Q(finished_day__range=span) & _FINISHED[name]
    if name in _RETURNED:
        return Q(returned_day__range=span) & _RETURNED[name]
    closed = {v: k for k, v in CLOSED.items()}
    if name in closed:
        return Q(closed_day__range=span, status=closed[name])
    if name == "in_progress":
        return Q(is_open=True)
    if name == "overdue_now":
        return Q(is_open=True, counts_overdue=True, due_at__lt=now)
    if name == "supplement_requests":
        start, end = _bounds(period)
        asked = Action.objects.filter(type=ActionType.REQUEST_SUPPLEMENT, at__gte=start, at__lt=end)
        return Q(dossier_id__in=asked.values("dossier_id"))
    if name in ("ratings", "satisfied", "answers_1", "answers_2", "answers_3", "answers_4"):

        def rated(facts: QuerySet) -> QuerySet:
            keep = [
                pk
                for pk, rating in facts.exclude(rating=[]).values_list("pk", "rating")
                if period.start.isoformat() <= rating[0] <= period.end.isoformat()
                and (name != "satisfied" or rating[1])
            ]
            return facts.filter(pk__in=keep)

        return rated
    raise NotDossiers(name)


def dossiers_behind(
    unit: ReportUnit,
    period: Period,
    code: str,
    *,
    part: str = "numerator",
    field: str | int | Field | None = None,
    procedure: str | int | Procedure | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Dossier]:
    """The dossiers one number counts (the numerator of indicator ``code``, or its denominator with
    ``part="denominator"``): a supplement-request count may count a dossier more than once (one per
    request), every other count once per dossier. ``NotDossiers`` for procedure counts."""
    indicator = BY_CODE.get(code)
    if indicator is None:
        raise KeyError(code)
    if indicator.catalogue or indicator.code == "procedures_online_used":
        raise NotDossiers(code)
    name = indicator.numerator if part == "numerator" else indicator.denominator
    if name is None:
        raise NotDossiers(code)
    facts = DossierFacts.objects.filter(agency_id__in=agency_ids(unit))
    field_id, procedure_id = _field_id(field), _procedure_id(procedure)
    if field_id is not None:
        facts = facts.filter(field_id=field_id)
    if procedure_id is not None:
        facts = facts.filter(procedure_id=procedure_id)
    chosen = _count_filter(name, period, now or timezone.now())
    facts = facts.filter(chosen) if isinstance(chosen, Q) else chosen(facts)
    return Dossier.objects.filter(pk__in=facts.values("dossier_id")).order_by("-received_at", "-id")


# -- scores ------------------------------------------------------------------------------------------


def score(unit: ReportUnit, period: Period, *, version: str | None = None) -> scoring.Score:
    """The Decision 766 score of the unit for the period (motcua.reports.scoring)."""
    data = gather([unit], period, point_in_time=False)[unit.key]
    return scoring.score(data.count, scoring.configuration("d766", version))


def service_quality(unit: ReportUnit, period: Period, *, version: str | None = None) -> scoring.Score:
    """The nine service-quality indicators of Circular 01/2018 art. 13, scored the same way."""
    data = gather([unit], period, point_in_time=False)[unit.key]
    return scoring.score(data.count, scoring.configuration("quality", version))


@dataclass(frozen=True)
class RankRow:
    unit: ReportUnit
    total: Decimal
    rank: int
    previous_rank: int | None
    previous_total: Decimal | None
    score: scoring.Score


def _ranked(
    units: list[ReportUnit], period: Period, config: scoring.Configuration
) -> list[tuple[ReportUnit, scoring.Score, int]]:
    data = gather(units, period, point_in_time=False)
    scored = [(u, scoring.score(data[u.key].count, config)) for u in units]
    scored.sort(key=lambda pair: (-pair[1].total, pair[0].name))
    result, rank, last = [], 0, None
    for position, (unit, s) in enumerate(scored, start=1):
        if s.total != last:
            rank, last = position, s.total  # equal totals share a rank (1, 2, 2, 4)
        result.append((unit, s, rank))
    return result


def ranking(kind: str, period: Period, *, version: str | None = None) -> list[RankRow]:
    """The units of one kind in order of their Decision 766 total, with their place in the previous period."""
    units = units_of_kind(kind)
    config = scoring.configuration("d766", version)
    before = {u.key: (s.total, rank) for u, s, rank in _ranked(units, period.previous(), config)}
    rows = []
    for unit, s, rank in _ranked(units, period, config):
        previous_total, previous_rank = before.get(unit.key, (None, None))
        rows.append(RankRow(unit, s.total, rank, previous_rank, previous_total, s))
    return rows


# -- targets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    unit: ReportUnit
    indicator: str
    name: str
    target: Decimal
    value: int | Decimal | None
    behind: bool


def target_progress(
    unit: ReportUnit, year: int, *, today: datetime.date | None = None
) -> list[TargetProgress]:
    """The year's targets of the unit and of the units below it that have targets, with the figure so far
    (the year up to today) and whether it is behind. The units behind come first."""
    today = today or timezone.localdate()
    end = min(datetime.date(year, 12, 31), today)
    if end < datetime.date(year, 1, 1):
        end = datetime.date(year, 1, 1)
    period = Period(datetime.date(year, 1, 1), end)
    mine = agency_ids(unit)
    targets = list(Target.objects.filter(year=year).order_by("unit_key", "indicator"))
    units: dict[str, ReportUnit] = {}
    for target in targets:
        if target.unit_key in units:
            continue
        try:
            candidate = unit_from_key(target.unit_key)
        except LookupError:
            continue
        if candidate.key == unit.key or (agency_ids(candidate) and agency_ids(candidate) <= mine):
            units[target.unit_key] = candidate
    data = gather(list(units.values()), period) if units else {}
    result = []
    for target in targets:
        who = units.get(target.unit_key)
        indicator = BY_CODE.get(target.indicator)
        if who is None or indicator is None:
            continue
        figure = indicator.figure(data[who.key])
        value = figure.value if figure is not None else None
        behind = value is None or Decimal(value) < target.value
        result.append(TargetProgress(who, indicator.code, str(indicator.name), target.value, value, behind))
    result.sort(key=lambda t: (not t.behind, t.unit.name, t.indicator))
    return result


# -- the national portal's shape ---------------------------------------------------------------------


def national_evaluation(kind: str, period: Period, *, version: str | None = None) -> list[dict[str, Any]]:
    """The national portal's evaluation items for the units of one kind: {departmentCode, score,
    totalReceived, totalOnTime, totalOverdue} (INTEGRATIONS.md §6). ``totalOnTime`` and
    ``totalOverdue`` are the dossiers done on time and late in the period."""
    units = units_of_kind(kind)
    config = scoring.configuration("d766", version)
    data = gather(units, period, point_in_time=False)
    items = []
    for unit in units:
        d = data[unit.key]
        items.append(
            {
                "departmentCode": unit.key,
                "departmentName": unit.name,
                "score": float(scoring.score(d.count, config).total),
                "totalReceived": d.count("received"),
                "totalOnTime": d.count("done_on_time"),
                "totalOverdue": d.count("done_late"),
            }
        )
    return items


# -- the public headline -----------------------------------------------------------------------------

HEADLINE = [
    "procedures_total",
    "procedures_online_share",
    "received",
    "online_share",
    "on_time_share",
    "paid_online_share",
    "results_electronic_share",
    "satisfied_share",
]


def headline(period: Period) -> tuple[ReportUnit, list[Figure]]:
    """The province's headline figures for the period, which anyone may read (motcua.reports.access)."""
    from motcua.reports.units import province_unit

    unit = province_unit()
    data = gather([unit], period, point_in_time=False)[unit.key]
    return unit, [f for f in (BY_CODE[c].figure(data) for c in HEADLINE) if f is not None]
