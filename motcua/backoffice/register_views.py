"""Staff pages for forms 06 and 07 of Circular 03/2025 Appendix I: a dossier's process control slip
(printed on demand) and a reception unit's dossier register (sổ theo dõi hồ sơ), on screen, in PDF,
xlsx and CSV.

Reads only: the slip's rows come from motcua.dossiers.control_slip, the register's lines from
motcua.dossiers.register (which decides who may read which unit's register).
"""

import contextlib
import datetime
import uuid

from django import forms
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.accounts import access_log
from motcua.agencies.models import Agency
from motcua.backoffice.views import staff_required
from motcua.dossiers import notices, register, selectors
from motcua.dossiers.models import Dossier

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
EXPORTS = {
    "pdf": ("application/pdf", register.PDF_LIMIT),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", register.EXPORT_LIMIT),
    "csv": ("text/csv; charset=utf-8", register.EXPORT_LIMIT),
}


def _private(response: HttpResponseBase, *, filename: str, inline: bool) -> HttpResponseBase:
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Form 06: the process control slip of a dossier


def _dossier(user, ref: str) -> Dossier:
    """The dossier by its code or public id, if ``user`` may see it (404 otherwise)."""
    try:
        return selectors.get_visible(user, public_id=uuid.UUID(ref))
    except ValueError:
        return selectors.get_visible(user, code=ref.strip() or "-")


@staff_required
@require_GET
def control_slip(request, ref: str):
    """Form 06 as it stands now, for whoever may see the dossier; built from its history, not stored."""
    dossier = _dossier(request.user, ref)
    pdf = notices.render_control_slip(dossier, printed_at=timezone.now())
    access_log.record_read(request, purpose="backoffice:control_slip", dossiers=[dossier])
    name = f"mau-06-{dossier.code or dossier.public_id}.pdf"
    return _private(HttpResponse(pdf, content_type="application/pdf"), filename=name, inline=True)


# ---------------------------------------------------------------------------------------------
# Form 07: the dossier register of a reception unit


class RegisterFilterForm(forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("Đơn vị tiếp nhận"))
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, agencies: list[Agency], today: datetime.date):
        data = data.copy()
        data.setdefault("agency", agencies[0].code if agencies else "")
        # No day given: this month. One day given: its month, from or up to it (shown in both boxes).
        given = data.get("start") or data.get("end")
        month = register.Period.month_of(today)
        if given and not (data.get("start") and data.get("end")):
            with contextlib.suppress(forms.ValidationError):  # a bad day is reported by its field
                month = register.Period.month_of(self.base_fields["start"].clean(given))
        data["start"] = data.get("start") or month.first.isoformat()
        data["end"] = data.get("end") or month.last.isoformat()
        super().__init__(data)
        self.agencies = {a.code: a for a in agencies}
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = [(a.code, a.name) for a in agencies]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        try:
            cleaned["period"] = register.Period(start, end)
        except register.PeriodError as exc:
            self.add_error(exc.field, exc.message)
        return cleaned

    @property
    def chosen_agency(self) -> Agency:
        return self.agencies[self.cleaned_data["agency"]]

    @property
    def chosen_period(self) -> register.Period:
        return self.cleaned_data["period"]

    def messages(self) -> list[str]:
        """Every error, each naming its field."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in map(str, errors):
                lines.append(error if not label or error.startswith(str(label)) else f"{label}: {error}")
        return lines


def _register_form(request):
    """The filter form on the units the officer keeps a register for; 403 for anyone else."""
    agencies = list(register.register_agencies(request.user))
    return RegisterFilterForm(request.GET, agencies=agencies, today=timezone.localdate()), agencies


def _render_register(request, form, agencies, *, page=None, status=200):
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "backoffice/register.html",
        {
            "section": "register",
            "form": form,
            "errors": form.messages() if form.is_bound and form.errors else [],
            "agencies": agencies,
            "page": page,
            "query": query.urlencode(),
            "export_query": form.data.urlencode() if hasattr(form.data, "urlencode") else "",
        },
        status=status,
    )


@staff_required
@require_GET
def register_page(request):
    form, agencies = _register_form(request)
    if not agencies:
        return _render_register(request, form, agencies, status=403)
    if not form.is_valid():
        return _render_register(request, form, agencies, status=400)
    page = register.register_page(
        request.user, form.chosen_agency, form.chosen_period, after=request.GET.get("after") or None
    )
    access_log.record_read(
        request, purpose="backoffice:register", object_type="dossier_list", dossiers=page.rows
    )
    return _render_register(request, form, agencies, page=page)


@staff_required
@require_GET
def register_export(request, fmt: str):
    if fmt not in EXPORTS:
        return HttpResponse(status=404)
    form, agencies = _register_form(request)
    if not agencies:
        return _render_register(request, form, agencies, status=403)
    if not form.is_valid():
        return _render_register(request, form, agencies, status=400)
    content_type, limit = EXPORTS[fmt]
    agency, period = form.chosen_agency, form.chosen_period
    try:
        rows = register.register_rows(request.user, agency, period, limit=limit)
    except register.TooManyRows as exc:
        form.add_error(
            "end",
            _("Đến ngày: có %(counter)s hồ sơ, quá %(limit)s dòng cho một lần tải; hãy chọn khoảng ngắn hơn.")
            % {"counter": exc.count, "limit": exc.limit},
        )
        return _render_register(request, form, agencies, status=400)
    access_log.record_read(
        request, purpose=f"backoffice:register_export:{fmt}", object_type="dossier_list", dossiers=rows
    )
    heading = register.Heading(agency=agency, period=period, printed_at=timezone.now())
    name = f"so-theo-doi-{agency.code}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{fmt}"
    response: HttpResponseBase
    if fmt == "pdf":
        response = HttpResponse(notices.render_register(heading, rows), content_type=content_type)
    elif fmt == "xlsx":
        response = HttpResponse(register.to_xlsx(heading, rows), content_type=content_type)
    else:
        # A byte-order mark first, so that spreadsheet programs read the file as UTF-8.
        lines = (line.encode("utf-8") for line in register.to_csv(rows))
        response = StreamingHttpResponse(_with_bom(lines), content_type=content_type)
    return _private(response, filename=name, inline=fmt == "pdf")


def _with_bom(lines):
    yield "\ufeff".encode()
    yield from lines
