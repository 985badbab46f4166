"""The online form (tờ khai điện tử) of a procedure version: validation of what the applicant typed.

Values are kept as JSON-friendly strings or dicts. A draft keeps whatever was typed, with the errors
shown next to it; submission needs a form without errors.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.accounts.validators import validate_citizen_id, validate_phone
from motcua.agencies.selectors import current_unit
from motcua.catalog.constants import FieldKind
from motcua.catalog.models import FormField, ProcedureVersion
from motcua.catalog.selectors import version_parts
from motcua.core.text import clean_text

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
                datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(_("Ngày không hợp lệ, dạng YYYY-MM-DD.")) from None
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
