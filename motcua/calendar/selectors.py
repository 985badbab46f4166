"""Reads for the calendar: a WorkCalendar with the local overrides, and deadlines computed with it.

The rules of counting are in ``motcua.calendar.workdays``; this module only adds the database.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import models
from django.db.models import Q

from motcua.calendar import conf
from motcua.calendar.constants import DurationUnit
from motcua.calendar.models import CalendarOverride
from motcua.calendar.workdays import (
    VIETNAM,
    DueDate,
    Interval,
    MovedAppointment,
    Override,
    StepDeadline,
    WorkCalendar,
)

# An agency instance or its primary key (the calendar sits below the agencies app and does not import it).
AgencyRef = models.Model | int | None


def _agency_pk(agency: AgencyRef) -> int | None:
    return agency.pk if isinstance(agency, models.Model) else agency


def work_calendar(agency: AgencyRef = None, *, since: datetime.date | None = None) -> WorkCalendar:
    """The calendar of an agency (or, without one, of the province), in one query.

    Loads the province-wide overrides and the agency's own from ``since`` on (all of them if None):
    a province decides a handful a year, so the whole future fits in memory.
    """
    agency_pk = _agency_pk(agency)
    scope = Q(agency__isnull=True)
    if agency_pk is not None:
        scope |= Q(agency_id=agency_pk)
    rows = CalendarOverride.objects.filter(scope)
    if since is not None:
        rows = rows.filter(date__gte=since)
    overrides = [
        Override(date, is_working_day, note, agency_specific=row_agency is not None)
        for date, is_working_day, note, row_agency in rows.values_list(
            "date", "is_working_day", "note", "agency_id"
        )
    ]
    return WorkCalendar(
        overrides,
        working_hours=conf.working_hours(),
        reception_cutoff=conf.reception_cutoff(),
        calendar_pause=conf.calendar_pause_rule(),
    )


def _since(received_at: datetime.datetime) -> datetime.date:
    return received_at.astimezone(VIETNAM).date()


def compute_due(
    received_at: datetime.datetime,
    amount: Decimal | int | str,
    unit: DurationUnit | str,
    *,
    agency: AgencyRef = None,
    pauses: Iterable[Interval] = (),
) -> DueDate:
    """The deadline of a dossier received at ``received_at`` by ``agency``; see WorkCalendar.compute_due."""
    calendar = work_calendar(agency, since=_since(received_at))
    return calendar.compute_due(received_at, amount, unit, pauses=pauses)


def step_deadlines(
    received_at: datetime.datetime,
    amount: Decimal | int | str,
    unit: DurationUnit | str,
    shares: Sequence[Decimal | str],
    *,
    agency: AgencyRef = None,
    pauses: Iterable[Interval] = (),
) -> list[StepDeadline]:
    """Consecutive due dates of the process steps; see WorkCalendar.step_deadlines."""
    calendar = work_calendar(agency, since=_since(received_at))
    return calendar.step_deadlines(received_at, amount, unit, shares, pauses=pauses)


def move_appointment(
    appointment: datetime.datetime,
    unit: DurationUnit | str,
    *,
    agency: AgencyRef = None,
    pauses: Iterable[Interval] = (),
    given_at: datetime.datetime | None = None,
) -> MovedAppointment:
    """An appointment moved by the pauses that began before it, in ``agency``'s calendar; see
    WorkCalendar.move_appointment.

    For an apology (form 04): ``appointment`` is its new appointment, ``unit`` the procedure's time unit,
    ``given_at`` when the apology was made and ``pauses`` the dossier's closed pauses since then; the
    dossier is due at ``.moved_to``, and ``.explain()`` says why.
    """
    pauses = list(pauses)
    earliest = min([given_at or appointment, *(start for start, _end in pauses)])
    calendar = work_calendar(agency, since=_since(earliest))
    return calendar.move_appointment(appointment, unit, pauses=pauses, given_at=given_at)
