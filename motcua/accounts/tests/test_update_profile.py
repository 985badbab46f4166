import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import User
from motcua.accounts.services import update_profile
from motcua.accounts.tests.factories import UserFactory
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def hoa():
    return UserFactory(full_name="Nguyễn Thị Hoa", email="hoa@example.vn", phone="0912345678")


def test_a_person_changes_how_to_reach_them_and_the_change_is_audited(hoa):
    update_profile(
        hoa,
        phone="0987654321",
        email=" Hoa.Nguyen@Example.VN ",
        address="Số 8  đường Tân Trào, phường Minh Xuân",
    )

    hoa.refresh_from_db()
    assert (hoa.phone, hoa.email, hoa.address) == (
        "0987654321",
        "hoa.nguyen@example.vn",
        "Số 8 đường Tân Trào, phường Minh Xuân",
    )
    entry = AuditEntry.objects.get(action="account.profile_updated")
    assert entry.actor == hoa and entry.object_id == str(hoa.pk)
    assert entry.data == {"fields": ["phone", "email", "address"]}  # which fields, not their values


def test_nothing_changed_writes_nothing(hoa):
    update_profile(hoa, phone="0912345678", email="hoa@example.vn", address="")

    assert not AuditEntry.objects.filter(action="account.profile_updated").exists()


def test_the_checks_of_registration_apply_and_every_problem_is_reported_at_once(hoa):
    with pytest.raises(ValidationError) as refused:
        update_profile(hoa, phone="12345", email="not-an-email", address="x" * 501)

    assert set(refused.value.message_dict) == {"phone", "email", "address"}
    assert "0912345678" in refused.value.message_dict["phone"][0]  # the example of a valid number
    hoa.refresh_from_db()
    assert (hoa.phone, hoa.email, hoa.address) == ("0912345678", "hoa@example.vn", "")


def test_an_account_needs_an_email_or_a_phone(hoa):
    with pytest.raises(ValidationError) as refused:
        update_profile(hoa, phone="", email="", address="Tuyên Quang")

    assert refused.value.message_dict == {"email": ["Cần ít nhất một trong thư điện tử hoặc số điện thoại."]}
    update_profile(hoa, phone="", email="hoa@example.vn", address="")  # one of them is enough
    hoa.refresh_from_db()
    assert hoa.phone == ""


def test_an_email_or_phone_of_another_account_is_refused(hoa):
    UserFactory(email="lan@example.vn", phone="0911111111")

    with pytest.raises(ValidationError) as refused:
        update_profile(hoa, phone="0911111111", email="LAN@example.vn", address="")

    assert refused.value.message_dict == {
        "email": ["Thư điện tử này đã được đăng ký."],
        "phone": ["Số điện thoại này đã được đăng ký."],
    }
    assert User.objects.filter(email="lan@example.vn").count() == 1
