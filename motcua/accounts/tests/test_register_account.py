import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import User
from motcua.accounts.services import Registration, register_account
from motcua.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def registration(**overrides) -> Registration:
    values = {
        "kind": "citizen",
        "full_name": "Nguyễn Thị Hoa",
        "identity_number": "008190001234",
        "password": "Hoa-Tuyen-Quang-2026",
        "email": "hoa@example.vn",
        "phone": "0912345678",
    }
    return Registration(**{**values, **overrides})


def test_a_citizen_registers_with_a_12_digit_identity_number():
    user = register_account(registration())

    assert user.kind == "citizen"
    assert user.username == "008190001234"
    assert user.check_password("Hoa-Tuyen-Quang-2026")


@pytest.mark.parametrize("number", ["00819000123", "0081900012345", "00819000123a", "", "008 190 001 234"])
def test_an_identity_number_that_is_not_12_digits_is_refused(number):
    with pytest.raises(ValidationError) as exc:
        register_account(registration(identity_number=number))

    assert "12" in " ".join(exc.value.message_dict["identity_number"])
    assert not User.objects.exists()


def test_a_business_registers_with_its_tax_code():
    user = register_account(
        registration(kind="business", full_name="Công ty TNHH A", identity_number="5000123456")
    )

    assert user.kind == "business"


def test_a_business_tax_code_is_checked():
    with pytest.raises(ValidationError) as exc:
        register_account(registration(kind="business", identity_number="50001234"))

    assert "identity_number" in exc.value.message_dict


def test_every_problem_is_reported_at_once_and_nothing_is_saved():
    UserFactory(email="hoa@example.vn")
    with pytest.raises(ValidationError) as exc:
        register_account(registration(full_name=" ", phone="123", password="123"))

    assert set(exc.value.message_dict) == {"full_name", "phone", "email", "password"}
    assert User.objects.count() == 1


def test_email_or_phone_is_required():
    with pytest.raises(ValidationError) as exc:
        register_account(registration(email="", phone=""))

    assert "email" in exc.value.message_dict


def test_one_account_per_identity_number():
    register_account(registration())
    with pytest.raises(ValidationError) as exc:
        register_account(registration(email="other@example.vn", phone="0987654321"))

    assert "identity_number" in exc.value.message_dict
