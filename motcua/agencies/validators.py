import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AGENCY_CODE_RE = re.compile(r"^[A-Z0-9.]{1,35}$")


def validate_agency_code(value: str) -> None:
    """Agency identifier (mã định danh) per Decision 20/2020/QĐ-TTg: 1–35 characters of A–Z, 0–9 and '.'."""
    if not AGENCY_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "Mã định danh “%(value)s” không đúng Quyết định 20/2020/QĐ-TTg: chỉ gồm chữ in hoa A–Z, "
                "chữ số và dấu chấm, tối đa 35 ký tự (ví dụ 000.00.00.H29)."
            ),
            code="agency_code",
            params={"value": value},
        )
