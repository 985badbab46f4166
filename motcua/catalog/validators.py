import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROCEDURE_CODE_RE = re.compile(r"^\d{1,2}\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z0-9]+)?$")
FORM_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def validate_procedure_code(value: str) -> None:
    """National procedure code (mã thủ tục), e.g. 1.001193 (a local variant may add a suffix)."""
    if not PROCEDURE_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Mã thủ tục “%(value)s” không hợp lệ, ví dụ 1.001193."),
            code="procedure_code",
            params={"value": value},
        )


def validate_form_key(value: str) -> None:
    if not FORM_KEY_RE.match(value or ""):
        raise ValidationError(
            _("Mã trường chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ."),
            code="form_key",
        )
