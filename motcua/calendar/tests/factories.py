import datetime

import factory

from motcua.calendar.models import CalendarOverride
from motcua.calendar.workdays import VIETNAM


def at(text: str) -> datetime.datetime:
    """'2026-02-12 09:00' as an aware datetime in Vietnam time."""
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VIETNAM)


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    """A province-wide extra day off unless told otherwise."""

    class Meta:
        model = CalendarOverride

    agency = None
    date = factory.Sequence(lambda n: datetime.date(2026, 3, 2) + datetime.timedelta(days=n))
    is_working_day = False
    note = "Nghỉ theo quyết định của UBND tỉnh"
