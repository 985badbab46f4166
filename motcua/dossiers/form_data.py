"""The online form (tờ khai điện tử) of a procedure version: validation of what the applicant typed.

Values are kept as JSON-friendly strings or dicts. A draft keeps whatever was typed, with the errors
shown next to it; submission needs a form without errors.

A date must make sense: never more than DATE_SPAN_YEARS from today, and on the side of today its
field's ``date_rule`` asks for (a birth date is not in the future, an appointment not in the past).
"Today" is the clock's (motcua.core.clock) on the day the form is checked: a future date that has
passed by the time a dossier comes back for a supplement must be corrected before it is sent again.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.accounts.validators import validate_citizen_id, validate_phone
from motcua.agencies.models import AdministrativeUnit
from motcua.agencies.selectors import current_unit
from motcua.catalog.constants import DATE_SPAN_YEARS, DateRule, FieldKind
from motcua.catalog.models import FormField, ProcedureVersion
from motcua.catalog.selectors import version_parts
from motcua.core import clock
from motcua.core.text import clean_text, fold

MAX_TEXT = 500
MAX_TEXTAREA = 5000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _clean_value(field: FormField, raw: Any) -> Any:
    """The cleaned value of one field, or raise ValidationError with a message for the applicant."""
    if field.kind == FieldKind.ADDRESS:
        raw = raw if isinstance(raw, dict) else {"unit": "", "detail": str(raw or "")}
        unit_code = clean_text(str(raw.get("unit") or ""))
        detail = clean_text(str(raw.get("detail") or ""))[:MAX_TEXT]
        if not unit_code and not detail:
            return None
        if not unit_code:
            raise ValidationError(_("Chọn xã, phường."))
        unit = current_unit(unit_code)
        if unit is None:
            raise ValidationError(_("Đơn vị hành chính không tồn tại."))
        province = unit.parent.name if unit.parent else ""
        return {
            "unit": unit.code,
            "detail": detail,
            "label": ", ".join(p for p in (detail, unit.name, province) if p),
        }
    value = clean_text(str(raw if raw is not None else ""))
    if value == "":
        return None
    match field.kind:
        case FieldKind.TEXT | FieldKind.TEXTAREA:
            limit = MAX_TEXT if field.kind == FieldKind.TEXT else MAX_TEXTAREA
            if len(value) > limit:
                raise ValidationError(_("Tối đa %(n)s ký tự.") % {"n": limit})
            return value
        case FieldKind.NUMBER:
            try:
                number = Decimal(value.replace(",", "."))
            except InvalidOperation:
                raise ValidationError(_("Nhập một số.")) from None
            if not number.is_finite():
                raise ValidationError(_("Nhập một số."))
            return str(number)
        case FieldKind.DATE:
            try:
                if not _DATE.match(value):
                    raise ValueError
                day = datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(_("Ngày không hợp lệ, dạng YYYY-MM-DD.")) from None
            check_date(field, day)
            return value
        case FieldKind.CHOICE:
            if value not in field.choices:
                raise ValidationError(_("Chọn một giá trị trong danh sách."))
            return value
        case FieldKind.IDENTITY_NUMBER:
            validate_citizen_id(value)
            return value
        case FieldKind.EMAIL:
            validate_email(value)
            return value.lower()
        case FieldKind.PHONE:
            validate_phone(value)
            return value
        case _:
            return value


def _kept(field: FormField, raw: Any) -> Any:
    """What a draft keeps of an invalid value: as typed, cut to what the field could hold."""
    if field.kind == FieldKind.ADDRESS and isinstance(raw, dict):
        return {"unit": str(raw.get("unit") or "")[:20], "detail": str(raw.get("detail") or "")[:MAX_TEXT]}
    return str(raw)[: MAX_TEXTAREA if field.kind == FieldKind.TEXTAREA else MAX_TEXT]


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def check_date(field: FormField, day: datetime.date, today: datetime.date | None = None) -> None:
    """Raise ValidationError, naming the field, when ``day`` makes no sense for ``field``."""
    today = today or clock.localdate()
    values = {"label": field.label, "date": ""}
    earliest = _years_from(today, -DATE_SPAN_YEARS)
    latest = _years_from(today, DATE_SPAN_YEARS)
    if day < earliest:
        values["date"] = earliest.strftime("%d/%m/%Y")
        raise ValidationError(_("%(label)s không được trước ngày %(date)s.") % values)
    if day > latest:
        values["date"] = latest.strftime("%d/%m/%Y")
        raise ValidationError(_("%(label)s không được sau ngày %(date)s.") % values)
    if field.date_rule == DateRule.PAST and day > today:
        raise ValidationError(_("%(label)s không được sau ngày hôm nay.") % values)
    if field.date_rule == DateRule.FUTURE and day < today:
        raise ValidationError(_("%(label)s không được trước ngày hôm nay.") % values)


def clean_form(version: ProcedureVersion, data: dict[str, Any], *, partial: bool) -> tuple[dict, dict]:
    """(cleaned values, errors by field key). With ``partial`` (a draft) missing required fields are
    not errors; unknown keys are dropped."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in version_parts(version).form_fields:
        if field.kind == FieldKind.FILE:
            continue
        try:
            value = _clean_value(field, data.get(field.key))
        except ValidationError as exc:
            errors[field.key] = exc.messages
            if data.get(field.key) not in (None, ""):
                cleaned[field.key] = _kept(field, data.get(field.key))  # what was typed is not lost
            continue
        if value is None:
            if field.required and not partial:
                errors[field.key] = [_("Trường này bắt buộc.")]
            continue
        cleaned[field.key] = value
    return cleaned, errors


# Form keys that ask for the applicant's own details, by the detail of the account they take. Keys
# naming someone else (owner_full_name, child_full_name, investor_phone...) are left alone: the
# applicant may be filing for them.
APPLICANT_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("full_name", "applicant_full_name", "applicant_name", "requester_full_name", "requester_name"),
    "identity": ("id_number", "applicant_id_number", "requester_id_number", "requester_id"),
    "phone": ("phone", "applicant_phone", "requester_phone"),
    "email": ("email", "applicant_email", "requester_email"),
    "address": ("address", "applicant_address", "requester_address"),
}


def split_address(text: str, units: Iterable[AdministrativeUnit]) -> dict[str, str]:
    """An address typed as one line ("Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang") as
    an address field's value: the part that names one of ``units`` (compared without case or
    diacritics) becomes the unit, what comes before it the detail. No such part: all is detail."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    by_name = {fold(unit.name): unit.code for unit in units}
    for i in range(len(parts) - 1, -1, -1):
        code = by_name.get(fold(parts[i]))
        if code is not None:
            return {"unit": code, "detail": ", ".join(parts[:i])}
    return {"unit": "", "detail": ", ".join(parts)}


def applicant_values(
    version: ProcedureVersion, details: Mapping[str, str], units: Iterable[AdministrativeUnit] = ()
) -> dict[str, Any]:
    """The values a new draft's form starts with: the fields that ask for the applicant's own
    details (APPLICANT_KEYS) filled from ``details`` (name, identity, phone, email, address, as the
    account holds them). A value the field would refuse (a tax code where 12 digits are asked) is
    left out, so a prefilled form never starts with an error."""
    units = list(units)
    values: dict[str, Any] = {}
    for field in version_parts(version).form_fields:
        what = next((w for w, keys in APPLICANT_KEYS.items() if field.key in keys), None)
        detail = (details.get(what) or "").strip() if what else ""
        if not detail:
            continue
        value: Any = split_address(detail, units) if field.kind == FieldKind.ADDRESS else detail
        try:
            _clean_value(field, value)
        except ValidationError:
            continue
        values[field.key] = value
    return values


@dataclass(frozen=True)
class Answer:
    """One answer of a dossier's online form as people read it back."""

    key: str
    label: str
    text: str


def _show_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def answers(dossier) -> list[Answer]:
    """The form's answers in the form's order, each with its field's label: an address as its detail
    and commune, a date as dd/mm/yyyy. The applicant's page and the staff page read the same."""
    found = []
    for field in version_parts(dossier.procedure_version).form_fields:
        if field.kind == FieldKind.FILE:
            continue
        value = dossier.form_data.get(field.key)
        if isinstance(value, dict):
            code = str(value.get("unit") or "")
            unit = current_unit(code) if code else None
            text = value.get("label") or ", ".join(
                p for p in (value.get("detail"), unit.name if unit else "") if p
            )
        elif field.kind == FieldKind.DATE and isinstance(value, str):
            text = _show_date(value)
        else:
            text = "" if value is None else str(value)
        found.append(Answer(field.key, field.label, text))
    return found
