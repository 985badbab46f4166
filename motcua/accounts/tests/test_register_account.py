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


@pytest.mark.parametrize("number", ["00819000123", "0081900012345", "00819000123a", "", "008190001234\x00"])
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

    # the email already registered is not among them: that would tell who has an account
    assert set(exc.value.message_dict) == {"full_name", "phone", "password"}
    assert User.objects.count() == 1


def test_names_and_numbers_are_normalised():
    user = register_account(
        registration(
            full_name="  Nguye\u0302\u0303n\u200b Thi\u0323 Hoa ", identity_number="008 190\u200b001234"
        )
    )

    assert user.full_name == "Nguyễn Thị Hoa" and user.identity_number == "008190001234"


def test_email_or_phone_is_required():
    with pytest.raises(ValidationError) as exc:
        register_account(registration(email="", phone=""))

    assert "email" in exc.value.message_dict


@pytest.mark.parametrize(
    "taken",
    [
        {"email": "other@example.vn", "phone": "0987654321"},  # the identity number
        {"identity_number": "008190009999", "phone": "0987654321", "email": "HOA@example.vn"},
        {"identity_number": "008190009999", "email": "other@example.vn"},  # the phone
    ],
)
def test_details_already_registered_create_nothing_and_warn_the_owner_by_email(
    taken, mailoutbox, django_capture_on_commit_callbacks
):
    owner = register_account(registration())
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert register_account(registration(**taken)) is None

    assert User.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "Không có tài khoản mới nào được tạo" in mailoutbox[0].body


def test_a_token_ends_with_a_password_change_or_a_deactivation():
    from motcua.accounts.services import issue_token, user_for_token

    user = register_account(registration())
    raw, _token = issue_token(user)
    user.set_password("Mat-khau-moi-2027")
    user.save()
    assert user_for_token(raw) is None

    raw, _token = issue_token(user)
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert user_for_token(raw) is None
