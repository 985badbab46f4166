"""Settings of the working-day calendar, read when used so that tests can override them.

MOTCUA_WORKING_HOURS: the working periods of a working day, a list of ("HH:MM", "HH:MM") pairs in order.
MOTCUA_RECEPTION_CUTOFF: "HH:MM"; a dossier received later counts from the next working morning.
MOTCUA_CALENDAR_PAUSE_RULE: how a pause moves a calendar-day deadline, "remaining_days" (default: the days
left when the pause starts are counted again from the day it ends) or "whole_days" (the deadline moves by
the pause's length rounded up to whole days); see CalendarPauseRule.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.calendar.constants import (
    DEFAULT_CALENDAR_PAUSE_RULE,
    DEFAULT_RECEPTION_CUTOFF,
    DEFAULT_WORKING_HOURS,
    CalendarPauseRule,
)

Period = tuple[datetime.time, datetime.time]


def _time(value: str | datetime.time, name: str) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}: {value!r} is not a time like '07:30'.") from exc


def parse_working_hours(
    pairs: Iterable[tuple[str | datetime.time, str | datetime.time]],
) -> tuple[Period, ...]:
    """Check and convert working periods: each starts before it ends, in order, without overlap."""
    periods = tuple(
        (_time(start, "MOTCUA_WORKING_HOURS"), _time(end, "MOTCUA_WORKING_HOURS")) for start, end in pairs
    )
    if not periods:
        raise ImproperlyConfigured("MOTCUA_WORKING_HOURS needs at least one period.")
    previous_end = datetime.time.min
    for start, end in periods:
        if not start < end or start < previous_end:
            raise ImproperlyConfigured(
                "MOTCUA_WORKING_HOURS: periods must be ordered, non-empty and must not overlap."
            )
        previous_end = end
    return periods


def working_hours() -> tuple[Period, ...]:
    return parse_working_hours(getattr(settings, "MOTCUA_WORKING_HOURS", DEFAULT_WORKING_HOURS))


def reception_cutoff() -> datetime.time:
    return _time(
        getattr(settings, "MOTCUA_RECEPTION_CUTOFF", DEFAULT_RECEPTION_CUTOFF), "MOTCUA_RECEPTION_CUTOFF"
    )


def calendar_pause_rule() -> CalendarPauseRule:
    value = getattr(settings, "MOTCUA_CALENDAR_PAUSE_RULE", DEFAULT_CALENDAR_PAUSE_RULE)
    try:
        return CalendarPauseRule(value)
    except ValueError as exc:
        choices = ", ".join(repr(rule.value) for rule in CalendarPauseRule)
        raise ImproperlyConfigured(f"MOTCUA_CALENDAR_PAUSE_RULE: {value!r} is not one of {choices}.") from exc
