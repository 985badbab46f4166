import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.constants import Role
from motcua.accounts.selectors import visible_agencies
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory, UserFactory
from motcua.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_staff_see_only_their_agencies(agency):
    other = AgencyFactory()
    officer = StaffFactory()
    grant_role(officer, agency, Role.SPECIALIST)
    grant_role(officer, agency, Role.LEADER)

    assert list(visible_agencies(officer)) == [agency]
    assert other not in visible_agencies(officer)


def test_a_province_administrator_sees_every_agency(agency):
    other = AgencyFactory()
    admin = StaffFactory()
    grant_role(admin, agency, Role.PROVINCE_ADMIN)

    assert set(visible_agencies(admin)) == {agency, other}


def test_citizens_see_no_agency_and_cannot_hold_roles(agency):
    citizen = UserFactory()

    assert not visible_agencies(citizen).exists()
    with pytest.raises(ValidationError):
        grant_role(citizen, agency, Role.RECEPTION)


def test_one_person_in_several_agencies(agency):
    second = AgencyFactory()
    officer = StaffFactory()
    grant_role(officer, agency, Role.RECEPTION)
    grant_role(officer, second, Role.SPECIALIST)

    assert set(visible_agencies(officer)) == {agency, second}
    assert officer.roles_in(second) == {"specialist"}
