"""Writes for the calendar: local days off and make-up days, each recorded in the audit log."""

import datetime
from typing import Any

from django.db import transaction

from motcua.calendar.models import CalendarOverride
from motcua.core import audit


def _audit_data(override: CalendarOverride) -> dict[str, Any]:
    return {
        "date": override.date.isoformat(),
        "is_working_day": override.is_working_day,
        "agency_id": override.agency_id,
        "note": override.note,
    }


@transaction.atomic
def save_override(override: CalendarOverride, *, actor: Any = None) -> CalendarOverride:
    """Validate and save an override (new or changed)."""
    created = override.pk is None
    override.full_clean()
    override.save()
    action = "calendar.override_created" if created else "calendar.override_changed"
    audit.record(action, actor=actor, obj=override, summary=str(override), **_audit_data(override))
    return override


@transaction.atomic
def set_override(
    *,
    date: datetime.date,
    is_working_day: bool,
    note: str,
    agency: Any = None,
    actor: Any = None,
) -> CalendarOverride:
    """Declare a date a day off (or a working day) for one agency, or province-wide without one."""
    agency_pk = agency.pk if agency is not None and hasattr(agency, "pk") else agency
    # Unordered: the default ordering joins agencies, and FOR UPDATE refuses the nullable side of a join.
    existing = CalendarOverride.objects.select_for_update().filter(agency_id=agency_pk, date=date).order_by()
    override = existing.first() or CalendarOverride(agency_id=agency_pk, date=date)
    override.is_working_day = is_working_day
    override.note = note
    return save_override(override, actor=actor)


@transaction.atomic
def remove_override(override: CalendarOverride, *, actor: Any = None) -> None:
    audit.record(
        "calendar.override_removed", actor=actor, obj=override, summary=str(override), **_audit_data(override)
    )
    override.delete()
