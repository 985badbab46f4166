"""Reads for administrative units and agencies."""

from django.db.models import QuerySet

from motcua.agencies.constants import UnitType
from motcua.agencies.models import AdministrativeUnit

PROVINCE_TYPES = [UnitType.PROVINCE, UnitType.MUNICIPALITY]


def provinces() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.current().filter(parent__isnull=True, type__in=PROVINCE_TYPES)


def find_unit(code: str, *, current: bool = True) -> AdministrativeUnit | None:
    """The unit with this official code; a numeric code may be given without its leading zeros."""
    units = AdministrativeUnit.objects.current() if current else AdministrativeUnit.objects.all()
    candidates = [code]
    if code.isdigit():
        candidates += [code.zfill(2), code.zfill(3), code.zfill(5)]
    return units.filter(code__in=candidates).order_by("-valid_from").first()


def children(unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return unit.children.order_by("code")
