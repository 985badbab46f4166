"""Staff report pages (báo cáo): the dashboard of a unit, the dossiers behind a number, the exports
(xlsx, CSV, PDF) and the yearly targets.

Who may read which unit is motcua.reports.access (the API asks the same); every figure comes from
motcua.reports.selectors through motcua.reports.views_data, so the page and its exports agree.
"""

import contextlib
import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.backoffice.views import staff_required
from motcua.dossiers.selectors import visible_to
from motcua.reports import access, exports, scoring, selectors, targets, views_data
from motcua.reports.models import Target
from motcua.reports.periods import Period, PeriodError
from motcua.reports.units import ReportUnit, UnknownUnit, unit_from_key

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# The longest period shown at once (ten years), as the API allows.
MAX_DAYS = 3660
DRILL_PAGE_SIZE = 25
EXPORTS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
# Chart colours: each reads on white, and every series also has its label and its table.
BLUE, GREEN, RED, AMBER, GREY = "#0b4f9c", "#0a6b2d", "#a3120f", "#b07800", "#6b7480"
KIND_CHOICES = [
    ("month", gettext_lazy("Tháng")),
    ("quarter", gettext_lazy("Quý")),
    ("year", gettext_lazy("Năm")),
    ("custom", gettext_lazy("Khoảng ngày")),
]


class ReportFilterForm(forms.Form):
    """The unit and the period of a report, read from the query string (a GET form, no script needed)."""

    unit = forms.ChoiceField(label=gettext_lazy("Đơn vị"))
    kind = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=KIND_CHOICES)
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Tháng"), coerce=int, choices=[(m, str(m)) for m in range(1, 13)]
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quý"), coerce=int, choices=[(q, str(q)) for q in range(1, 5)]
    )
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, units: list[ReportUnit], today: datetime.date):
        data = data.copy()
        data.setdefault("unit", units[0].key if units else "")
        data.setdefault("kind", "month")
        data.setdefault("year", str(today.year))
        data.setdefault("month", str(today.month))
        data.setdefault("quarter", str((today.month - 1) // 3 + 1))
        super().__init__(data)
        self.units = {u.key: u for u in units}
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [(u.key, u.name) for u in units]
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = cleaned["kind"]
        try:
            if kind == "month":
                period = Period.month(cleaned["year"], cleaned["month"])
            elif kind == "quarter":
                period = Period.quarter(cleaned["year"], cleaned["quarter"])
            elif kind == "year":
                period = Period.year(cleaned["year"])
            else:
                start, end = cleaned.get("start"), cleaned.get("end")
                if start is None:
                    self.add_error("start", _("Hãy nhập ngày bắt đầu của khoảng ngày."))
                if end is None:
                    self.add_error("end", _("Hãy nhập ngày kết thúc của khoảng ngày."))
                if start is None or end is None:
                    return cleaned
                period = Period(start, end)
        except PeriodError as exc:
            self.add_error("end", str(exc))
            return cleaned
        if period.days > MAX_DAYS:
            self.add_error("end", _("Kỳ báo cáo tối đa 10 năm."))
            return cleaned
        cleaned["period"] = period
        return cleaned

    @property
    def chosen_unit(self) -> ReportUnit:
        return self.units[self.cleaned_data["unit"]]

    @property
    def chosen_period(self) -> Period:
        return self.cleaned_data["period"]

    def messages(self) -> list[str]:
        """Every error, each naming its field."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in map(str, errors):
                lines.append(error if not label or error.startswith(str(label)) else f"{label}: {error}")
        return lines


def period_query(unit: ReportUnit, period: Period, **extra) -> str:
    """The query string that names exactly this unit and period (as a custom span: its kind is read
    back from the dates)."""
    kind = period.kind
    query: dict[str, object] = {"unit": unit.key, "kind": kind, "year": period.start.year}
    if kind == "month":
        query["month"] = period.start.month
    elif kind == "quarter":
        query["quarter"] = (period.start.month - 1) // 3 + 1
    elif kind == "custom":
        query.update(start=period.start.isoformat(), end=period.end.isoformat())
    query.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(query)


class Refused(Exception):
    """The person may not read the unit asked for."""


def _form(request):
    """The filter form on the units the person may read; Refused for a unit they may not read."""
    units = views_data.readable_units(request.user)
    asked = (request.GET.get("unit") or "").strip()
    if asked and asked not in {u.key for u in units}:
        try:
            unit_from_key(asked)
        except UnknownUnit:
            pass  # the form names the field
        else:
            raise Refused
    return ReportFilterForm(request.GET, units=units, today=timezone.localdate()), units


def _refused(request, status: int = 403):
    return render(
        request,
        "backoffice/reports/refused.html",
        {"section": "reports", "is_province_admin": access.is_province_admin(request.user)},
        status=status,
    )


def _invalid(request, form, units, template: str = "backoffice/reports/dashboard.html"):
    return render(
        request,
        template,
        {
            "section": "reports",
            "form": form,
            "units": units,
            "errors": form.messages(),
            "is_province_admin": access.is_province_admin(request.user),
        },
        status=400,
    )


def _series(label, colour: str, values: list) -> dict:
    return {"label": str(label), "colour": colour, "values": values}


def _chart_data(board: views_data.Dashboard) -> dict:
    """What the charts draw (the same numbers as the tables beside them)."""
    trend, fields, groups = board.trend, board.fields, board.score.groups
    return {
        "trend": {
            "labels": [f"{p.period.start:%m/%Y}" for p in trend],
            "series": [
                _series(_("Tiếp nhận trực tuyến"), BLUE, [p.value("received_online") for p in trend]),
                _series(_("Tiếp nhận trực tiếp"), GREY, [p.value("received_counter") for p in trend]),
                _series(_("Tiếp nhận qua bưu chính"), AMBER, [p.value("received_post") for p in trend]),
            ],
            "line": _series(
                _("Tỷ lệ giải quyết đúng hạn (%)"), GREEN, [_float(p.value("on_time_share")) for p in trend]
            ),
        },
        "fields": {
            "labels": [f.name for f in fields],
            "series": [
                _series(_("Giải quyết đúng hạn"), GREEN, [_value(f.figures, "done_on_time") for f in fields]),
                _series(_("Giải quyết quá hạn"), RED, [_value(f.figures, "done_late") for f in fields]),
            ],
        },
        "score": {
            "labels": [g.code for g in groups],
            "series": [
                _series(_("Điểm đạt"), BLUE, [float(g.points) for g in groups]),
                _series(_("Điểm tối đa"), GREY, [float(g.max) for g in groups]),
            ],
        },
        "ranking": {
            "labels": [r.unit.name for r in board.ranking],
            "series": [_series(_("Tổng điểm"), BLUE, [float(r.total) for r in board.ranking])],
            "current": next((i for i, r in enumerate(board.ranking) if r.unit.key == board.unit.key), -1),
        },
    }


def _float(value) -> float | None:
    return None if value is None else float(value)


def _value(figures: list[selectors.Figure], code: str):
    return next((_float(f.value) for f in figures if f.code == code), None)


@staff_required
@require_GET
def dashboard(request):
    try:
        form, units = _form(request)
    except Refused:
        return _refused(request)
    if not units:
        return _refused(request)
    if not form.is_valid():
        return _invalid(request, form, units)
    unit, period = form.chosen_unit, form.chosen_period
    board = views_data.dashboard(unit, period)
    readable = {u.key for u in units}
    query = period_query(unit, period)
    drill = {name: f"code={link.code}&part={link.part}" for name, link in views_data.drill_targets().items()}
    rules = {
        c.code: (c.numerator, c.denominator)
        for g in scoring.configuration(board.score.index, board.score.version).groups
        for c in g.components
    }
    score_groups = [
        {
            "group": g,
            "components": [
                {
                    "component": c,
                    "numerator": drill.get(rules[c.code][0], ""),
                    "denominator": drill.get(rules[c.code][1], ""),
                    # Seconds of processing against seconds allowed: shown as days.
                    "days": rules[c.code][0].endswith("_seconds"),
                    "numerator_days": Decimal(c.numerator) / 86400,
                    "denominator_days": Decimal(c.denominator) / 86400,
                }
                for c in g.components
            ],
        }
        for g in board.score.groups
    ]
    return render(
        request,
        "backoffice/reports/dashboard.html",
        {
            "section": "reports",
            "form": form,
            "units": units,
            "board": board,
            "query": query,
            "readable": readable,
            "score_groups": score_groups,
            "trend_rows": [{"point": p, "query": period_query(unit, p.period)} for p in board.trend],
            "field_rows": [{"field": f, "values": {x.code: x for x in f.figures}} for f in board.fields],
            "charts": _chart_data(board),
            "kind_name": views_data.kind_name(board.ranking_kind),
            "is_province_admin": access.is_province_admin(request.user),
            "ranking_links": {
                r.unit.key: period_query(r.unit, period) for r in board.ranking if r.unit.key in readable
            },
        },
    )


@staff_required
@require_GET
def drill_down(request):
    """The dossiers behind one number of a dashboard, newest first; a dossier the person may open
    links to its page (the dossier's own access rules apply there)."""
    try:
        form, units = _form(request)
    except Refused:
        return _refused(request)
    if not units:
        return _refused(request)
    template = "backoffice/reports/dossiers.html"
    code = (request.GET.get("code") or "").strip()
    part = request.GET.get("part") or "numerator"
    field_raw = (request.GET.get("field") or "").strip()
    if form.is_valid():
        if part not in ("numerator", "denominator") or not views_data.may_drill(code, part):
            form.add_error(None, _("Chỉ số: không có danh sách hồ sơ cho số liệu này."))
        if field_raw and not field_raw.isdigit():
            form.add_error(None, _("Lĩnh vực: mã lĩnh vực không hợp lệ."))
    if not form.is_valid():
        return _invalid(request, form, units, template)
    unit, period = form.chosen_unit, form.chosen_period
    field_id = int(field_raw) if field_raw else None
    indicator = selectors.BY_CODE[code]
    dossiers = selectors.dossiers_behind(unit, period, code, part=part, field=field_id).select_related(
        "procedure_version", "receiving_agency"
    )
    page = Paginator(dossiers, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [d.pk for d in page.object_list]
    openable = set(visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    field_name = ""
    if field_id is not None:
        from motcua.catalog.models import Field

        field_name = Field.objects.filter(pk=field_id).values_list("name", flat=True).first() or ""
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    return render(
        request,
        template,
        {
            "section": "reports",
            "form": form,
            "units": units,
            "unit": unit,
            "period": period,
            "indicator": indicator,
            "part": part,
            "count_name": indicator.name
            if part == "numerator"
            else _("mẫu số của %(name)s") % {"name": indicator.name},
            "field_name": field_name,
            "page": page,
            "rows": [
                {"dossier": d, "openable": d.pk in openable, "overdue": d.is_overdue(now)} for d in page
            ],
            "query": query.urlencode(),
            "back": period_query(unit, period),
        },
    )


def _private(response: HttpResponseBase, *, filename: str, inline: bool) -> HttpResponseBase:
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def export(request, fmt: str):
    if fmt not in EXPORTS:
        return HttpResponse(status=404)
    try:
        form, units = _form(request)
    except Refused:
        return _refused(request)
    if not units:
        return _refused(request)
    if not form.is_valid():
        return _invalid(request, form, units)
    unit, period = form.chosen_unit, form.chosen_period
    # A report sent upwards is in Vietnamese, whatever the page's language.
    with translation.override("vi"):
        board = views_data.dashboard(unit, period)
        name = f"bao-cao-{unit.key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
        response: HttpResponseBase
        if fmt == "xlsx":
            response = HttpResponse(exports.to_xlsx(board), content_type=EXPORTS[fmt])
        elif fmt == "pdf":
            response = HttpResponse(exports.to_pdf(board), content_type=EXPORTS[fmt])
        else:
            # A byte-order mark first, so that spreadsheet programs read the file as UTF-8.
            lines = [line.encode("utf-8") for line in exports.to_csv(board)]
            response = StreamingHttpResponse(iter(["\ufeff".encode(), *lines]), content_type=EXPORTS[fmt])
    return _private(response, filename=name, inline=fmt == "pdf")


# ---------------------------------------------------------------------------------------------
# Targets (chỉ tiêu năm): province administrators only


def _indicator_choices() -> list[tuple[str, str]]:
    return [(i.code, str(i.name)) for i in selectors.INDICATORS if not i.point_in_time]


class TargetForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)
    unit = forms.ChoiceField(label=gettext_lazy("Đơn vị"))
    indicator = forms.ChoiceField(label=gettext_lazy("Chỉ tiêu"))
    value = forms.CharField(
        label=gettext_lazy("Mục tiêu"),
        max_length=20,
        help_text=gettext_lazy(
            "Phần trăm cho tỷ lệ (30 là 30 %), số hồ sơ hoặc số ngày cho các chỉ số khác."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "aria-describedby": "id_value_help"}),
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, units: list[ReportUnit], **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        indicator_field = self.fields["indicator"]
        assert isinstance(unit_field, forms.ChoiceField) and isinstance(indicator_field, forms.ChoiceField)
        unit_field.choices = [(u.key, u.name) for u in units]
        indicator_field.choices = _indicator_choices()

    def clean_value(self) -> Decimal:
        raw = (self.cleaned_data.get("value") or "").strip().replace(" ", "").replace("%", "")
        # Vietnamese writes 30,5; a dot is also taken as the decimal point.
        raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Mục tiêu phải là một số, ví dụ 30 hoặc 95,5.")) from None
        if not value.is_finite() or value < 0:
            raise forms.ValidationError(_("Mục tiêu phải là một số không âm."))
        if value >= Decimal("1e10"):
            raise forms.ValidationError(_("Mục tiêu quá lớn."))
        return value.quantize(Decimal("0.0001"))

    def clean(self):
        cleaned = super().clean()
        indicator = selectors.BY_CODE.get(cleaned.get("indicator") or "")
        value = cleaned.get("value")
        if (
            indicator is not None
            and value is not None
            and indicator.kind == selectors.PERCENT
            and value > 100
        ):
            self.add_error("value", _("Mục tiêu của một tỷ lệ không quá 100 (%)."))
        return cleaned


@staff_required
@require_http_methods(["GET", "POST"])
def target_list(request):
    if not access.is_province_admin(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    units = views_data.readable_units(request.user)
    names = {u.key: u.name for u in units}
    indicator_names = dict(_indicator_choices())
    status = 200
    if request.method == "POST" and request.POST.get("remove"):
        with contextlib.suppress(ValueError):  # not a number: nothing to remove
            targets.remove_target(int(request.POST["remove"]), actor=request.user)
        messages.success(request, _("Đã xóa chỉ tiêu."))
        return redirect(f"{reverse('backoffice:report_targets')}?year={year}")
    if request.method == "POST":
        form = TargetForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            targets.set_target(
                year=data["year"],
                unit_key=data["unit"],
                indicator=data["indicator"],
                value=data["value"],
                note=data["note"],
                actor=request.user,
            )
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect(f"{reverse('backoffice:report_targets')}?year={data['year']}")
        status = 400
    else:
        form = TargetForm(initial={"year": year}, units=units)
    rows = [
        {
            "target": t,
            "unit_name": names.get(t.unit_key, t.unit_key),
            "indicator_name": indicator_names.get(t.indicator, t.indicator),
        }
        for t in Target.objects.filter(year=year).order_by("unit_key", "indicator")
    ]
    errors = []
    if form.is_bound and form.errors:
        for name, field_errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors += [(name, f"{label}: {e}" if label else str(e)) for e in field_errors]
    province = units[0] if units else None
    progress = selectors.target_progress(province, year, today=today) if province else []
    return render(
        request,
        "backoffice/reports/targets.html",
        {
            "section": "reports",
            "form": form,
            "errors": errors,
            "year": year,
            "rows": rows,
            "progress": progress,
            "years": range(today.year - 2, today.year + 2),
        },
        status=status,
    )
