"""Writes for administrative units and agencies."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from motcua.agencies.constants import LEGACY_UNTIL, TWO_TIER_SINCE, UnitType
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.core import audit

_CURRENT_TYPES = {
    "tỉnh": UnitType.PROVINCE,
    "thành phố trung ương": UnitType.MUNICIPALITY,
    "xã": UnitType.COMMUNE,
    "phường": UnitType.WARD,
    "đặc khu": UnitType.SPECIAL_ZONE,
}
_LEGACY_TYPES = {
    **_CURRENT_TYPES,
    "huyện": UnitType.LEGACY_DISTRICT,
    "quận": UnitType.LEGACY_DISTRICT,
    "thành phố": UnitType.LEGACY_DISTRICT,
    "thị xã": UnitType.LEGACY_DISTRICT,
    "thị trấn": UnitType.TOWNSHIP,
}


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_added: int = 0
    links_removed: int = 0
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.links_added or self.links_removed)


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    codename: str
    type: str
    parent_key: tuple[str, datetime.date | None] | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


def _province_code(value: int) -> str:
    return f"{value:02d}"


def _district_code(value: int) -> str:
    return f"{value:03d}"


def _ward_code(value: int) -> str:
    return f"{value:05d}"


def _current_rows() -> Iterable[_Row]:
    from vietnam_provinces import Province, Ward

    for p in Province.iter_all():
        yield _Row(
            _province_code(p.code.value),
            p.name,
            p.codename,
            _CURRENT_TYPES[p.division_type.value],
            None,
            TWO_TIER_SINCE,
            None,
        )
    for w in Ward.iter_all():
        yield _Row(
            _ward_code(w.code.value),
            w.name,
            w.codename,
            _CURRENT_TYPES[w.division_type.value],
            (_province_code(w.province_code.value), TWO_TIER_SINCE),
            TWO_TIER_SINCE,
            None,
        )


def _legacy_rows() -> Iterable[_Row]:
    from vietnam_provinces.legacy import District, Province, Ward

    for p in Province.iter_all():
        yield _Row(
            _province_code(p.code.value),
            p.name,
            p.codename,
            _LEGACY_TYPES[p.division_type.value],
            None,
            None,
            LEGACY_UNTIL,
        )
    for d in District.iter_all():
        yield _Row(
            _district_code(d.code.value),
            d.name,
            d.codename,
            _LEGACY_TYPES[d.division_type.value],
            (_province_code(d.province_code.value), None),
            None,
            LEGACY_UNTIL,
        )
    for w in Ward.iter_all():
        yield _Row(
            _ward_code(w.code.value),
            w.name,
            w.codename,
            _LEGACY_TYPES[w.division_type.value],
            (_district_code(w.district_code.value), None),
            None,
            LEGACY_UNTIL,
        )


def _successor_pairs() -> Iterable[tuple[tuple[str, None], tuple[str, datetime.date]]]:
    """(legacy unit key, current unit key) for every merge recorded by vietnam-provinces."""
    from vietnam_provinces import Province, Ward

    for p in Province.iter_all():
        for old in p.get_legacy_sources():
            yield (_province_code(old.code.value), None), (_province_code(p.code.value), TWO_TIER_SINCE)
    for ward in Ward.iter_all():
        for old_ward in ward.get_legacy_sources():
            yield (_ward_code(old_ward.code.value), None), (_ward_code(ward.code.value), TWO_TIER_SINCE)


@transaction.atomic
def import_units(*, legacy: bool = False, actor: Any = None) -> ImportStats:
    """Load the official units from vietnam-provinces; running it again changes nothing.

    Current units (34 provinces, 3,321 communes) are valid from 1 July 2025. With ``legacy``,
    the three-tier units before that day are loaded too, ending on 30 June 2025, each linked to
    the current units that succeeded it.
    """
    rows = list(_current_rows())
    if legacy:
        rows = list(_legacy_rows()) + rows
    stats = ImportStats()
    existing = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    # Parents come first in the row order (province, district, ward), so one pass resolves them.
    for row in rows:
        key = (row.code, row.valid_from)
        parent = existing[row.parent_key] if row.parent_key else None
        values = {
            "name": row.name,
            "codename": row.codename,
            "type": row.type,
            "parent_id": parent.pk if parent else None,
            "valid_to": row.valid_to,
        }
        unit = existing.get(key)
        if unit is None:
            unit = AdministrativeUnit.objects.create(code=row.code, valid_from=row.valid_from, **values)
            existing[key] = unit
            stats.created += 1
        elif any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            unit.save()
            stats.updated += 1
        else:
            stats.unchanged += 1
        stats.by_type[row.type] = stats.by_type.get(row.type, 0) + 1

    if legacy:
        through = AdministrativeUnit.successors.through
        wanted = {
            (existing[old].pk, existing[new].pk)
            for old, new in _successor_pairs()
            if old in existing and new in existing
        }
        have = set(through.objects.values_list("from_administrativeunit_id", "to_administrativeunit_id"))
        missing = wanted - have
        through.objects.bulk_create(
            through(from_administrativeunit_id=a, to_administrativeunit_id=b) for a, b in missing
        )
        stats.links_added = len(missing)

    if stats.changed:
        audit.record(
            "units.imported",
            actor=actor,
            summary=f"{stats.created} created, {stats.updated} updated",
            legacy=legacy,
            created=stats.created,
            updated=stats.updated,
            links=stats.links_added,
        )
    return stats


def save_agency(agency: Agency, *, actor: Any = None) -> Agency:
    """Validate and save an agency, recording it in the audit log."""
    is_new = agency.pk is None
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        audit.record(
            "agency.created" if is_new else "agency.updated",
            actor=actor,
            obj=agency,
            summary=f"{agency.code} {agency.name}",
        )
    return agency
