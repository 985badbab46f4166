"""Reads for administrative units and agencies."""

from django.db.models import QuerySet

from motcua.agencies.constants import UnitType
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.core.refcache import TimedCache

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


_units = TimedCache("current units by code")
_agencies = TimedCache("agencies by code")


def current_unit(code: str) -> AdministrativeUnit | None:
    """The unit in force with exactly this code, its parent loaded; cached (motcua.core.refcache),
    so the instance is shared: read it, never change it."""
    return _units.get(
        code,
        lambda: AdministrativeUnit.objects.current().filter(code=code).select_related("parent").first(),
    )


def agency_by_code(code: str) -> Agency | None:
    """The agency with this code (any case); cached like ``current_unit``."""
    code = code.strip().upper()
    return _agencies.get(code, lambda: Agency.objects.filter(code=code).first())
