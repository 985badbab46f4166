import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CITIZEN_ID_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")


def validate_citizen_id(value: str) -> None:
    """Citizen identity number (số định danh cá nhân / CCCD): exactly 12 digits."""
    if not CITIZEN_ID_RE.match(value or ""):
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số."),
            code="citizen_id",
        )


def validate_tax_code(value: str) -> None:
    """Business tax code (mã số thuế / mã số doanh nghiệp): 10 digits, or 10 + '-' + 3 for a branch."""
    if not TAX_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số."),
            code="tax_code",
        )


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(value or ""):
        raise ValidationError(_("Số điện thoại không hợp lệ, ví dụ 0912345678."), code="phone")
