"""The units a report is about: one agency, or an administrative unit of the tree with every agency
that serves it (a province rolls up its departments, its communes and their agencies).

Keys: an agency's own code (``000.00.12.H59``), or ``dvhc-<official code>`` for an administrative
unit (``dvhc-08`` the province, ``dvhc-02269`` a commune). An agency rolls up the agencies below it
(``Agency.parent``); an administrative unit, the agencies whose ``unit`` lies in its subtree and the
agencies below those.
"""

from dataclasses import dataclass

from django.db.models import Q

from motcua.agencies.constants import AgencyKind, UnitType
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.core.refcache import TimedCache

UNIT_PREFIX = "dvhc-"

# Kinds of administrative units a report ranks together.
PROVINCE = "province"
COMMUNE = "commune"
DISTRICT = "district"
UNIT_KINDS = {
    UnitType.PROVINCE: PROVINCE,
    UnitType.MUNICIPALITY: PROVINCE,
    UnitType.WARD: COMMUNE,
    UnitType.COMMUNE: COMMUNE,
    UnitType.SPECIAL_ZONE: COMMUNE,
    UnitType.TOWNSHIP: COMMUNE,
    UnitType.LEGACY_DISTRICT: DISTRICT,
}
# Every kind: the administrative ones, then the agencies' own (AgencyKind values).
KINDS = [PROVINCE, COMMUNE, DISTRICT, *AgencyKind.values]


class UnknownUnit(LookupError):
    """No agency or administrative unit has this key."""


@dataclass(frozen=True)
class ReportUnit:
    key: str
    name: str
    kind: str

    @property
    def is_agency(self) -> bool:
        return not self.key.startswith(UNIT_PREFIX)

    def __str__(self) -> str:
        return self.name


_agency_sets = TimedCache("report units' agencies")
_units = TimedCache("report units by key")


def _of_agency(agency: Agency) -> ReportUnit:
    return ReportUnit(key=agency.code, name=agency.name, kind=agency.kind)


def _of_admin_unit(unit: AdministrativeUnit) -> ReportUnit:
    return ReportUnit(
        key=f"{UNIT_PREFIX}{unit.code}",
        name=unit.name,
        kind=UNIT_KINDS.get(UnitType(unit.type), str(unit.type)),
    )


def _admin_unit(key: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.current().filter(code=key.removeprefix(UNIT_PREFIX)).first()


def unit_from_key(key: str) -> ReportUnit:
    """The unit a key names; ``UnknownUnit`` when none does."""
    key = (key or "").strip()

    def load() -> ReportUnit | None:
        if key.lower().startswith(UNIT_PREFIX):
            unit = _admin_unit(UNIT_PREFIX + key[len(UNIT_PREFIX) :])
            return _of_admin_unit(unit) if unit is not None else None
        agency = Agency.objects.filter(code=key.upper()).first()
        return _of_agency(agency) if agency is not None else None

    found = _units.get(key.lower(), load) if key else None
    if found is None:
        raise UnknownUnit(key)
    return found


def _with_descendants(agency_ids: set[int]) -> set[int]:
    """The agencies and every agency below them (``Agency.parent``)."""
    found, frontier = set(agency_ids), set(agency_ids)
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def _subtree(unit_ids: set[int]) -> set[int]:
    found, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        frontier = set(AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= found
        found |= frontier
    return found


def agency_ids(unit: ReportUnit) -> frozenset[int]:
    """The primary keys of the agencies whose dossiers count for ``unit``."""

    def load() -> frozenset[int]:
        if unit.is_agency:
            roots = set(Agency.objects.filter(code=unit.key).values_list("pk", flat=True))
        else:
            admin = _admin_unit(unit.key)
            if admin is None:
                return frozenset()
            units = _subtree({admin.pk})
            roots = set(Agency.objects.filter(unit_id__in=units).values_list("pk", flat=True))
        return frozenset(_with_descendants(roots))

    return _agency_sets.get(unit.key, load)


def units_of_kind(kind: str) -> list[ReportUnit]:
    """Every unit of one kind that has at least one agency to report on, by key."""
    if kind in AgencyKind.values:
        return [_of_agency(a) for a in Agency.objects.filter(kind=kind, is_active=True).order_by("code")]
    types = [t for t, k in UNIT_KINDS.items() if k == kind]
    if not types:
        raise UnknownUnit(kind)
    current = Q(valid_to__isnull=True) if kind != DISTRICT else Q()
    # Only units some agency serves (directly or below): the country's other 3,000 communes have no data.
    served: set[int] = set()
    frontier = set(Agency.objects.values_list("unit_id", flat=True))
    while frontier:
        served |= frontier
        parents = AdministrativeUnit.objects.filter(pk__in=frontier, parent__isnull=False)
        frontier = set(parents.values_list("parent_id", flat=True)) - served
    candidates = AdministrativeUnit.objects.filter(current, type__in=types, pk__in=served).order_by("code")
    return [_of_admin_unit(unit) for unit in candidates]


def province_unit() -> ReportUnit:
    """The province this installation serves: the top unit of the agencies' units."""
    agency = Agency.objects.filter(parent__isnull=True).select_related("unit").order_by("pk").first()
    if agency is None:
        raise UnknownUnit("province")
    unit = agency.unit
    while unit.parent_id is not None:
        unit = AdministrativeUnit.objects.get(pk=unit.parent_id)
    return _of_admin_unit(unit)


def units_above(unit: ReportUnit) -> list[ReportUnit]:
    """The units whose figures include ``unit``'s (its province, its parent agencies), nearest first."""
    above: list[ReportUnit] = []
    if unit.is_agency:
        agency = Agency.objects.select_related("unit").filter(code=unit.key).first()
        if agency is None:
            return above
        parent = agency.parent
        while parent is not None:
            above.append(_of_agency(parent))
            parent = parent.parent
        admin: AdministrativeUnit | None = agency.unit
    else:
        admin = _admin_unit(unit.key)
        admin = admin.parent if admin is not None else None
    while admin is not None:
        above.append(_of_admin_unit(admin))
        admin = admin.parent
    return above
