"""Yearly targets: a province administrator sets them in the admin; progress shows who is behind."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import PASSWORD, StaffFactory
from motcua.dossiers.tests.factories import received
from motcua.reports.models import Target
from motcua.reports.selectors import target_progress
from motcua.reports.units import unit_from_key

pytestmark = pytest.mark.django_db


def test_progress_lists_the_units_behind_first(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        received(office)  # one online dossier received today at the ward's committee
    year = datetime.date.today().year
    Target.objects.create(year=year, unit_key=office.agency.code, indicator="online_share", value=30)
    Target.objects.create(year=year, unit_key=office.agency.code, indicator="results_signed_share", value=100)
    Target.objects.create(year=year, unit_key=office.other_agency.code, indicator="online_share", value=30)
    Target.objects.create(year=year - 1, unit_key=office.agency.code, indicator="online_share", value=99)

    rows = target_progress(unit_from_key("dvhc-08"), year)

    assert [(r.unit.key, r.indicator, r.value, r.behind) for r in rows] == [
        (office.agency.code, "results_signed_share", None, True),  # no result returned yet: behind
        (office.other_agency.code, "online_share", None, True),  # no dossier: nothing to show yet
        (office.agency.code, "online_share", Decimal("100.00"), False),
    ]
    # A unit sees its own targets, not its neighbour's.
    assert [r.unit.key for r in target_progress(unit_from_key(office.agency.code), year)] == [
        office.agency.code
    ] * 2


def test_only_a_province_administrator_sets_targets_in_the_admin(office):
    admin_user = StaffFactory(is_staff=True)
    grant_role(admin_user, office.agency, Role.PROVINCE_ADMIN)
    agency_admin = StaffFactory(is_staff=True)
    grant_role(agency_admin, office.agency, Role.AGENCY_ADMIN)
    model_admin = site._registry[Target]
    factory = RequestFactory()
    for user, allowed in ((admin_user, True), (agency_admin, False)):
        request = factory.get("/")
        request.user = user
        assert model_admin.has_add_permission(request) is allowed
        assert model_admin.has_change_permission(request) is allowed

    client = Client()
    assert client.login(username=admin_user.username, password=PASSWORD)
    page = client.post(
        "/quan-tri/reports/target/add/",
        {"year": 2026, "unit_key": "dvhc-404", "indicator": "online_share", "value": "30", "note": ""},
    )
    assert (
        page.status_code == 200
        and "Không có cơ quan hoặc đơn vị hành chính với mã này." in page.content.decode()
    )
    page = client.post(
        "/quan-tri/reports/target/add/",
        {
            "year": 2026,
            "unit_key": office.agency.code.lower(),
            "indicator": "online_share",
            "value": "30",
            "note": "",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    target = Target.objects.get()
    assert (target.unit_key, target.updated_by) == (office.agency.code, admin_user)
