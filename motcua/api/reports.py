"""Reports: indicators, the Decision 766 score, rankings and the national portal's evaluation shape.

Every figure comes from motcua.reports.selectors (the aggregates); who may read what is
motcua.reports.access. Dates are local days (Asia/Ho_Chi_Minh), both ends included; a dossier counts
as received in the period when its reception time falls in it.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from motcua.accounts.constants import ClientScope
from motcua.api.auth import BearerToken
from motcua.api.schemas import ErrorOut
from motcua.reports import access, selectors
from motcua.reports.periods import Period, PeriodError
from motcua.reports.scoring import Score
from motcua.reports.units import KINDS, ReportUnit, UnknownUnit, unit_from_key

router = Router(tags=["reports"])

# The longest period asked at once (ten years).
MAX_DAYS = 3660


class Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(422, {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": errors})


class ReportPeriodQuery(Schema):
    start: datetime.date = Field(alias="from", description="First day, YYYY-MM-DD.")
    end: datetime.date = Field(alias="to", description="Last day, YYYY-MM-DD (included).")


class ReportUnitQuery(ReportPeriodQuery):
    unit: str = Field(
        max_length=40,
        description="An agency's code (000.00.12.H59) or dvhc-<code> of an administrative unit (dvhc-08).",
    )


class ReportIndicatorQuery(ReportUnitQuery):
    field: str = Field("", max_length=80, description="Only this field (lĩnh vực) code.")
    procedure: str = Field("", max_length=40, description="Only this procedure code.")


class ReportRankingQuery(ReportPeriodQuery):
    kind: str = Field(
        max_length=40, description="province, commune, district, or an agency kind (department...)."
    )


def _period(q: ReportPeriodQuery) -> Period:
    for name, day in (("from", q.start), ("to", q.end)):
        if not 1900 <= day.year <= 2999:
            raise Invalid({name: [_("Năm phải từ 1900 đến 2999.")]})
    if q.end < q.start:
        raise Invalid({"to": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
    if (q.end - q.start).days >= MAX_DAYS:
        raise Invalid({"to": [_("Kỳ báo cáo tối đa 10 năm.")]})
    try:
        return Period(q.start, q.end)
    except PeriodError as exc:
        raise Invalid({"to": [str(exc)]}) from exc


def _unit(key: str) -> ReportUnit:
    try:
        return unit_from_key(key)
    except UnknownUnit as exc:
        raise Invalid({"unit": [_("Không có cơ quan hoặc đơn vị hành chính với mã này.")]}) from exc


class ReportUnitOut(Schema):
    key: str
    name: str
    kind: str


class ReportPeriodOut(Schema):
    start: datetime.date = Field(serialization_alias="from")
    end: datetime.date = Field(serialization_alias="to")
    label: str


class ReportFigureOut(Schema):
    code: str
    name: str
    group: str
    kind: str = Field(description="count, percent (value 0–100), days or average.")
    numerator: float
    denominator: int | None = Field(description="None for a plain count.")
    value: float | None = Field(description="None when the denominator is 0.")
    previous_value: float | None = Field(description="The previous period's; None for point-in-time figures.")
    change: float | None


class ReportIndicatorsOut(Schema):
    unit: ReportUnitOut
    period: ReportPeriodOut
    previous_period: ReportPeriodOut
    indicators: list[ReportFigureOut]


class ReportComponentOut(Schema):
    code: str
    name: str
    numerator: int
    denominator: int
    ratio: float | None
    target: float
    points: float
    max: float
    note: str


class ReportGroupOut(Schema):
    code: str
    name: str
    points: float
    max: float
    components: list[ReportComponentOut]


class ReportScoreOut(Schema):
    unit: ReportUnitOut
    period: ReportPeriodOut
    index: str
    version: str = Field(description="The scoring configuration's version (motcua/reports/scoring).")
    total: float
    max: float
    groups: list[ReportGroupOut]


class ReportRankOut(Schema):
    unit: ReportUnitOut
    total: float
    rank: int
    previous_rank: int | None
    previous_total: float | None


class ReportRankingOut(Schema):
    kind: str
    period: ReportPeriodOut
    previous_period: ReportPeriodOut
    version: str
    units: list[ReportRankOut]


class ReportEvaluationItem(Schema):
    departmentId: str
    departmentCode: str
    departmentName: str
    score: float
    totalReceived: int
    totalOnTime: int
    totalOverdue: int


class ReportEvaluationOut(Schema):
    timeType: str = Field(description="month, quarter, year or custom, read from the dates.")
    fromDate: datetime.date
    toDate: datetime.date
    items: list[ReportEvaluationItem]


class ReportHeadlineOut(Schema):
    unit: ReportUnitOut
    period: ReportPeriodOut
    indicators: list[ReportFigureOut]


def _unit_out(unit: ReportUnit) -> dict[str, Any]:
    return {"key": unit.key, "name": unit.name, "kind": unit.kind}


def _period_out(period: Period) -> dict[str, Any]:
    return {"start": period.start, "end": period.end, "label": period.label}


def _num(value: int | Decimal | None) -> float | None:
    return None if value is None else float(value)


def _score_out(s: Score) -> dict[str, Any]:
    return {
        "index": s.index,
        "version": s.version,
        "total": float(s.total),
        "max": float(s.max),
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "points": float(g.points),
                "max": float(g.max),
                "components": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "numerator": c.numerator,
                        "denominator": c.denominator,
                        "ratio": _num(c.ratio),
                        "target": float(c.target),
                        "points": float(c.points),
                        "max": float(c.max),
                        "note": c.note,
                    }
                    for c in g.components
                ],
            }
            for g in s.groups
        ],
    }


# People as motcua.reports.access says; API clients with reports.read, for the units of their agencies.
REPORTS = BearerToken(ClientScope.REPORTS_READ)
FORBIDDEN = _("Bạn không có quyền xem báo cáo của đơn vị này.")
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.get("/indicators", response={200: ReportIndicatorsOut, **ERRORS}, auth=REPORTS, by_alias=True)
def indicators(request: HttpRequest, q: Query[ReportIndicatorQuery]):
    """Every indicator of the unit for the period with its numerator and denominator, beside the previous
    period's value (the same length just before: the previous month, quarter, year)."""
    try:
        period, unit = _period(q), _unit(q.unit)
        if not access.may_read(request.auth, unit):
            return Status(403, {"detail": str(FORBIDDEN), "errors": {}})
        compared = selectors.compare(unit, period, field=q.field or None, procedure=q.procedure or None)
    except Invalid as exc:
        return _invalid(exc.errors)
    except LookupError:
        return _invalid({"procedure" if q.procedure else "field": [_("Không có mã này.")]})
    return {
        "unit": _unit_out(unit),
        "period": _period_out(period),
        "previous_period": _period_out(period.previous()),
        "indicators": [
            {
                **c.figure.as_dict(),
                "numerator": float(c.figure.numerator),
                "value": _num(c.figure.value),
                "previous_value": _num(c.previous.value) if c.previous else None,
                "change": _num(c.change),
            }
            for c in compared
        ],
    }


@router.get("/score", response={200: ReportScoreOut, **ERRORS}, auth=REPORTS, by_alias=True)
def score(request: HttpRequest, q: Query[ReportUnitQuery]):
    """The Decision 766 score: six groups (CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH) with their components
    (raw numerator and denominator, target, points) and the total out of 100."""
    try:
        period, unit = _period(q), _unit(q.unit)
    except Invalid as exc:
        return _invalid(exc.errors)
    if not access.may_read(request.auth, unit):
        return Status(403, {"detail": str(FORBIDDEN), "errors": {}})
    return {
        "unit": _unit_out(unit),
        "period": _period_out(period),
        **_score_out(selectors.score(unit, period)),
    }


@router.get("/service-quality", response={200: ReportScoreOut, **ERRORS}, auth=REPORTS, by_alias=True)
def service_quality(request: HttpRequest, q: Query[ReportUnitQuery]):
    """The nine service-quality indicators of Circular 01/2018 art. 13, scored like the 766 components."""
    try:
        period, unit = _period(q), _unit(q.unit)
    except Invalid as exc:
        return _invalid(exc.errors)
    if not access.may_read(request.auth, unit):
        return Status(403, {"detail": str(FORBIDDEN), "errors": {}})
    s = selectors.service_quality(unit, period)
    return {"unit": _unit_out(unit), "period": _period_out(period), **_score_out(s)}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Invalid(
            {"kind": [_("Loại đơn vị không có. Dùng một trong: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]}
        )
    return kind


@router.get("/ranking", response={200: ReportRankingOut, **ERRORS}, auth=REPORTS, by_alias=True)
def ranking(request: HttpRequest, q: Query[ReportRankingQuery]):
    """The units of one kind in order of their Decision 766 total, with their rank and total in the
    previous period (equal totals share a rank)."""
    try:
        period, kind = _period(q), _kind(q.kind)
    except Invalid as exc:
        return _invalid(exc.errors)
    if not access.may_rank(request.auth):
        return Status(403, {"detail": str(FORBIDDEN), "errors": {}})
    rows = selectors.ranking(kind, period)
    return {
        "kind": kind,
        "period": _period_out(period),
        "previous_period": _period_out(period.previous()),
        "version": rows[0].score.version if rows else "",
        "units": [
            {
                "unit": _unit_out(r.unit),
                "total": float(r.total),
                "rank": r.rank,
                "previous_rank": r.previous_rank,
                "previous_total": _num(r.previous_total),
            }
            for r in rows
        ],
    }


@router.get("/evaluation", response={200: ReportEvaluationOut, **ERRORS}, auth=REPORTS)
def evaluation(request: HttpRequest, q: Query[ReportRankingQuery]):
    """The national portal's evaluation answer for the units of one kind: items {departmentCode, score,
    totalReceived, totalOnTime, totalOverdue}; totalOnTime and totalOverdue: done on time and late in the
    period."""
    try:
        period, kind = _period(q), _kind(q.kind)
    except Invalid as exc:
        return _invalid(exc.errors)
    if not access.may_rank(request.auth):
        return Status(403, {"detail": str(FORBIDDEN), "errors": {}})
    items = selectors.national_evaluation(kind, period)
    return {
        "timeType": period.kind,
        "fromDate": period.start,
        "toDate": period.end,
        "items": [{**item, "departmentId": item["departmentCode"]} for item in items],
    }


@router.get("/headline", response={200: ReportHeadlineOut, 422: ErrorOut}, by_alias=True)
def headline(request: HttpRequest, q: Query[ReportPeriodQuery]):
    """The province's headline figures for the period: public, no login needed."""
    try:
        period = _period(q)
    except Invalid as exc:
        return _invalid(exc.errors)
    unit, figures = selectors.headline(period)
    return {
        "unit": _unit_out(unit),
        "period": _period_out(period),
        "indicators": [
            {
                **f.as_dict(),
                "numerator": float(f.numerator),
                "value": _num(f.value),
                "previous_value": None,
                "change": None,
            }
            for f in figures
        ],
    }
