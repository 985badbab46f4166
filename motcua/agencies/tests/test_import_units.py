import datetime

import pytest

from motcua.agencies.constants import UnitType
from motcua.agencies.models import AdministrativeUnit
from motcua.agencies.selectors import provinces
from motcua.agencies.services import import_units
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db

COMMUNE_TYPES = [UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE]


def test_loads_34_provinces_and_3321_communes():
    stats = import_units()

    assert provinces().count() == 34
    assert AdministrativeUnit.objects.current().filter(type__in=COMMUNE_TYPES).count() == 3321
    assert stats.created == 34 + 3321
    tuyen_quang = AdministrativeUnit.objects.current().get(code="08")
    assert tuyen_quang.name == "Tỉnh Tuyên Quang"
    assert tuyen_quang.children.count() == 124
    assert AdministrativeUnit.objects.current().get(code="02215").parent == tuyen_quang


def test_running_again_changes_nothing():
    import_units()
    before = list(AdministrativeUnit.objects.values_list("pk", "code", "name", "parent_id", "valid_to"))
    audit_before = AuditEntry.objects.count()

    stats = import_units()

    assert (stats.created, stats.updated, stats.unchanged) == (0, 0, 3355)
    assert not stats.changed
    assert (
        list(AdministrativeUnit.objects.values_list("pk", "code", "name", "parent_id", "valid_to")) == before
    )
    assert AuditEntry.objects.count() == audit_before


def test_a_renamed_unit_is_corrected_on_the_next_import():
    import_units()
    AdministrativeUnit.objects.filter(code="08", valid_to__isnull=True).update(name="Sai tên")

    stats = import_units()

    assert stats.updated == 1
    assert AdministrativeUnit.objects.current().get(code="08").name == "Tỉnh Tuyên Quang"


def test_legacy_units_end_in_june_2025_and_point_to_their_successors():
    stats = import_units(legacy=True)

    ha_giang = AdministrativeUnit.objects.get(code="02", valid_from__isnull=True)
    assert ha_giang.name == "Tỉnh Hà Giang"
    assert ha_giang.valid_to == datetime.date(2025, 6, 30)
    assert [u.name for u in ha_giang.successors.all()] == ["Tỉnh Tuyên Quang"]
    # Three tiers before 2025: province → district → commune.
    legacy_ward = AdministrativeUnit.objects.filter(valid_from__isnull=True, type=UnitType.WARD).first()
    assert legacy_ward.parent.type == UnitType.LEGACY_DISTRICT
    assert legacy_ward.parent.parent.parent is None
    assert legacy_ward.successors.exists()
    assert stats.links_added > 10000
    assert provinces().count() == 34

    again = import_units(legacy=True)
    assert not again.changed


def test_units_valid_on_a_date():
    import_units(legacy=True)
    before = AdministrativeUnit.objects.valid_on(datetime.date(2025, 1, 1))
    after = AdministrativeUnit.objects.valid_on(datetime.date(2025, 8, 1))

    assert before.filter(parent__isnull=True).count() == 63
    assert after.filter(parent__isnull=True).count() == 34
