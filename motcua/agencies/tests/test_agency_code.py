import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.models import Agency
from motcua.agencies.services import save_agency
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["000.00.00.H29", "H29", "000.00.12.H59", "A" * 35])
def test_valid_codes_are_accepted(province, code):
    agency = save_agency(Agency(code=code, name="Sở Tư pháp", kind="department", unit=province))

    assert Agency.objects.get(pk=agency.pk).code == code
    assert AuditEntry.objects.filter(action="agency.created", object_id=str(agency.pk)).exists()


@pytest.mark.parametrize(
    "code",
    ["000.00.00.h29", "000-00-00-H29", "000.00.00.H29 ", "Đ00.00.00.H29", "A" * 36],
)
def test_codes_breaking_decision_20_2020_are_refused_with_a_clear_message(province, code):
    with pytest.raises(ValidationError) as exc:
        save_agency(Agency(code=code, name="Sở Tư pháp", kind="department", unit=province))

    message = " ".join(exc.value.messages)
    assert "20/2020" in message
    assert not Agency.objects.exists()


def test_model_save_refuses_a_bad_code_even_outside_the_service(province):
    with pytest.raises(ValidationError):
        Agency.objects.create(code="abc", name="X", kind="department", unit=province)
