import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin(agency):
    user = StaffFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    grant_role(user, agency, Role.AGENCY_ADMIN)
    client = Client()
    client.force_login(user)
    return client


def test_an_agency_administrator_sees_only_their_agency_procedures(agency_admin, agency):
    own = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    other = make_procedure("1.000894", "Đăng ký kết hôn", agency=AgencyFactory())

    listing = agency_admin.get("/quan-tri/catalog/procedureversion/").content.decode()

    assert "Đăng ký khai sinh" in listing and "Đăng ký kết hôn" not in listing
    assert agency_admin.get(f"/quan-tri/catalog/procedureversion/{own.pk}/change/").status_code == 200
    assert agency_admin.get(f"/quan-tri/catalog/procedureversion/{other.pk}/change/").status_code == 302


def test_publishing_a_draft_from_the_admin(agency_admin, agency):
    from motcua.catalog.services import start_draft

    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    draft = start_draft(first.procedure)

    page = agency_admin.get(f"/quan-tri/catalog/procedureversion/{draft.pk}/change/")
    assert "_publish" in page.content.decode()
    response = agency_admin.post(
        "/quan-tri/catalog/procedureversion/",
        {"action": "publish_today", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_current and draft.status == "published"
    first.refresh_from_db()
    assert not first.is_current
